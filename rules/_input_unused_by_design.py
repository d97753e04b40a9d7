"""The `call`/`forward` methods TL401 leaves alone although what they return does not depend on
their input: by design (a module's own trainable table handed out, a matrix factorization of the
input, a model built around data its constructor was given, a constant put into a functional
model, a placeholder or a no-op part), or where the analysis cannot tell (a function of its own
run on the input, whose writes are not followed)."""
import re

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import all_params, descendants, result_dependence, returned_names
from tensorlint.syntax import dotted
from tensorlint.values import Layer, Tensor

_ASSIGNS = kinds_of(cst.Assign)
_CALLS = kinds_of(cst.Call)


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


def returns_own_table(node, proto, cls=None) -> bool:
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


def factorizes_input(node, cls) -> bool:
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


def runs_on_given_data(node, cls, inputs) -> bool:
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


def placeholder(node, cls, text: str) -> bool:
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


def returns_given_constant(node, cls) -> bool:
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


def closure_given_input(node, inputs) -> bool:
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
