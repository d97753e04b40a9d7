"""Operations on tensors: concatenation, stacking, reductions, arithmetic with broadcasting
and dtype promotion, matrix products."""
from __future__ import annotations

from ..values import (
    ANY, SOME_INT, UNKNOWN, Const, MutableList, Seq, Tensor, Value, exact_items, is_float_dtype, is_int_dtype, is_int_value,
    unbounded,
)
from ..joins import join
from . import layout as L, shapes as S
from .common import UNSEEN_MODELS, derive, grad_models, grad_of, minmax_step, recorded, scaled_shift
from ..python2 import python2_division



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
        shape = concat_shape(shapes, axis, exact)
    dtype = parts[0].dtype
    for t in parts[1:]:
        dtype = promote(dtype, t.dtype, parts[0].fw)
    scales = [t.scale or 1.0 for t in parts]
    mix = any(t.scale_mix for t in parts) or max(scales) / max(min(scales), 1e-30) >= 100.0
    # parts scaled alike keep their scale: `concat([a * 1000, b * 1000]) / 1000` is as the data came
    return derive(parts[0], call, shape=shape, dtype=dtype, origin=call.node, param=False, magnitude=_joined_magnitude(parts),
                  scale=max(scales) if max(scales) > 1.0 and not mix else None, scale_mix=mix, normalized=all(t.normalized for t in parts),
                  labels=any(t.labels for t in parts), nan=any(t.nan for t in parts), requires_grad=grad_of(*parts),
                  models=grad_models(*parts))


def _joined_magnitude(parts) -> tuple | None:
    """The magnitude of a join of `parts` whose largest values are all known: (the smallest
    nonzero |value| where every part knows its own, the largest); None otherwise."""
    mags = [t.magnitude for t in parts]
    if not mags or any(not m or m[1] is None for m in mags):
        return None
    lows = [m[0] for m in mags]
    return (None if any(lo is None for lo in lows) else min(lows), max(m[1] for m in mags))


def emit_join(call, qualname: str, seq, axis, stack: bool = False) -> None:
    """The `join` event for a concatenation or stack of a literal sequence of values (one value
    is enough: `torch.cat` rejects a single zero-dimensional tensor too)."""
    interp = call.interp
    if isinstance(seq, (Seq, MutableList)) and seq.items and interp.wants("join"):
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


def concat_shape(shapes, axis: int, exact: bool):
    ranks = {len(s) for s in shapes if s is not None and ANY not in s[:1]}
    if len(ranks) > 1:
        return None
    if not ranks:
        # no part of known rank: the dims counted from the end, other than the axis, are
        # shared by every part (concatenation requires it); known where any part knows them
        if axis >= 0:
            # joining along dim `axis` requires that many dims before it: the rank is at least
            # axis + 1 (`torch.cat([a, b], dim=1)` is a matrix or more), the sizes unknown
            return (ANY,) + (None,) * (axis + 1) if axis >= 1 else None
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


def at_least(shape):
    """The shape of `t op u` for a tensor of shape `shape` and an operand of unknown shape (a
    scalar, or an array that broadcasts): at least the tensor's rank, and each of its dims other
    than 1 survives broadcasting. None when `shape` is."""
    if shape is None:
        return None
    body = shape[1:] if shape and shape[0] is ANY else shape
    return (ANY,) + tuple(None if d == 1 else d for d in body)


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


_INT_OPS = frozenset({"Add", "Subtract", "Multiply", "FloorDivide", "Modulo"})  # int op int is an int


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
        if op in _INT_OPS and is_int_value(left) and is_int_value(right):
            return SOME_INT  # `2 * n`, `n // 2` of an int of unknown value: an int
        return UNKNOWN
    depth = min(v.depth for v in (left, right) if isinstance(v, Tensor))
    if op != "MatrixMultiply" and interp is not None and interp.wants("elementwise"):
        from ..events import MethodCall

        interp.emit("elementwise", MethodCall(left, op, [right], {}, node))
    if op == "MatrixMultiply":
        if lt and rt:
            emit_matmul(interp, left, right, node)
            return _matmul(left, right, node, depth)
        return UNKNOWN
    if lt and rt:
        shape = S.broadcast(left.shape, right.shape)
        if shape is None and (left.shape is None) != (right.shape is None):
            shape = at_least((left if right.shape is None else right).shape)
        fw = left.fw if left.fw == right.fw else ("torch" if "torch" in (left.fw, right.fw) else left.fw)
        dtype = promote(left.dtype, right.dtype, fw)
        if fw == "torch":
            dtype = _torch_scalar_promotion(left, right, dtype)
        if op == "Divide" and dtype is not None and is_int_dtype(dtype) and not (fw == "np" and python2_division()):
            dtype = "float32" if fw == "torch" else "float64"
        base = left
        if op == "Subtract":
            base = left.with_(broadcast=(left, right, node, op) if _grows(shape, left.shape, right.shape) else None)
        elif op == "Multiply" and shape is not None and _grows(shape, left.shape, right.shape):
            base = left.with_(broadcast=(left, right, node, op))  # a product that grows: `(N,) * (N, 1)`
        minmax, span = minmax_step(op, left, right, node)
        if span is None and op == "Divide" and right.shape == ():
            span = _signs_kept(left)
        return L.of_elementwise(base.with_(minmax=minmax,
            shape=shape, dtype=dtype, fw=fw, node=node, name=None, depth=depth,
            labels=left.labels or right.labels, nan=left.nan or right.nan,
            requires_grad=grad_of(left, right), activation=None, models=grad_models(left, right),
            tapes=recorded(interp, left, right),
            magnitude=None, onehot=False, classes=False, param=False, span=span, draws=None,
            scale_mix=left.scale_mix or right.scale_mix, normalized=left.normalized and right.normalized,
        ), (left, right))
    t, c = (left, right) if lt else (right, left)
    dtype = t.dtype
    scale = t.scale
    magnitude = t.magnitude
    if isinstance(c, Const) and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
        if isinstance(c.value, float) and is_int_dtype(dtype):
            dtype = "float32" if t.fw == "torch" else "float64"
        if op == "Divide" and is_int_dtype(dtype) and not (t.fw == "np" and isinstance(c.value, int) and python2_division()):
            dtype = "float32" if t.fw == "torch" else "float64"  # (Python 2's NumPy floors integers)
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
        # (and, when it is not a known number, it may be another model's output)
        shape = at_least(t.shape)
        models = t.models | {UNSEEN_MODELS} if t.models and not is_int_value(c) else t.models
        span = _signs_kept(t) if op == "Divide" and lt else None
        return t.with_(dtype=_with_some_int(op, t, c), shape=shape, node=node, name=None, depth=depth, magnitude=None,
                       scale=None, span=span, draws=None, param=False, onehot=False, classes=False, activation=None,
                       requires_grad=t.requires_grad or None, tapes=recorded(interp, t), models=models)
    out = t.with_(dtype=dtype, node=node, name=None, depth=depth, scale=scale, magnitude=magnitude, param=False, onehot=False, classes=False,
                  activation=_shifted(t.activation, op, c), tapes=recorded(interp, t), span=affine_span(t.span, op, c, lt),
                  draws=affine_span(t.draws, op, c, lt), minmax=scaled_shift(t, op, c, lt, node))
    return L.of_elementwise(out, (t,)) if isinstance(c, Const) else out


def _with_some_int(op: str, t: Tensor, c: Value) -> str | None:
    """The dtype of `t op c` for a Python int `c` of unknown value (`len(vocab)`, `x.size(0)`): the
    tensor's own for `+ - * // %`, and for `/` a float (true division) when `t` holds integers;
    unknown for anything else, and for an operand that may be an array of another dtype."""
    if not is_int_value(c) or t.dtype is None or t.dtype == "bool":
        return None
    if op == "Divide" and is_int_dtype(t.dtype):
        if t.fw == "np" and python2_division():
            return t.dtype  # (Python 2's NumPy floors integers)
        return "float32" if t.fw == "torch" else "float64" if t.fw == "np" else None
    if t.fw == "np" and t.dtype not in ("int64", "float64", "float32", "float16"):
        return None  # (NumPy 1 widens a small integer array to fit a large scalar)
    return t.dtype if op in _INT_OPS or op == "Divide" else None


def _signs_kept(t: Tensor):
    """The span of `t / s` for a scalar `s` of unknown value (a number, a 0-d tensor, the sum or
    norm of `t` itself): a sample of several values of both signs, unbounded (normal draws), keeps
    values of both signs, whatever one number divides them all; the size is lost, the signs are
    not. None for anything else: one value divided by its own sum is 1."""
    if not unbounded(t.span) or t.shape is None or not all(S.known_int(d) for d in t.shape):
        return None
    n = 1
    for d in t.shape:
        n *= d
    return t.span if n >= 2 else None


def affine_span(span, op: str, c, tensor_left: bool):
    """The span of `t op c` (or `c op t`) for a literal number c: x*2-1 maps [0, 1] to [-1, 1].
    Any other operation, or an operand that is not a number, leaves the span unknown."""
    if span is None or not isinstance(c, Const) or not isinstance(c.value, (int, float)) or isinstance(c.value, bool):
        return None
    lo, hi, source = span
    k = c.value
    if op == "Add":
        ends = (lo + k, hi + k)
    elif op == "Subtract":
        ends = (lo - k, hi - k) if tensor_left else (k - hi, k - lo)
    elif op == "Multiply" and k:
        ends = (lo * k, hi * k)
    elif op == "Divide" and tensor_left and k:
        ends = (lo / k, hi / k)
    else:
        return None
    if any(e != e for e in ends):
        return None
    return (min(ends), max(ends), source)


def _shifted(activation, op: str, c) -> str | None:
    """`tanh(x) + 1e-10`: an activation's output plus a small positive constant (the epsilon put
    before a log) is written "tanh+"; rules that read the plain activation do not see it."""
    if activation is None or activation.endswith("+") or op != "Add" or not isinstance(c, Const):
        return None
    v = c.value
    return activation + "+" if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 1e-3 else None


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


def _floors(a, b) -> bool:
    return isinstance(a, int) and isinstance(b, int) and python2_division()


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
            if _floors(a, b):
                return Const(a // b)  # Python 2: `/` of two integers floors
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

