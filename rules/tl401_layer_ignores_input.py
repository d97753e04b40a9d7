import functools
import re

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import all_params, descendants, is_stub, result_dependence
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import layer_attributes, text_fact
from ._input_unused_by_design import (
    closure_given_input, factorizes_input, placeholder, returns_given_constant, returns_own_table, runs_on_given_data,
)


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
        if param.startswith("_") or is_stub(node) or placeholder(node, ev.func.owner, ctx.text):
            return
        # a layer with several inputs may legitimately use only some of them (a decoder that
        # reads the latents but not the query): report only a result that uses none of them
        inputs = [p for p in all_params(node) if p not in ("self", "cls")]
        if result_dependence(node, inputs, layer_attributes(ctx, cls)) != 0:
            return
        if closure_given_input(node, inputs):
            return  # a nested function run on the input writes what is returned (`maps.append(...)`)
        if cls is not None and returns_own_table(node, ctx.prototype(cls), cls):
            return
        if cls is not None and (runs_on_given_data(node, cls, inputs) or returns_given_constant(node, cls)):
            return
        if cls is not None and factorizes_input(node, cls):
            return  # `P @ Q^T` of weights `build` sized from the input's dims: a factorization of the input
        pnode = next((p.name for p in node.params.params if p.name.value == param), node)
        ctx.report(self, pnode, f"`{name}` of {cls.name if cls else 'this layer'} returns a value that does not depend on its input `{param}`",
                   unnecessary=True)
