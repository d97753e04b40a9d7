"""More NumPy functions as training scripts call them: `np.max` / `np.min`, `np.random.shuffle`
(in place), `np.random.choice` / `permutation`, `np.unique` / `np.bincount` (one dimension of
data-dependent length), `np.copy`, `np.swapaxes`, `np.where`, `np.repeat`, `np.tile`, `np.dot` /
`np.matmul`, and `RandomState` as a generator. Checked against NumPy in
tests/differential/test_numpy_ops.py."""
from __future__ import annotations

from ..values import ANY, UNKNOWN, Const, MutableList, Seq, Tensor
from .registry import CALLS, OBJECT_METHODS
from . import shapes as S
from .common import called_name, derive, dtype_arg, extreme, make, shape_value
from .ops import binary_op, reduce_shape
from .numpy import Generator


def _np(call, shape, dtype, **kw):
    return make(call, shape, dtype, "np", **kw)


def _a(call, name="a"):
    v = call.arg(0, name)
    return v if isinstance(v, Tensor) else None


def max_min(call):
    """np.max(a, axis=None, keepdims=False): the reduced shape, the array's dtype."""
    a = _a(call)
    if a is None:
        return UNKNOWN
    axis = call.arg(1, "axis")
    keep = call.const(None, "keepdims", False)
    if axis is None or isinstance(axis, Const) and axis.value is None:
        return extreme(call, a, "max" if called_name(call) in ("max", "amax") else "min")
    if isinstance(axis, Const) and S.known_int(axis.value) and isinstance(keep, bool):
        return derive(a, call, shape=reduce_shape(a.shape, axis.value, keep), param=False, onehot=False, magnitude=None)
    return derive(a, call, shape=None, param=False, onehot=False, magnitude=None)


def in_place_none(call):
    """`np.random.shuffle(x)`: reorders `x` in place (its shape stays) and returns None."""
    return Const(None)


def choice(call, gen=None):
    a = call.arg(0, "a")
    size = call.arg(1, "size")
    dtype = a.dtype if isinstance(a, Tensor) else "int64" if isinstance(a, Const) and S.known_int(a.value) else None
    shape = () if size is None or isinstance(size, Const) and size.value is None else shape_value(size)
    return _np(call, shape, dtype)


def permutation(call, gen=None):
    x = call.arg(0, "x")
    if isinstance(x, Tensor):
        return derive(x, call, param=False)
    n = x.value if isinstance(x, Const) and S.known_int(x.value) else None
    return _np(call, (n,), "int64")


def one_dim(dtype=None):
    """np.unique / np.bincount / np.flatnonzero: one dimension whose length depends on the data."""
    def fn(call):
        a = _a(call) or _a(call, "x")
        if "return_counts" in call.kwargs or "return_index" in call.kwargs or "return_inverse" in call.kwargs:
            return UNKNOWN
        return _np(call, (None,), dtype or (a.dtype if a is not None else None))
    return fn


def copy(call):
    a = _a(call)
    return derive(a, call, param=False) if a is not None else UNKNOWN


def swapaxes(call):
    a = _a(call)
    i, j = call.const(1, "axis1"), call.const(2, "axis2")
    if a is None:
        return UNKNOWN
    if a.shape is None or ANY in a.shape[:1] or not S.known_int(i) or not S.known_int(j):
        return derive(a, call, shape=None, param=False)
    n = len(a.shape)
    if not (-n <= i < n and -n <= j < n):
        return derive(a, call, shape=None, param=False)
    dims = list(a.shape)
    dims[i % n], dims[j % n] = dims[j % n], dims[i % n]
    return derive(a, call, shape=tuple(dims), param=False)


def where(call):
    cond, x, y = call.arg(0, "condition"), call.arg(1, "x"), call.arg(2, "y")
    if x is None and y is None:
        return UNKNOWN  # a tuple of index arrays
    shapes = [v.shape if isinstance(v, Tensor) else () if isinstance(v, Const) else None for v in (cond, x, y)]
    shape = shapes[0]
    for s in shapes[1:]:
        shape = S.broadcast(shape, s)
    ts = [v for v in (x, y) if isinstance(v, Tensor)]
    dtype = ts[0].dtype if len(ts) == 2 and ts[0].dtype == ts[1].dtype else None
    return _np(call, shape, dtype)


def repeat(call):
    a = _a(call)
    reps, axis = call.const(1, "repeats"), call.const(2, "axis")
    if a is None:
        return UNKNOWN
    if a.shape is None or ANY in a.shape[:1] or not S.known_int(reps):
        return derive(a, call, shape=None, param=False)
    if axis is None:
        n = 1
        for d in a.shape:
            n = n * d if S.known_int(d) and n is not None else None
        return derive(a, call, shape=(n * reps if n is not None else None,), param=False)
    k = len(a.shape)
    if not S.known_int(axis) or not -k <= axis < k:
        return derive(a, call, shape=None, param=False)
    dims = list(a.shape)
    dims[axis % k] = dims[axis % k] * reps if S.known_int(dims[axis % k]) else None
    return derive(a, call, shape=tuple(dims), param=False)


def tile(call):
    a = _a(call, "A")
    reps = call.arg(1, "reps")
    if a is None:
        return UNKNOWN
    r = (reps.value,) if isinstance(reps, Const) and S.known_int(reps.value) else \
        tuple(v.value for v in reps.items) if isinstance(reps, (Seq, MutableList)) and all(isinstance(v, Const) and S.known_int(v.value) for v in reps.items) else None
    if a.shape is None or ANY in a.shape[:1] or r is None:
        return derive(a, call, shape=None, param=False)
    n = max(len(a.shape), len(r))
    dims = (1,) * (n - len(a.shape)) + tuple(a.shape)
    r = (1,) * (n - len(r)) + r
    return derive(a, call, shape=tuple(d * k if S.known_int(d) else None for d, k in zip(dims, r)), param=False)


def matmul(call):
    a, b = call.arg(0, "a"), call.arg(1, "b")
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        return UNKNOWN
    if a.rank == 0 or b.rank == 0:
        return binary_op(call.interp, "Multiply", a, b, call.node)
    return binary_op(call.interp, "MatrixMultiply", a, b, call.node)


CALLS.update({
    "numpy.max": max_min, "numpy.min": max_min, "numpy.amax": max_min, "numpy.amin": max_min,
    "numpy.random.shuffle": in_place_none, "numpy.random.choice": choice, "numpy.random.permutation": permutation,
    "numpy.unique": one_dim(), "numpy.bincount": one_dim("int64"), "numpy.flatnonzero": one_dim("int64"),
    "numpy.copy": copy, "numpy.swapaxes": swapaxes, "numpy.where": where, "numpy.repeat": repeat,
    "numpy.tile": tile, "numpy.dot": matmul, "numpy.matmul": matmul,
    "numpy.random.RandomState": lambda call: Generator(),
})
for _m, _fn in {"choice": choice, "permutation": permutation, "shuffle": lambda call, gen: Const(None)}.items():
    OBJECT_METHODS[("Generator", _m)] = _fn
