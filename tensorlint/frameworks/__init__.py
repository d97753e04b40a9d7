"""Framework knowledge: what calls, layers, losses and tensor methods do to values.

One module per framework fills the tables below; the interpreter looks up a call by the
canonical qualified name of its target (`torch.nn.Linear`, `keras.layers.Dense`,
`numpy.random.rand`). Adding a layer is adding a row in a module's table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..values import (
    ANY, UNKNOWN, Const, Container, Dataset, Instance, Layer, Loss, MutableList, Optimizer, Ref,
    Seq, Tensor, Value, exact_items, is_float_dtype, is_int_dtype, join, known_tail,
)
from ..values import COMPLEX_DTYPES, FLOAT_DTYPES, INT_DTYPES
from . import shapes as S

CALLS: dict[str, Callable] = {}  # qualname -> fn(call) -> Value
LAYERS: dict[str, "LayerSpec"] = {}
LOSSES: dict[str, "LossSpec"] = {}
DTYPES: dict[str, str] = {}  # qualname of a dtype object -> dtype name
TENSOR_METHODS: dict[str, Callable] = {}  # name -> fn(call, tensor) -> Value
OBJECT_METHODS: dict[tuple, Callable] = {}  # (type name, method) -> fn(call, obj) -> Value


def canonical(qualname: str) -> str:
    """One name for each API: `tensorflow.keras.layers.Dense` -> `keras.layers.Dense`."""
    q = qualname
    if q.startswith("tensorflow.compat.v1.") or q.startswith("tensorflow.compat.v2."):
        q = "tensorflow." + q[21:]
    if q.startswith("tensorflow.python.keras"):
        q = "keras" + q[len("tensorflow.python.keras"):]
    if q == "tensorflow.keras" or q.startswith("tensorflow.keras."):
        q = "keras" + q[len("tensorflow.keras"):]
    if q.startswith("keras.src."):
        q = "keras." + q[len("keras.src."):]
    if q.startswith("keras.api."):
        q = "keras." + q[len("keras.api."):]
    if q.startswith("torch.nn.modules."):
        parts = q.split(".")
        if len(parts) == 5:  # torch.nn.modules.linear.Linear
            q = "torch.nn." + parts[4]
    head, _, last = q.rpartition(".")
    short = MODULE_ALIASES.get(head)
    if short is not None:
        q = short + "." + last
    return ALIASES.get(q, q)


ALIASES: dict[str, str] = {}  # qualname -> qualname
MODULE_ALIASES: dict[str, str] = {}  # module path -> the module whose names it re-exports (legacy paths)
CONSTANTS: dict[str, object] = {}  # qualname -> Python value (numpy.nan, math.inf, torch.float32 is a dtype)


def ref(qualname: str) -> Value:
    """The value of an imported name: a constant (`np.nan`) or a reference (`torch.nn.Linear`)."""
    q = canonical(qualname)
    c = CONSTANTS.get(q)
    if c is not None:
        return Const(c)
    return Ref(q)


def known_api(qualname: str) -> bool:
    """A canonical name the tables model."""
    return qualname in CALLS or qualname in LAYERS or qualname in LOSSES or qualname in DTYPES or qualname in CONSTANTS


def register_aliases(mapping: dict, modules: dict | None = None) -> None:
    ALIASES.update(mapping)
    MODULE_ALIASES.update(modules or {})


# -- layers -----------------------------------------------------------------------------------

@dataclass
class Expectation:
    """What a layer requires of its input: `size` at dim `axis` (negative, from the end)."""

    kind: str  # "channels" | "features"
    axis: int
    size: int
    param: str  # the constructor argument that set it


@dataclass
class LayerSpec:
    params: tuple  # constructor parameters in positional order
    fw: str
    transfer: Callable | None = None  # fn(layer, tensor, call) -> Value
    expects: Callable | None = None  # fn(layer, tensor) -> list[Expectation]
    float_input: bool = True  # computes with float weights: int input fails
    int_input: bool = False  # wants integer indices (Embedding)
    defaults: dict = field(default_factory=dict)
    category: str = "layer"  # layer | activation | container | merge
    activation: str | None = None  # fixed activation of activation layers
    normalize: Callable | None = None  # fn(facts) -> facts: older spellings of the arguments

    def construct(self, call, qualname: str) -> Value:
        facts = dict(self.defaults)
        for i, v in enumerate(call.args):
            if i < len(self.params):
                facts[self.params[i]] = _plain(v)
        for k, v in call.kwargs.items():
            facts[k] = _plain(v)
        if self.normalize is not None:
            facts = self.normalize(facts)
        if self.activation is not None:
            facts.setdefault("activation", self.activation)
        return Layer(qualname, facts, self.fw, call.node, spec=self)


def _plain(v: Value):
    """Constructor arguments as plain Python values where known (ints, tuples, strings)."""
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Seq) or isinstance(v, MutableList):
        items = tuple(_plain(x) for x in v.items)
        return items
    if isinstance(v, Ref) and v.qualname in DTYPES:
        return DTYPES[v.qualname]
    return v


@dataclass
class LossSpec:
    fw: str
    kind: str  # categorical | sparse_categorical | binary | regression | nll | ...
    logits: bool | None = None  # torch: the input is logits (CrossEntropyLoss) or probabilities
    elementwise: bool = False
    call: Callable | None = None  # fn(call, loss) -> Value
    params: tuple = ()
    is_function: bool = False  # keras.losses.categorical_crossentropy(y_true, y_pred)

    def construct(self, call, qualname: str) -> Value:
        if self.is_function:
            return self.call(call, Loss(qualname, {}, self.fw, call.node)) if self.call else UNKNOWN
        facts = {}
        for i, v in enumerate(call.args):
            if i < len(self.params):
                facts[self.params[i]] = _plain(v)
        for k, v in call.kwargs.items():
            facts[k] = _plain(v)
        return Loss(qualname, facts, self.fw, call.node)


# dtype names given as strings: NumPy reads "float" as float64, TensorFlow as float32
STRING_DTYPES = {
    "np": {"float": "float64", "int": "int64", "double": "float64", "long": "int64", "half": "float16",
           "single": "float32", "float_": "float64", "int_": "int64", "bool_": "bool"},
    "tf": {"float": "float32", "double": "float64", "half": "float16"},
}
DTYPE_NAMES = FLOAT_DTYPES | INT_DTYPES | COMPLEX_DTYPES | {"bool", "string"}


def dtype_of(v: Value | None, fw: str = "np") -> str | None:
    """The dtype named by a value: `torch.float64`, `np.float32`, `"int32"`, `tf.int64`,
    `torch.FloatTensor`; a string is read the way framework `fw` reads it (np, tf)."""
    if v is None:
        return None
    if isinstance(v, Ref):
        return DTYPES.get(v.qualname)
    if isinstance(v, Const) and isinstance(v.value, str):
        name = v.value
        if name in DTYPES:  # "torch.FloatTensor" as `x.type()` names it
            return DTYPES[name]
        name = STRING_DTYPES.get(fw, STRING_DTYPES["np"]).get(name, name)
        return name if name in DTYPE_NAMES else None
    if isinstance(v, Const) and v.value in (float, int, bool):
        return {float: "float64", int: "int64", bool: "bool"}[v.value]
    return None


def dtype_given(call, index: int | None, name: str = "dtype") -> bool:
    """The call names a dtype (`dtype=None` names none)."""
    v = call.arg(index, name)
    return v is not None and not (isinstance(v, Const) and v.value is None)


def dtype_arg(call, index: int | None, default: str | None = None, fw: str = "np", name: str = "dtype") -> str | None:
    """The dtype a call's dtype argument names: `default` when there is none, None when it is
    given but its value is not known (`dtype=x.dtype` of an unknown `x`): never a guess."""
    if not dtype_given(call, index, name):
        return default
    return dtype_of(call.arg(index, name), fw)


# -- shared transfer helpers ---------------------------------------------------------------

def make(call, shape, dtype, fw, **kw) -> Tensor:
    node = call.node
    kw.setdefault("tapes", call.interp.tapes)
    if fw == "torch":
        kw.setdefault("requires_grad", False)
    return Tensor(shape=shape, dtype=dtype, fw=fw, node=node, depth=call.depth, origin=node, **kw)


def derive(t: Tensor, call, **changes) -> Tensor:
    """A new tensor computed from `t` at this call (keeps data facts such as labels/nan)."""
    changes.setdefault("node", call.node)
    changes.setdefault("depth", call.depth)
    changes.setdefault("name", None)
    if "tapes" not in changes and (t.tapes or call.interp.tapes):
        changes["tapes"] = recorded(call.interp, t)
    return t.with_(**changes)


def recorded(interp, *inputs) -> tuple:
    """The GradientTapes that record an operation on these inputs: those active now that also
    recorded how each input that came from a tape was computed."""
    active = interp.tapes
    if not active:
        return ()
    # inputs computed from trainable weights must themselves have been recorded by the tape
    taped = [v for v in inputs if isinstance(v, Tensor) and v.requires_grad is True and not v.param]
    return tuple(t for t in active if all(t in v.tapes for v in taped))


def grad_models(*values) -> frozenset:
    """The models a result depends on differentiably: inputs known not to need gradients (a
    detached teacher output, data) do not count."""
    out = frozenset()
    for v in values:
        if isinstance(v, Tensor) and v.requires_grad is not False:
            out |= v.models
    return out


def grad_of(*values) -> bool | None:
    """requires_grad of a result computed from these: True if any input needs gradients,
    False if all are known not to, None otherwise. A value that is not a tensor counts as
    unknown (a constant as needing none)."""
    flags = [v.requires_grad if isinstance(v, Tensor) else False if isinstance(v, Const) else None for v in values]
    if any(f is True for f in flags):
        return True
    if flags and all(f is False for f in flags):
        return False
    return None


def shape_from_args(call, start: int = 0, name: str = "size"):
    """`f(2, 3)`, `f((2, 3))`, `f([2, 3])`, `f(size=(2, 3))` -> (2, 3)."""
    if name in call.kwargs:
        return shape_value(call.kwargs[name])
    rest = call.args[start:]
    if len(rest) == 1:
        v = rest[0]
        if isinstance(v, Const) and S.known_int(v.value):
            return (v.value,)
        return shape_value(v)
    if not rest:
        return None
    dims = []
    for v in rest:
        if isinstance(v, Const) and S.known_int(v.value):
            dims.append(v.value)
        elif isinstance(v, Tensor) or (isinstance(v, Const) and not S.known_int(v.value)):
            return None
        else:
            dims.append(None)
    return tuple(dims)


def shape_value(v: Value):
    """A shape given as a tuple/list/Size value."""
    if isinstance(v, MutableList) and not v.exact:
        return None
    if isinstance(v, (Seq, MutableList)):
        dims = []
        for x in v.items:
            if isinstance(x, Const) and S.known_int(x.value):
                dims.append(x.value)
            elif isinstance(x, Const) and x.value is None:
                dims.append(None)
            elif isinstance(x, Const):
                return None
            else:
                dims.append(None)
        return tuple(dims)
    if isinstance(v, Const) and S.known_int(v.value):
        return (v.value,)
    return None


def literal_data(v: Value):
    """Shape, kind ('int'|'float'|'bool'|None), nan, magnitude of nested literal lists."""
    nan = False
    lo, hi = None, None
    kinds = set()

    def walk(x, depth):
        nonlocal nan, lo, hi
        if isinstance(x, (Seq, MutableList)):
            shapes = [walk(i, depth + 1) for i in x.items]
            if not shapes:
                return (0,) if exact_items(x) is not None else None
            first = shapes[0]
            if first is None or any(s != first for s in shapes):
                return None
            return (len(x.items) if exact_items(x) is not None else None,) + first
        if isinstance(x, Const):
            val = x.value
            if isinstance(val, bool):
                kinds.add("bool")
            elif isinstance(val, int):
                kinds.add("int")
            elif isinstance(val, float):
                kinds.add("float")
            else:
                kinds.add("other")
                return ()
            if isinstance(val, float) and (val != val or val in (float("inf"), float("-inf"))):
                nan = True
            else:
                a = abs(val)
                hi = a if hi is None else max(hi, a)
                if a:
                    lo = a if lo is None else min(lo, a)
            return ()
        if isinstance(x, Tensor):
            kinds.add("tensor")
            if x.nan:
                nan = True
            return x.shape if x.shape is not None and ANY not in x.shape[:1] else None
        kinds.add("unknown")
        return None

    shape = walk(v, 0)
    if "other" in kinds or "unknown" in kinds or "tensor" in kinds:
        kind = None
    elif "float" in kinds:
        kind = "float"
    elif "int" in kinds:
        kind = "int"
    elif "bool" in kinds:
        kind = "bool"
    else:
        kind = None
    magnitude = (lo, hi) if hi is not None else None
    return shape, kind, nan, magnitude


def concatenate(call, seq, axis, qualname: str = "concatenate") -> Value:
    """np.concatenate / torch.cat / tf.concat of a list of tensors along `axis`: shapes add up
    along the axis, dtypes promote, data facts (labels, nan, feature scales) combine."""
    emit_join(call, qualname, seq, axis)
    if not isinstance(seq, (Seq, MutableList)):
        return UNKNOWN
    first = next((t for t in seq.items if isinstance(t, Tensor)), None)
    if first is None:
        return UNKNOWN
    # a part that is not known to be a tensor is one of unknown shape and dtype
    parts = [t if isinstance(t, Tensor) else first.with_(shape=None, dtype=None, scale=None, labels=False, nan=False,
                                                         normalized=False, requires_grad=None) for t in seq.items]
    if parts[0] is not first:
        parts.remove(first)
        parts.insert(0, first)
    return concat_tensors(call, parts, axis, exact_items(seq) is not None)


def concat_tensors(call, parts, axis, exact: bool = True) -> Value:
    """Join tensors along `axis`; `exact`: `parts` are all of them (else the list's length is
    unknown and so is the size along the axis). Every other dim known on one part is known."""
    shape = None
    shapes = [t.shape for t in parts]
    if isinstance(axis, int):
        shape = _concat_shape(shapes, axis, exact)
    dtype = parts[0].dtype
    for t in parts[1:]:
        dtype = promote(dtype, t.dtype, parts[0].fw)
    scales = [t.scale or 1.0 for t in parts]
    mix = any(t.scale_mix for t in parts) or max(scales) / max(min(scales), 1e-30) >= 100.0
    return derive(parts[0], call, shape=shape, dtype=dtype, origin=call.node, param=False, magnitude=None,
                  scale=None, scale_mix=mix, normalized=all(t.normalized for t in parts),
                  labels=any(t.labels for t in parts), nan=any(t.nan for t in parts), requires_grad=grad_of(*parts))


def emit_join(call, qualname: str, seq, axis, stack: bool = False) -> None:
    """The `join` event for a concatenation or stack of a literal sequence of values."""
    interp = call.interp
    if isinstance(seq, (Seq, MutableList)) and len(seq.items) >= 2 and interp.wants("join"):
        from ..events import Join

        interp.emit("join", Join(qualname, list(seq.items), axis, call.node, stack))


def stack_tensors(call, seq, axis, **extra) -> Value:
    """torch.stack / np.stack / tf.stack of a list of tensors along a new `axis`: the list's
    length (unknown for a list grown in a loop), then the dims the parts share."""
    if not isinstance(seq, (Seq, MutableList)) or not seq.items or not all(isinstance(t, Tensor) for t in seq.items):
        return UNKNOWN
    items = seq.items
    first = items[0]
    element = first
    for t in items[1:]:
        element = join(element, t)
    n = len(items) if exact_items(seq) is not None else None
    shape = None
    es = element.shape
    if isinstance(axis, int) and es is not None:
        if ANY not in es[:1]:
            dims = list(es)
            rank = len(dims) + 1
            if -rank <= axis < rank:
                dims.insert(axis % rank, n)
                shape = tuple(dims)
        elif axis == 0:
            shape = es  # (ANY, ...) stays (ANY, ...)
    dtype = first.dtype
    for t in items[1:]:
        dtype = promote(dtype, t.dtype, first.fw)
    return derive(first, call, shape=shape, dtype=dtype, param=False, magnitude=None, labels=any(t.labels for t in items),
                  nan=any(t.nan for t in items), origin=call.node, requires_grad=grad_of(*items), models=grad_models(*items),
                  **extra)


def _concat_shape(shapes, axis: int, exact: bool):
    ranks = {len(s) for s in shapes if s is not None and ANY not in s[:1]}
    if len(ranks) > 1:
        return None
    if not ranks:
        # no part of known rank: the dims counted from the end, other than the axis, are
        # shared by every part (concatenation requires it); known where any part knows them
        if axis >= 0:
            return None
        tails = [s[1:] if s and s[0] is ANY else s for s in shapes if s is not None]
        width = max((len(t) for t in tails), default=0)
        if width < -axis:
            return None
        dims = [None] * width
        for t in tails:
            for i in range(1, len(t) + 1):
                if dims[-i] is None and i != -axis:
                    dims[-i] = t[-i]
        dims[axis] = None
        return (ANY,) + tuple(dims)
    n = ranks.pop()
    if not n or not -n <= axis < n:
        return None
    full = []  # every part has rank n: a part of unknown shape, n unknown dims
    for s in shapes:
        if s is None:
            full.append((None,) * n)
        elif s[:1] == (ANY,):
            if len(s) - 1 > n:
                return None
            full.append((None,) * (n - len(s) + 1) + tuple(s[1:]))
        else:
            full.append(tuple(s))
    a = axis % n
    dims = []
    for i in range(n):
        if i == a:
            total = 0
            for s in full:
                total = total + s[a] if S.known_int(total) and S.known_int(s[a]) else None
            dims.append(total if exact else None)
        else:
            # concatenation requires the other dims to agree: one part that knows a dim tells it
            vals = [s[i] for s in full if s[i] is not None]
            dims.append(vals[0] if vals else None)
    return tuple(dims)


def reduce_shape(shape, dim, keepdim=False):
    if dim is None:
        return ()
    if shape is None:
        return None
    if isinstance(dim, int):
        dims = (dim,)
    elif isinstance(dim, tuple) and all(isinstance(d, int) for d in dim):
        dims = dim
    else:
        return None
    if shape and shape[0] is ANY:
        return None
    n = len(shape)
    idx = {d % n for d in dims if -n <= d < n} if n else set()
    if len(idx) != len(dims):
        return None
    if keepdim:
        return tuple(1 if i in idx else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in idx)


def elementwise(call, t: Tensor, dtype=None, **kw) -> Tensor:
    return derive(t, call, dtype=dtype or t.dtype, **kw)


def promote(a: str | None, b: str | None, fw: str) -> str | None:
    if a == b:
        return a
    if a is None or b is None:
        return None
    order = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
    if a in order and b in order:
        return order[max(order.index(a), order.index(b))]
    return None


def binary_op(interp, op: str, left: Value, right: Value, node) -> Value:
    """Arithmetic on constants and tensors (broadcasting and dtype promotion)."""
    if isinstance(left, Const) and isinstance(right, Const):
        return _const_op(op, left.value, right.value)
    lt, rt = isinstance(left, Tensor), isinstance(right, Tensor)
    if not lt and not rt:
        if op == "Add" and exact_items(left) is not None and exact_items(right) is not None:
            return Seq("tuple", tuple(left.items) + tuple(right.items))
        if op == "Multiply":
            seq, n = (left, right) if isinstance(left, (Seq, MutableList)) else (right, left)
            if exact_items(seq) is not None and isinstance(n, Const) and S.known_int(n.value) and 0 <= n.value * len(seq.items) <= 4096:
                return Seq("list", tuple(seq.items) * n.value)
        return UNKNOWN
    depth = min(v.depth for v in (left, right) if isinstance(v, Tensor))
    if op == "MatrixMultiply":
        if lt and rt:
            emit_matmul(interp, left, right, node)
            return _matmul(left, right, node, depth)
        return UNKNOWN
    if lt and rt:
        shape = S.broadcast(left.shape, right.shape)
        fw = left.fw if left.fw == right.fw else ("torch" if "torch" in (left.fw, right.fw) else left.fw)
        dtype = promote(left.dtype, right.dtype, fw)
        if fw == "torch":
            dtype = _torch_scalar_promotion(left, right, dtype)
        if op == "Divide" and dtype is not None and is_int_dtype(dtype):
            dtype = "float32" if fw == "torch" else "float64"
        base = left
        if op == "Subtract":
            base = left.with_(broadcast=(left, right, node) if _grows(shape, left.shape, right.shape) else None)
        return base.with_(
            shape=shape, dtype=dtype, fw=fw, node=node, name=None, depth=depth,
            labels=left.labels or right.labels, nan=left.nan or right.nan,
            requires_grad=grad_of(left, right), activation=None, models=grad_models(left, right),
            tapes=recorded(interp, left, right),
            magnitude=None, onehot=False, param=False,
            scale_mix=left.scale_mix or right.scale_mix, normalized=left.normalized and right.normalized,
        )
    t, c = (left, right) if lt else (right, left)
    dtype = t.dtype
    scale = t.scale
    magnitude = t.magnitude
    if isinstance(c, Const) and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
        if isinstance(c.value, float) and is_int_dtype(dtype):
            dtype = "float32" if t.fw == "torch" else "float64"
        if op == "Divide" and is_int_dtype(dtype):
            dtype = "float32" if t.fw == "torch" else "float64"
        if op == "Multiply" and c.value:
            scale = _rescaled(scale, abs(c.value))
            if magnitude:
                magnitude = _scale_mag(magnitude, abs(c.value))
        elif op == "Divide" and lt and c.value:
            scale = _rescaled(scale, 1.0 / abs(c.value))
            if magnitude:
                magnitude = _scale_mag(magnitude, 1.0 / abs(c.value))
        elif op in ("Add", "Subtract"):
            magnitude = None
        if isinstance(c.value, float) and c.value != c.value:
            return t.with_(dtype=dtype, node=node, name=None, depth=depth, nan=True)
    elif not isinstance(c, Const):
        # an operand of unknown value (a scalar, or an array that broadcasts): the result has at
        # least the tensor's rank, and each of its dims other than 1 survives broadcasting
        shape = None
        if t.shape is not None:
            body = t.shape[1:] if t.shape and t.shape[0] is ANY else t.shape
            shape = (ANY,) + tuple(None if d == 1 else d for d in body)
        return t.with_(dtype=None, shape=shape, node=node, name=None, depth=depth, magnitude=None,
                       scale=None, param=False, onehot=False, activation=None, requires_grad=t.requires_grad or None,
                       tapes=recorded(interp, t))
    return t.with_(dtype=dtype, node=node, name=None, depth=depth, scale=scale, magnitude=magnitude, param=False, onehot=False,
                   activation=None, tapes=recorded(interp, t))


def _grows(out, a, b) -> bool:
    """Fully known shapes `a` and `b` broadcast to `out`, larger than both, or (`out` None) do not
    broadcast at all."""
    known = lambda s: s is not None and not (s and s[0] is ANY) and all(S.known_int(d) or isinstance(d, str) for d in s)  # noqa: E731
    if not known(a) or not known(b):
        return False
    if out is None:
        return all(S.known_int(d) for d in a + b)
    return known(out) and out != a and out != b


def emit_reduce(call, x, result, op: str):
    """The `reduce` event for a mean or sum; returns `result`."""
    interp = call.interp
    if op and isinstance(x, Tensor) and interp.wants("reduce"):
        from ..events import Reduce

        interp.emit("reduce", Reduce(x, result, call.node, op))
    return result


def _torch_scalar_promotion(a: Tensor, b: Tensor, dtype):
    """PyTorch: a 0-dim operand (`x * np.random.rand()`, `x * t.sum()`) does not widen a
    dimensioned one of the same category; a float 0-dim one makes an integer tensor float32."""
    for scalar, other in ((a, b), (b, a)):
        if scalar.shape == () and other.rank is not None and other.rank >= 1 or scalar.shape == () and other.shape is not None and other.shape[:1] == (ANY,):
            if other.dtype is None or scalar.dtype is None:
                return None
            if is_float_dtype(scalar.dtype) and is_int_dtype(other.dtype):
                return "float32"
            if is_float_dtype(scalar.dtype) == is_float_dtype(other.dtype):
                return other.dtype
    return dtype


def _rescaled(scale, factor):
    """The literal factor data was scaled by after one more factor. Shrinking (`x / 255`,
    `x * 0.1`) is how data is brought into [0, 1]: it undoes an enlargement but never makes a
    scale of its own (`None`: as the data came)."""
    out = (scale or 1.0) * factor
    return out if out > 1.0 else None


def _scale_mag(m, k):
    return (m[0] * k if m[0] is not None else None, m[1] * k if m[1] is not None else None)


def _const_op(op, a, b):
    try:
        if op == "Add":
            return Const(a + b)
        if op == "Subtract":
            return Const(a - b)
        if op == "Multiply":
            if isinstance(a, (str, tuple, list)) or isinstance(b, (str, tuple, list)):
                return UNKNOWN
            return Const(a * b)
        if op == "Divide":
            return Const(a / b)
        if op == "FloorDivide":
            return Const(a // b)
        if op == "Modulo" and not isinstance(a, str):
            return Const(a % b)
        if op == "Power" and abs(b) < 64:
            return Const(a ** b)
    except Exception:
        return UNKNOWN
    return UNKNOWN


def emit_matmul(interp, a: Tensor, b: Tensor, node, name: str = "matmul", kwargs=None) -> None:
    """The `matmul` event: `a @ b`, `torch.matmul/mm/bmm`, `tf.matmul` (`name` says which)."""
    if interp.wants("matmul"):
        from ..events import MethodCall

        interp.emit("matmul", MethodCall(a, name, [b], dict(kwargs or {}), node))


def _matmul(a: Tensor, b: Tensor, node, depth) -> Value:
    sa, sb = a.shape, b.shape
    shape = None
    if sa is not None and sb is not None and ANY not in sa[:1] and ANY not in sb[:1] and len(sa) >= 1 and len(sb) >= 1:
        if len(sa) == 2 and len(sb) == 2:
            shape = (sa[0], sb[1])
        elif len(sa) >= 2 and len(sb) == 2:
            shape = tuple(sa[:-1]) + (sb[1],)
        elif len(sa) == 1 and len(sb) == 2:
            shape = (sb[1],)
        elif len(sa) == 2 and len(sb) == 1:
            shape = (sa[0],)
        elif len(sa) >= 3 and len(sb) >= 3:
            batch = S.broadcast(tuple(sa[:-2]), tuple(sb[:-2]))
            shape = tuple(batch) + (sa[-2], sb[-1]) if batch is not None else None
    return a.with_(shape=shape, dtype=promote(a.dtype, b.dtype, a.fw), node=node, name=None, depth=depth,
                   requires_grad=grad_of(a, b), magnitude=None, param=False, onehot=False, activation=None,
                   labels=a.labels or b.labels, models=grad_models(a, b))


# -- tensors: attributes, methods, indexing -----------------------------------------------------

def tensor_attribute(interp, t: Tensor, attr: str, node) -> Value:
    if attr == "shape":
        return _size_value(t)
    if attr == "T" or attr == "mT":
        if t.shape is not None and ANY not in t.shape[:1]:
            return t.with_(shape=tuple(reversed(t.shape)) if attr == "T" else t.shape[:-2] + t.shape[-2:][::-1], node=node, name=None)
        return t.with_(shape=None, node=node, name=None)
    if attr == "dtype":
        return Const(t.dtype) if t.dtype else UNKNOWN
    if attr == "ndim":
        return Const(t.rank) if t.rank is not None else UNKNOWN
    if attr in ("data",):
        return t.with_(node=node, requires_grad=False, name=None)
    from ..api import BoundBuiltin

    return BoundBuiltin(t, attr)


def _size_value(t: Tensor) -> Value:
    if t.shape is None or ANY in t.shape[:1]:
        return UNKNOWN
    return Seq("tuple", tuple(Const(d) if S.known_int(d) else UNKNOWN for d in t.shape))


def tensor_method(call, t: Tensor, name: str) -> Value:
    fn = TENSOR_METHODS.get(name)
    interp = call.interp
    if interp.wants("method_call"):
        from ..events import MethodCall

        interp.emit("method_call", MethodCall(t, name, call.args, call.kwargs, call.node))
    if name.endswith("_") and not name.startswith("_"):
        return _in_place(call, t, name, fn)
    if fn is None:
        return UNKNOWN
    return fn(call, t)


def _in_place(call, t: Tensor, name: str, fn) -> Value:
    """`x.requires_grad_()`, `acc.add_(loss)`: the name bound to the receiver changes too."""
    import libcst as cst

    out = fn(call, t) if fn is not None else UNKNOWN
    if name == "requires_grad_":
        new = out if isinstance(out, Tensor) else t.with_(requires_grad=None)
    elif t.requires_grad is True:
        return out
    else:
        flags = [grad_of(v) if isinstance(v, Tensor) else (False if isinstance(v, Const) else None)
                 for v in (*call.args, *call.kwargs.values())]
        if all(f is False for f in flags):
            return out
        new = t.with_(requires_grad=True if True in flags else None, models=t.models | grad_models(*call.args))
    receiver = getattr(call.node, "func", None)
    if isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
        call.interp.rebind(call.frame, receiver.value.value, new)
    return new if name == "requires_grad_" else out


def subscript(interp, obj: Value, idx: list, node) -> Value:
    from ..api import SliceV

    if isinstance(obj, MutableList) and not obj.exact:
        if len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
            i = idx[0].value
            if i < 0 and -i <= obj.tail:
                return obj.items[i]
            return iterate(interp, obj)  # one of its items
        return UNKNOWN
    if isinstance(obj, (Seq, MutableList)) and len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
        i = idx[0].value
        if -len(obj.items) <= i < len(obj.items):
            return obj.items[i]
        return UNKNOWN
    if isinstance(obj, Container) and len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
        i = idx[0].value
        if -len(obj.layers) <= i < len(obj.layers):
            return obj.layers[i]
        return UNKNOWN
    if isinstance(obj, Tensor):
        return _index_tensor(obj, idx, node)
    return UNKNOWN


def _index_tensor(t: Tensor, idx: list, node) -> Value:
    from ..api import SliceV

    base = dict(node=node, name=None, magnitude=t.magnitude, param=False, onehot=False)
    shape = t.shape
    rows = idx[0] if len(idx) == 1 else None
    if isinstance(rows, Tensor) and is_int_dtype(rows.dtype) and rows.dtype != "bool" and t.rank:
        # indexing with an integer array picks rows: `x[batch_idx]`, `np.eye(n)[labels]` (one-hot rows)
        lead = rows.shape if rows.shape is not None and ANY not in rows.shape[:1] else None
        rest = shape[1:] if shape is not None and ANY not in shape[:1] else None
        out = lead + rest if lead is not None and rest is not None else None
        if t.onehot and t.rank == 2:
            return t.with_(shape=out, node=node, name=None, origin=node, labels=rows.labels, param=False, onehot=True)
        return t.with_(shape=out, **base)
    if shape is None or ANY in shape[:1]:
        return t.with_(shape=None, **base)
    out = []
    pos = 0
    for i, ix in enumerate(idx):
        if isinstance(ix, Const) and ix.value is Ellipsis:
            return t.with_(shape=None, **base)
        if pos >= len(shape):
            if isinstance(ix, Const) and ix.value is None:
                out.append(1)
                continue
            return t.with_(shape=None, **base)
        if isinstance(ix, Const) and S.known_int(ix.value):
            pos += 1
        elif isinstance(ix, Const) and ix.value is None:
            out.append(1)
        elif isinstance(ix, Tensor) and len(idx) == 1 and is_int_dtype(ix.dtype) and ix.dtype != "bool":
            # `X[perm]`: an integer array picks along the first dim; the dims after it stay
            lead = tuple(ix.shape) if ix.shape is not None else (ANY,)
            # rows picked from one-hot rows (`np.eye(n)[y]`) are one-hot; labels picked stay labels
            return t.with_(shape=lead + tuple(shape[1:]), **{**base, "onehot": t.onehot})
        elif isinstance(ix, Tensor) and len(idx) == 1 and ix.dtype == "bool" and ix.rank is not None and ix.rank >= 1:
            return t.with_(shape=(None,) + tuple(shape[ix.rank:]), **base)  # a mask: some rows
        elif isinstance(ix, SliceV):
            d = shape[pos]
            lo, hi, st = ix.lower, ix.upper, ix.step
            if all(isinstance(v, Const) and (v.value is None or S.known_int(v.value)) for v in (lo, hi, st)) and S.known_int(d):
                out.append(len(range(d)[slice(lo.value, hi.value, st.value)]))
            elif all(isinstance(v, Const) and v.value is None for v in (lo, hi, st)):
                out.append(d)
            else:
                out.append(None)
            pos += 1
        else:
            return t.with_(shape=None, **base)
    out.extend(shape[pos:])
    return t.with_(shape=tuple(out), **base)


def iterate(interp, it: Value) -> Value:
    """One element of iterating `it` (a batch of a loader, a row of a tensor)."""
    if isinstance(it, Dataset):
        items = []
        n = len(it.tensors)
        for i, t in enumerate(it.tensors):
            if isinstance(t, Tensor):
                if it.batched:
                    shape = ("B",) + tuple(t.shape[1:]) if t.shape and ANY not in t.shape[:1] else None
                else:
                    shape = tuple(t.shape[1:]) if t.shape and ANY not in t.shape[:1] else None
                items.append(t.with_(shape=shape, name=None, labels=t.labels or (n >= 2 and i == n - 1), param=False))
            else:
                items.append(UNKNOWN)
        return Seq("tuple", tuple(items)) if n != 1 else items[0]
    if isinstance(it, Tensor):
        if it.shape and ANY not in it.shape[:1]:
            return it.with_(shape=tuple(it.shape[1:]), name=None, param=False)
        return it.with_(shape=None, name=None, param=False)
    if isinstance(it, ZipV):
        return Seq("tuple", tuple(iterate(interp, x) for x in it.parts))
    if isinstance(it, EnumerateV):
        return Seq("tuple", (UNKNOWN, iterate(interp, it.inner)))
    if isinstance(it, (Seq, MutableList)) and it.items:
        out = it.items[0]
        for v in it.items[1:64]:
            out = join(out, v)
        return out if len(it.items) <= 64 else UNKNOWN
    return UNKNOWN


class ZipV(Value):
    __slots__ = ("parts",)

    def __init__(self, parts):
        self.parts = parts


class EnumerateV(Value):
    __slots__ = ("inner",)

    def __init__(self, inner):
        self.inner = inner


# -- layers, containers and models --------------------------------------------------------------

def call_layer(call, layer: Value) -> Value:
    """Calling a framework layer or a Sequential/functional model with values."""
    interp = call.interp
    from ..events import LayerCall, Site

    x = call.args[0] if call.args else UNKNOWN
    if isinstance(layer, Container) and layer.fw == "keras" and call.args:
        from .keras import keras_model_call

        return keras_model_call(call, layer)
    if isinstance(layer, Layer) and layer.fw == "keras" and isinstance(x, Tensor) and x.fw == "keras":
        pass  # functional API: applying a layer to a symbolic tensor
    site = call.site(x)
    first = _first_layer(layer)
    if interp.wants("layer_call"):
        interp.emit("layer_call", LayerCall(layer, call.args, call.kwargs, call.node, site, sublayer=first,
                                            container=layer if first is not layer else None))
    if isinstance(layer, Layer):
        return apply_layer(call, layer, x)
    if isinstance(layer, Container) and layer.kind == "torch.nn.Sequential":
        return run_sequential(call, layer, x)
    return UNKNOWN


def run_sequential(call, seq: Container, x: Value) -> Value:
    """Push `x` through the layers of an nn.Sequential; a layer that receives the wrong shape
    from the one before it is reported at its own definition."""
    interp = call.interp
    from ..events import LayerCall, Site

    value = x
    for i, sub in enumerate(seq.layers):
        if i > 0 and isinstance(value, Tensor) and interp.wants("layer_call"):
            node = getattr(sub, "node", None) or call.node
            interp.emit("layer_call", LayerCall(sub, [value], {}, call.node, Site(node, None, None),
                                                sublayer=_first_layer(sub), container=seq))
        value = apply_any(call, sub, value)
        if not isinstance(value, Tensor) and i + 1 < len(seq.layers):
            # a layer not modeled: its output is not known, the layers after it still apply
            value = Tensor(shape=None, dtype=None, fw=seq.fw, node=call.node, depth=call.depth)
    return value


def _first_layer(layer: Value) -> Value:
    seen = 0
    while isinstance(layer, Container) and layer.layers and seen < 32:
        layer = layer.layers[0]
        seen += 1
    return layer


def apply_any(call, layer: Value, x: Value) -> Value:
    if isinstance(layer, Layer):
        return apply_layer(call, layer, x)
    if isinstance(layer, Container) and layer.kind == "torch.nn.Sequential":
        interp = call.interp
        interp.muted += 1
        try:
            return run_sequential(call, layer, x)
        finally:
            interp.muted -= 1
    if isinstance(layer, Instance):
        interp = call.interp
        from ..api import CallInfo

        inner = CallInfo(interp, call.node, call.frame, [x], {}, [None], {})
        interp.muted += 1
        try:
            return interp.call_instance(layer, inner)
        finally:
            interp.muted -= 1
    return UNKNOWN


def apply_layer(call, layer: Layer, x: Value) -> Value:
    spec = layer.spec
    if spec is None or spec.transfer is None:
        return UNKNOWN
    if spec.category == "merge":  # Add()([a, b]), Concatenate()([a, b]): a list of tensors
        if layer.short == "Concatenate":
            emit_join(call, layer.kind, x, layer.facts.get("axis", -1))
        parts = [t for t in (x.items if isinstance(x, (Seq, MutableList)) else ()) if isinstance(t, Tensor)]
        out = spec.transfer(layer, x, call)
        if isinstance(out, Tensor):
            return out.with_(node=call.node, depth=call.depth, name=None, origin=call.node, activation="linear",
                             requires_grad=grad_of(*parts) if parts else None, param=False, magnitude=None,
                             onehot=False, labels=False, nan=False, tapes=call.interp.tapes, models=grad_models(*parts))
        return out
    if not isinstance(x, Tensor):
        x = Tensor(shape=None, dtype=None, fw=layer.fw, node=call.node, depth=call.depth)
    out = spec.transfer(layer, x, call)
    interp = call.interp
    if isinstance(out, Tensor):
        dtype = out.dtype
        if spec.float_input or spec.int_input or (layer.fw == "keras" and spec.category == "layer"):
            # Keras layers with weights cast their inputs to their own dtype
            dtype = layer.dtype if spec.category != "activation" else out.dtype
        if spec.category == "layer":
            grad = False if interp.no_grad else True
        else:
            grad = x.requires_grad
        act = layer.facts.get("activation")
        if spec.category == "activation" and isinstance(act, str) and act.lower() == "linear":
            act = x.activation  # Activation("linear") is the identity
        if not isinstance(act, str):
            if spec.activation:
                act = spec.activation
            elif spec.category == "layer":
                act = "linear"
            else:  # Dropout, Flatten, Identity: the input's activation passes through
                act = x.activation
        return out.with_(node=call.node, depth=call.depth, name=None, dtype=dtype, requires_grad=grad,
                         param=False, magnitude=None, onehot=False, labels=False, normalized=True, nan=False,
                         origin=call.node, activation=act.lower() if isinstance(act, str) else None,
                         tapes=interp.tapes, models=x.models | {id(layer)})
    return out


# constructor arguments a layer keeps as attributes of the same name and value
LAYER_ATTRIBUTES = frozenset((
    "in_features", "out_features", "in_channels", "out_channels", "num_features", "hidden_size", "input_size",
    "num_layers", "embedding_dim", "num_embeddings", "embed_dim", "num_heads", "units", "filters", "output_dim",
    "input_dim", "rate", "p",
))


def layer_attribute(layer: Layer, attr: str) -> Value:
    """`fc.in_features`, `dense.units`: the value the constructor was given, when it is known."""
    v = layer.facts.get(attr)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return Const(v)
    return UNKNOWN


def expected_inputs(layer: Value, t: Tensor) -> list:
    if isinstance(layer, Layer) and layer.spec is not None and layer.spec.expects is not None:
        try:
            return layer.spec.expects(layer, t) or []
        except Exception:
            return []
    return []


def container_method(call, obj: Value, name: str) -> Value:
    fn = OBJECT_METHODS.get((type(obj).__name__, name)) or OBJECT_METHODS.get(("*model", name))
    if fn is not None:
        return fn(call, obj)
    if name in ("to", "cuda", "cpu", "train", "eval", "float", "double", "half", "requires_grad_", "apply", "type"):
        return _module_cast(call, obj, name)
    if name in ("parameters", "named_parameters", "trainable_variables", "trainable_weights"):
        return ParamsV(obj)
    if name == "forward" and isinstance(obj, (Layer, Container)):
        return call_layer(call, obj)
    return UNKNOWN


class ParamsV(Value):
    __slots__ = ("model",)

    def __init__(self, model):
        self.model = model


def _module_cast(call, obj, name):
    target = None
    if name == "double":
        target = "float64"
    elif name in ("float",):
        target = "float32"
    elif name == "half":
        target = "float16"
    elif name in ("to", "type"):
        for v in list(call.args) + list(call.kwargs.values()):
            d = dtype_of(v)
            if d:
                target = d
    if target is not None:
        _set_dtype(obj, target)
    return obj


def _set_dtype(obj, dtype, seen=None):
    seen = seen or set()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (Layer, Container, Instance)):
        obj.dtype = dtype
    if isinstance(obj, Container):
        for sub in obj.layers:
            _set_dtype(sub, dtype, seen)
    if isinstance(obj, Instance):
        for sub in obj.attrs.values():
            _set_dtype(sub, dtype, seen)


def object_method(call, obj: Value, name: str) -> Value:
    fn = OBJECT_METHODS.get((type(obj).__name__, name))
    if fn is not None:
        return fn(call, obj)
    return UNKNOWN


def model_dtype(model: Value) -> str | None:
    return getattr(model, "dtype", None)


from . import numpy as _numpy  # noqa: E402,F401  (fill the tables)
from . import torch as _torch  # noqa: E402,F401
from . import keras as _keras  # noqa: E402,F401
from . import builtins as _builtins  # noqa: E402,F401
