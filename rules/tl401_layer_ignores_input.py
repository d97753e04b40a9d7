import functools
import re

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import all_params, descendants, is_stub, result_dependence, returned_names
from tensorlint.findings import Severity
from tensorlint.syntax import dotted
from tensorlint.rule import Rule
from tensorlint.values import Layer, Tensor

from ._common import layer_attributes, text_fact


LOSS_CALLEE = re.compile(r"loss|criterion|cross_entropy|crossentropy|mse|nll|bce|l1|l2|hinge|objective", re.I)


def _model_uses(module) -> dict:
    """{name: (node, how)} for every free function one module uses as its model: its result is
    the first argument of a loss call (`loss(net(X), y)`, `F.cross_entropy(net(X), y)`), or it
    is assigned as a module's `forward`. The first use of each name wins."""
    uses = {}
    for n in descendants(module):
        kind = type(n)  # (tested by exact type: libcst's classes are ABCs, slow under isinstance)
        if kind in _ASSIGNS and isinstance(n.value, cst.Name) and any(
                isinstance(t.target, cst.Attribute) and t.target.attr.value == "forward" for t in n.targets):
            uses.setdefault(n.value.value, (n, "assigned as a module's forward"))
            continue
        if kind not in _CALLS or not n.args or n.args[0].keyword is not None:
            continue
        first = n.args[0].value
        if not (isinstance(first, cst.Call) and isinstance(first.func, cst.Name)):
            continue
        callee = n.func
        while isinstance(callee, cst.Call):  # nn.CrossEntropyLoss()(net(X), y)
            callee = callee.func
        text = callee.attr.value if isinstance(callee, cst.Attribute) else callee.value if isinstance(callee, cst.Name) else ""
        if LOSS_CALLEE.search(text):
            uses.setdefault(first.func.value, (n, "used as the model: its output is the prediction given to the loss"))
    return uses


_ASSIGNS = kinds_of(cst.Assign)
_CALLS = kinds_of(cst.Call)
_FIRST_ARGUMENT_CALL = re.compile(r"\(\s*([A-Za-z_]\w*)\s*\(")
_FORWARD_ASSIGNED = re.compile(r"\.forward\s*=\s*([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=8)
def _maybe_models(text: str) -> frozenset:
    """The names the text could use as a model in `_model_uses`' sense: called as the first
    argument of a call, or assigned to a `.forward`. A quick read of the text that spares the
    data-flow analysis of every other free function; `_model_uses` decides on the syntax tree."""
    return frozenset(_FIRST_ARGUMENT_CALL.findall(text)) | frozenset(_FORWARD_ASSIGNED.findall(text))


def _model_use(ctx, name: str):
    """Where the program uses the free function `name` as its model, read from the code of every
    chunk (each chunk's uses are collected once per syntax tree)."""
    for i, chunk in enumerate(ctx.chunks):
        found = ctx.tree_fact(i, ("model-uses",), lambda chunk=chunk: _model_uses(chunk.module)).get(name)
        if found is not None:
            return found
    return None


def _table(attr: str, value) -> bool:
    """`.<attr>` of an embedding layer is its table (`weight` in torch, `embeddings` in Keras)."""
    return isinstance(value, Layer) and value.short == "Embedding" and attr in ("weight", "embeddings")


PARAMETER_COLLECTIONS = frozenset(("ParameterList", "ParameterDict"))


COPIES = {"torch": "clone", "tf": "identity"}  # module: its function that copies a tensor as it is


def _copied(expr):
    """The tensor a copy is made of (`torch.clone(p)`, `p.clone()`, `tf.identity(w)`): the same
    values, and the gradient flows back through it to the original."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        func, owner = expr.func, expr.func.value
        module = owner.value if isinstance(owner, cst.Name) and owner.value in COPIES else None
        if module is None and func.attr.value == "clone" and not expr.args:
            expr = owner
        elif module is not None and func.attr.value == COPIES[module] and len(expr.args) == 1 and expr.args[0].keyword is None:
            expr = expr.args[0].value
        else:
            break
    return expr


_SQUASH = frozenset(("sigmoid", "softmax", "log_softmax", "tanh"))


def _squashed(expr):
    """The tensor an activation maps to probabilities is taken of (`torch.sigmoid(p)`,
    `p.softmax(-1)`): a learned table given out as a learned distribution."""
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in _SQUASH):
        return expr
    positional = [a for a in expr.args if a.keyword is None and not a.star]
    if isinstance(expr.func.value, cst.Name) and positional:
        return positional[0].value  # `torch.sigmoid(p)`, `F.softmax(p, dim=-1)`
    return expr.func.value if len(positional) <= 1 else expr  # `p.sigmoid()`, `p.softmax(-1)`


def _own_weights(cls, makers) -> set:
    """The attributes `__init__` or `build` binds to a call of one of `makers`: an
    `nn.ParameterList` / `nn.ParameterDict`, or a Keras layer's trainable `self.add_weight(...)`."""
    body = cls.node.body.body if isinstance(getattr(cls, "node", None), cst.ClassDef) else ()
    found = set()
    for method in body:
        if not (isinstance(method, cst.FunctionDef) and method.name.value in ("__init__", "build")):
            continue
        for n in descendants(method, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            if type(n) in _ASSIGNS and isinstance(n.value, cst.Call):
                func = n.value.func
                name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
                frozen = any(a.keyword is not None and a.keyword.value == "trainable" and isinstance(a.value, cst.Name)
                             and a.value.value == "False" for a in n.value.args)
                if name in makers and not frozen:
                    found.update(t.target.attr.value for t in n.targets if isinstance(t.target, cst.Attribute) and _on_self(t.target.value))
    return found


def _returns_own_table(node, proto, cls=None) -> bool:
    """Every `return` of the method hands out one of the module's own trainable tables unchanged
    (`return self.emb.weight`, `return self.query` of an `nn.Parameter` or a Keras layer's
    `add_weight`, an item of its `nn.ParameterList`, or a `clone()` of one of them): a learned
    embedding matrix, learned queries or a learned prior, the module's output by design, whose
    inputs are taken for a common interface."""
    values = [_copied(_squashed(v)) for v in returned_names(node)]
    collections = weights = None
    for chain in values:
        if isinstance(chain, cst.Subscript) and isinstance(chain.value, cst.Attribute) and _on_self(chain.value.value):
            if collections is None:
                collections = _own_weights(cls, PARAMETER_COLLECTIONS) if cls is not None else set()
            if chain.value.attr.value in collections:
                continue
            return False
        if isinstance(chain, cst.Attribute) and _on_self(chain.value):
            if weights is None:
                weights = _own_weights(cls, ("add_weight",)) if cls is not None else set()
            if chain.attr.value in weights:
                continue
        parts = []
        while isinstance(chain, cst.Attribute):
            parts.append(chain.attr.value)
            chain = chain.value
        if not (isinstance(chain, cst.Name) and chain.value == "self" and 1 <= len(parts) <= 2):
            return False
        value = proto.attrs.get(parts[-1])
        if len(parts) == 1 and not (isinstance(value, Tensor) and value.param is True):
            return False
        if len(parts) == 2 and not _table(parts[0], value):
            return False
    return bool(values)


_WEIGHT_MAKERS = frozenset(("add_weight", "add_variable"))


def _weight_rows(build, dims) -> dict:
    """{attribute: index into the input's shape} for the weights `build` makes whose first dim is
    one of the input's dims (`num_rows, num_cols = input_shape`, then
    `self.P = self.add_weight("P", shape=[num_rows, k])`)."""
    rows = {}
    for n in descendants(build, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if not (type(n) in _ASSIGNS and isinstance(n.value, cst.Call) and isinstance(n.value.func, cst.Attribute)
                and n.value.func.attr.value in _WEIGHT_MAKERS):
            continue
        args = n.value.args
        shape = next((a.value for a in args if a.keyword is not None and a.keyword.value == "shape"), None)
        if shape is None:
            positional = [a.value for a in args if a.keyword is None]
            shape = positional[1] if len(positional) > 1 else None
        if not isinstance(shape, (cst.List, cst.Tuple)) or len(shape.elements) != 2:
            continue
        first = shape.elements[0].value
        if isinstance(first, cst.Name) and first.value in dims:
            rows.update((t.target.attr.value, dims[first.value]) for t in n.targets
                        if isinstance(t.target, cst.Attribute) and _on_self(t.target.value))
    return rows


def _input_dims(build) -> dict:
    """{name: index} of the names `build` unpacks its input shape into (`rows, cols = input_shape`)."""
    params = [p.name.value for p in build.params.params]
    if len(params) < 2:
        return {}
    shape = params[1]
    dims = {}
    for n in descendants(build, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(n, cst.Assign) and isinstance(n.value, cst.Name) and n.value.value == shape and len(n.targets) == 1:
            target = n.targets[0].target
            if isinstance(target, (cst.Tuple, cst.List)):
                dims.update((e.value.value, i) for i, e in enumerate(target.elements) if isinstance(e.value, cst.Name))
    return dims


def _factor_pair(expr):
    """(A, B) of `tf.matmul(self.A, tf.transpose(self.B))`, `tf.matmul(self.A, self.B, transpose_b=True)`
    or `self.A @ tf.transpose(self.B)`; None otherwise."""
    def own(e):
        return e.attr.value if isinstance(e, cst.Attribute) and _on_self(e.value) else None

    def transposed(e):
        if isinstance(e, cst.Call) and (dotted(e.func) or "").rsplit(".", 1)[-1] == "transpose" and len(e.args) == 1:
            return own(e.args[0].value)
        if isinstance(e, cst.Attribute) and e.attr.value == "T":
            return own(e.value)
        return None

    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.MatrixMultiply):
        a, b = own(expr.left), transposed(expr.right)
        return (a, b) if a and b else None
    if isinstance(expr, cst.Call) and (dotted(expr.func) or "").rsplit(".", 1)[-1] == "matmul" and len(expr.args) >= 2:
        a, b = own(expr.args[0].value), expr.args[1].value
        flag = any(x.keyword is not None and x.keyword.value == "transpose_b" and isinstance(x.value, cst.Name)
                   and x.value.value == "True" for x in expr.args[2:])
        b = own(b) if flag else transposed(b)
        return (a, b) if a and b else None
    return None


def _factorizes_input(node, cls) -> bool:
    """Every `return` of `call` is the product `P @ Q^T` of two of the layer's own weights whose
    rows `build` took from two different dims of the input's shape: the layer reconstructs a
    matrix of the input's shape from low-rank factors (matrix factorization), and the input is
    the matrix the loss compares that reconstruction with, read here only for its shape."""
    body = cls.node.body.body if isinstance(getattr(cls, "node", None), cst.ClassDef) else ()
    build = next((m for m in body if isinstance(m, cst.FunctionDef) and m.name.value == "build"), None)
    if build is None:
        return False
    rows = _weight_rows(build, _input_dims(build))
    values = returned_names(node)
    if not values:
        return False
    for v in values:
        pair = _factor_pair(v)
        if pair is None or pair[0] not in rows or pair[1] not in rows or rows[pair[0]] == rows[pair[1]]:
            return False
    return True


def _given_attributes(cls) -> dict:
    """{attribute: parameter} for each `self.<attribute> = <parameter>` of the class's
    `__init__` that stores one of the constructor's own arguments as it is."""
    body = cls.node.body.body if isinstance(getattr(cls, "node", None), cst.ClassDef) else ()
    init = next((s for s in body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
    if init is None:
        return {}
    params = set(all_params(init)) - {"self"}
    given = {}
    for n in descendants(init, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if type(n) in _ASSIGNS and isinstance(n.value, cst.Name) and n.value.value in params:
            for t in n.targets:
                target = t.target
                if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
                    given[target.attr.value] = n.value.value
    return given


def _runs_on_given_data(node, cls, inputs) -> bool:
    """The method's result comes from one of the module's own layers run on a value the
    constructor was given (`self.vgg(self.image)` where `__init__` stored its argument as
    `self.image`): the data the module computes on is handed to it when it is built (a model that
    wraps the very variable an optimizer changes, as in style transfer), and the argument of
    `call`/`forward` is there for the common interface."""
    given = _given_attributes(cls)
    if not given:
        return False
    nodes = list(descendants(node, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)))
    local = {}  # a local name bound to a given attribute (`image = self.image`)
    for n in nodes:
        if type(n) in _ASSIGNS and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name) \
                and (attr := _given(n.value, given, {})):
            local[n.targets[0].target.value] = attr
    fed = set()
    for n in nodes:
        if type(n) in _CALLS and isinstance(n.func, cst.Attribute) and _on_self(n.func.value):
            fed.update(a for a in (_given(arg.value, given, local) for arg in n.args) if a)
    return any(result_dependence(node, [*inputs, f"self.{a}"]) not in (0, None) for a in fed)


def _given(value, given, local) -> str | None:
    """The given attribute that `value` reads as it is (`self.image`, or a local bound to it)."""
    if isinstance(value, cst.Attribute) and _on_self(value.value) and value.attr.value in given:
        return value.attr.value
    return local.get(value.value) if isinstance(value, cst.Name) else None


def _on_self(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "self"


def _none(value) -> bool:
    if value is None or isinstance(value, cst.Name):
        return value is None or value.value == "None"
    return isinstance(value, (cst.Tuple, cst.List)) and all(_none(e.value) for e in value.elements)


def _nothing(value) -> bool:
    """A tuple of several Nones or zeros (`return None, None`, `return 0, 0, 0`)."""
    return isinstance(value, cst.Tuple) and len(value.elements) >= 2 and all(
        _none(e.value) or isinstance(e.value, cst.Integer) and e.value.value == "0" for e in value.elements)


_UNFINISHED = re.compile(r"TODO|YOUR CODE|[Ii]mplement (this|the)? ?function")  # an exercise's marks


def _holds_state(cls) -> bool:
    """Whether the class's own `__init__` or `build` sets an attribute of `self` (a layer, a
    weight): an unfinished `forward` beside layers it does not use yet, not a part with nothing
    to compute."""
    body = cls.node.body.body if isinstance(getattr(cls, "node", None), cst.ClassDef) else None
    if body is None:
        return True
    for method in body:
        if isinstance(method, cst.FunctionDef) and method.name.value in ("__init__", "build"):
            for n in descendants(method, prune=(cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                if type(n) in _ASSIGNS and any(isinstance(t.target, cst.Attribute) and _on_self(t.target.value) for t in n.targets):
                    return True
    return False


def _placeholder(node, cls, text: str) -> bool:
    """Every `return` gives None or a tuple of Nones (`return None, None, None`) and the file never
    builds the class itself: a base class's placeholder that its subclasses override, not an output
    computed without the input. (A class the file builds and trains, such an exercise stub, runs it.)
    A body that is only a return of several Nones or zeros (`return None, None`, `return 0, 0, 0`)
    in a class whose constructor sets nothing on `self`, with no exercise's mark (`# TODO`), is
    such a stand-in wherever the class is built: a no-op part (an encoder a decoder-only model goes without, an empty dynamic
    embedding) whose callers take nothing for each output."""
    values = returned_names(node)
    if not values or cls is None or not _only_returns(node):
        return False
    if all(_nothing(v) for v in values) and not _holds_state(cls) and not _UNFINISHED.search(cst.Module([]).code_for_node(node)):
        return True
    if not all(_none(v) for v in values):
        return False
    return re.search(rf"(?<!class )\b{re.escape(cls.name)}\s*\(", text) is None


def _only_returns(node) -> bool:
    """The body is its `return` and docstrings, nothing else (no code left behind an early return)."""
    body = node.body
    for stmt in body.body if isinstance(body, cst.IndentedBlock) else [body]:
        if not isinstance(stmt, cst.SimpleStatementLine) or not all(
                isinstance(s, cst.Return) or isinstance(s, cst.Expr) and isinstance(s.value, (cst.SimpleString, cst.ConcatenatedString))
                for s in stmt.body):
            return False
    return True


CONSTANT_MAKERS = frozenset(("constant", "convert_to_tensor", "tensor", "as_tensor"))


def _returns_given_constant(node, cls) -> bool:
    """Every `return` makes a tensor of a value the constructor was given and stored as it is
    (`self.index = index` in `__init__`, then `return tf.constant(self.index)`): a layer that puts
    that constant into a functional model, by design."""
    values = returned_names(node)
    given = _given_attributes(cls) if values else {}
    for v in values:
        if not (isinstance(v, cst.Call) and v.args and v.args[0].keyword is None):
            return False
        func = v.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        arg = v.args[0].value
        if name not in CONSTANT_MAKERS or not (isinstance(arg, cst.Attribute) and _on_self(arg.value) and arg.attr.value in given):
            return False
    return bool(values)


def _closure_given_input(node, inputs) -> bool:
    """Whether the method defines a function of its own and calls it with one of its inputs
    (`unet(x)`, where `unet` appends each side output to a list the method returns): the data
    flow through the closure is not followed, so the result may depend on the input."""
    inner = {n.name.value for n in node.body.body if isinstance(n, cst.FunctionDef)} if isinstance(node.body, cst.IndentedBlock) else set()
    if not inner:
        return False
    for n in descendants(node.body):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value in inner and any(
                isinstance(x, cst.Name) and x.value in inputs for a in n.args for x in (a.value, *descendants(a.value))):
            return True
    return False


class LayerIgnoresInput(Rule):
    """
    ## What it does
    Finds the `call` of a custom Keras `Layer`/`Model`, the `forward` of a custom `nn.Module`,
    a free function the program uses as its model (its output is the prediction given to a loss,
    or it is assigned as a module's `forward`) whose returned value does not depend on the input
    argument at all, for example a layer that returns a function of its own weights only. Depending on the input's
    shape alone (positional encodings that use `x.size(1)`) counts as using it. A method that
    returns one of the module's own trainable tables unchanged (`return self.emb.weight` of an
    embedding, `return self.query` of an `nn.Parameter` or of a Keras layer's trainable
    `add_weight`, an item of an `nn.ParameterList` or `nn.ParameterDict`, or a copy of one
    through `torch.clone`, `.clone()` or `tf.identity`, or one mapped to probabilities by a
    sigmoid or softmax: matrix factorization, learned queries, a learned distribution, a
    mock whose output is fixed) hands out what it learns by design, and is not reported; nor is
    one whose result comes from
    its own layer run on a value its constructor was given and stored as it is
    (`self.x = x` in `__init__`, then `return self.vgg(self.x)`): the module is built around the
    data it computes on (a model that wraps the image variable a style transfer optimizes), and
    the argument is there for the common interface. Nor is a method whose body is only a return of
    None in a class the file never builds (a base class's placeholder that subclasses override),
    or only a return of several Nones or zeros, without a `# TODO`, in a class that holds no
    layer (`return None, None`: a no-op part), one that
    runs a function it defines on the input (whose writes the analysis does not follow), or one that
    returns a tensor made of a
    constructor argument stored as it is (`return tf.constant(self.index)`: a layer that puts a
    constant into a functional model), nor a Keras layer whose `call` returns the product
    `P @ Q^T` of two of its weights whose rows `build` took from two different dims of the
    input's shape (`num_rows, num_cols = input_shape`): it reconstructs a matrix of the input's
    shape from low-rank factors, and the input is read for its shape. The parameter is marked as
    unnecessary.

    ## Why is this bad?
    Every sample gets the same output: the layers before it receive no gradient, and the model
    cannot learn anything from the data. Often nothing crashes; the loss just stays flat.

    ## Example
    ```python
    class MyLayer(keras.layers.Layer):
        def call(self, inputs):
            return tf.reduce_sum(self.w)
    ```

    ## Use instead
    ```python
    class MyLayer(keras.layers.Layer):
        def call(self, inputs):
            return tf.matmul(inputs, self.w)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL401"
    name = "layer-ignores-input"
    severity = Severity.ERROR
    summary = "A custom layer's call/forward returns a value that does not depend on its input."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Decoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.h0 = nn.Parameter(torch.zeros(1, 8))\n        self.encode = nn.Linear(8, 8)\n        self.decode = nn.Linear(8, 3)\n\n    def forward(self, x):  # TL401\n        h = torch.tanh(self.encode(x))\n        return self.decode(self.h0)\n",
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass MyLayer(keras.layers.Layer):\n    def call(self, inputs):  # TL401\n        return tf.reduce_sum(self.w)\n",
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n        self.h = nn.Parameter(torch.zeros(1, 4))\n\n    def forward(self, x):  # TL401\n        return self.fc(self.h)\n",
        # a free function used as the model (the from-scratch style), and a forward assigned to a module
        "import torch\nfrom torch import nn\nW1 = torch.randn(784, 256, requires_grad=True)\nb1 = torch.zeros(256, requires_grad=True)\n"
        "W2 = torch.randn(256, 10, requires_grad=True)\n\ndef net(X):  # TL401\n    X = X.reshape((-1, 784))\n    H = torch.relu(b1)\n"
        "    return H @ W2\n\nloss = nn.CrossEntropyLoss()\nX, y = torch.randn(8, 784), torch.randint(0, 10, (8,))\nl = loss(net(X), y.float()[:1])\n",
        "import torch\nimport torch.nn as nn\n\ndef forward(x):  # TL401\n    return torch.sigmoid(layer.bias) * torch.ones(4, 1)\n\n"
        "layer = nn.Linear(3, 1)\nlayer.forward = forward\n",
    )
    passing = (
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass MyLayer(keras.layers.Layer):\n    def call(self, inputs):\n        return tf.matmul(inputs, self.w)\n",
    )
    lookalikes = (
        # matrix factorization: P @ Q^T of weights sized from the input's two dims
        "import tensorflow as tf\n\nclass MF(tf.keras.layers.Layer):\n    def build(self, input_shape):\n"
        "        rows, cols = input_shape\n        self.P = self.add_weight('P', shape=[rows, 8])\n"
        "        self.Q = self.add_weight('Q', shape=[cols, 8])\n\n    def call(self, ratings):\n"
        "        return tf.matmul(self.P, self.Q, transpose_b=True)\n",
        "import torch\nimport torch.nn as nn\n\nclass Decoder(nn.Module):\n    def forward(self, query, z):\n        return self.classifier(z.mean(1))\n",
        "import torch.nn as nn\n\nclass Functional(nn.Module):\n    def forward(self, params, *args):\n        with swap(self.model, params):\n            return self.model(*args)\n",
        "import torch\nimport torch.nn as nn\n\nclass PositionalEncoding(nn.Module):\n    def forward(self, x):\n        return self.pe[:, : x.size(1)]\n",
        "import torch.nn as nn\n\nclass Base(nn.Module):\n    def forward(self, x):\n        raise NotImplementedError\n",
        "import torch.nn as nn\n\nclass MatrixFactorization(nn.Module):\n    def __init__(self, n, d):\n        super().__init__()\n"
        "        self.emb = nn.Embedding(n, d)\n\n    def forward(self, graph):\n        return self.emb.weight\n",
        "import torch\nimport torch.nn as nn\n\nclass Prior(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.p = nn.ParameterList([nn.Parameter(torch.zeros(4))])\n\n    def forward(self, x):\n        return torch.clone(self.p[0])\n",
        "import torch.nn as nn\n\nclass Cache(nn.Module):\n    def forward(self, x):\n        self.last = self.fc(x)\n        return self.last\n",
        # free functions that use their input, one whose first parameter is a placeholder
        "import torch\nfrom torch import nn\nW = torch.randn(4, 2, requires_grad=True)\n\ndef net(X):\n    return X @ W\n\n"
        "l = nn.functional.cross_entropy(net(torch.randn(8, 4)), torch.randint(0, 2, (8,)))\n",
        "import torch\nfrom torch import nn\nbias = torch.zeros(1, 3, requires_grad=True)\n\ndef prior(_x):\n    return bias.expand(8, 3)\n\n"
        "l = nn.functional.cross_entropy(prior(torch.randn(8, 4)), torch.randint(0, 3, (8,)))\n",
    )

    def _free_model(self, ctx, ev):
        node = ev.node
        if ev.func.owner is not None or not isinstance(node, cst.FunctionDef) or not ev.params:
            return
        param = ev.params[0]
        if param.startswith("_") or param in ("self", "cls") or is_stub(node):
            return
        if node.name.value not in text_fact(ctx, "maybe models", _maybe_models):
            return
        where = ev.func.chunk
        if ctx.tree_fact(where, ("depends", id(node), param), lambda: result_dependence(node, param)) != 0:
            return
        found = _model_use(ctx, node.name.value)  # reads every chunk: not a fact of this chunk alone
        if found is None:
            return
        use, how = found
        pnode = next((p.name for p in node.params.params if p.name.value == param), node)
        line = ctx.line(use)
        ctx.report(self, pnode,
                   f"`{node.name.value}` is {how}{f' (line {line})' if line else ''}, but it returns a value that does not "
                   f"depend on its input `{param}`",
                   unnecessary=True, related=[(use, "used as the model here")])

    def on_function(self, ctx, ev):
        node = ev.node
        if not isinstance(node, cst.FunctionDef) or not ev.params:
            return
        if ev.func.owner is None:
            self._free_model(ctx, ev)
            return
        name = node.name.value
        kind = ev.owner_kind
        if not ((kind == "torch.module" and name == "forward") or (kind in ("keras.layer", "keras.model") and name == "call")):
            return
        cls = ev.func.owner
        if cls is not None and "loss" in cls.name.lower():
            return  # a loss module: TL301's business
        param = ev.params[0]
        if param.startswith("_") or is_stub(node) or _placeholder(node, ev.func.owner, ctx.text):
            return
        # a layer with several inputs may legitimately use only some of them (a decoder that
        # reads the latents but not the query): report only a result that uses none of them
        inputs = [p for p in all_params(node) if p not in ("self", "cls")]
        if result_dependence(node, inputs, layer_attributes(ctx, cls)) != 0:
            return
        if _closure_given_input(node, inputs):
            return  # a nested function run on the input writes what is returned (`maps.append(...)`)
        if cls is not None and _returns_own_table(node, ctx.prototype(cls), cls):
            return
        if cls is not None and (_runs_on_given_data(node, cls, inputs) or _returns_given_constant(node, cls)):
            return
        if cls is not None and _factorizes_input(node, cls):
            return  # `P @ Q^T` of weights `build` sized from the input's dims: a factorization of the input
        pnode = next((p.name for p in node.params.params if p.name.value == param), node)
        ctx.report(self, pnode, f"`{name}` of {cls.name if cls else 'this layer'} returns a value that does not depend on its input `{param}`",
                   unnecessary=True)
