"""torch methods and functions that copy or refill a tensor: `x.repeat(*sizes)` and
`torch.tile(x, dims)` (copies along each axis), `x.type_as(y)` (`x` in `y`'s dtype), and the
in-place fills `x.zero_()` / `x.fill_(v)` (the same tensor back). An ndarray's `a.repeat(n, axis)`
is NumPy's `np.repeat`. Each is checked against PyTorch and NumPy in
tests/differential/test_torch_ops.py."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Tensor
from ..registry import CALLS, TENSOR_METHODS
from .. import layout as L, shapes as S
from ..common import derive, shape_from_args
from ..numpy_calls import repeat as numpy_repeat


def _times(shape, reps):
    """`shape` copied `reps` times along each axis, the shorter of the two padded with leading ones."""
    n = max(len(shape), len(reps))
    shape = (1,) * (n - len(shape)) + tuple(shape)
    reps = (1,) * (n - len(reps)) + tuple(reps)
    return tuple(d * r if S.known_int(d) and S.known_int(r) else None for d, r in zip(shape, reps))


def _repeat(call, x):
    """`x.repeat(2, 1)`, `x.repeat((2, 1))`: one count per axis, at least as many as `x` has axes."""
    if x.fw == "np":
        return numpy_repeat(call.with_args([x, *call.args], call.kwargs, [None, *call.arg_nodes], call.kwarg_nodes))
    if x.fw != "torch":
        return UNKNOWN
    reps = shape_from_args(call, 0, "repeats")
    if reps is None or x.shape is None:
        return derive(x, call, shape=None, param=False, onehot=False)
    if ANY in x.shape[:1]:
        # [..., D]: torch requires a count for every axis, so the result has one axis per count
        tail = x.shape[1:]
        if len(tail) > len(reps):
            return derive(x, call, shape=None, param=False, onehot=False)
        shape = (None,) * (len(reps) - len(tail)) + _times(tail, reps[len(reps) - len(tail):])
    elif len(reps) < len(x.shape):
        return derive(x, call, shape=None, param=False, onehot=False)
    else:
        shape = _times(x.shape, reps)
    return L.contiguous(derive(x, call, shape=shape, param=False, onehot=False))


def _tile(call, x):
    """`x.tile(dims)`: as `repeat`, and fewer counts than axes count from the last axis."""
    if x.fw != "torch":
        return UNKNOWN
    reps = shape_from_args(call, 0, "dims")
    if reps is None or x.shape is None or ANY in x.shape[:1]:
        return derive(x, call, shape=None, param=False, onehot=False)
    return L.contiguous(derive(x, call, shape=_times(x.shape, reps), param=False, onehot=False))


def _type_as(call, x):
    """`x.type_as(other)`: `x` in `other`'s dtype."""
    other = call.arg(0, "other")
    if x.fw != "torch" or not isinstance(other, Tensor):
        return UNKNOWN
    return derive(x, call, dtype=other.dtype, span=x.span) if other.dtype != x.dtype else x


def _filled(call, x):
    """`x.zero_()`, `x.fill_(v)`: the tensor itself, refilled."""
    if x.fw != "torch":
        return UNKNOWN
    return derive(x, call, name=x.name, onehot=False)


def _tile_function(call):
    x = call.arg(0, "input")
    if not isinstance(x, Tensor):
        return UNKNOWN
    rest = call.with_args(list(call.args[1:]), {k: v for k, v in call.kwargs.items() if k != "input"},
                          list(call.arg_nodes[1:]), {k: v for k, v in call.kwarg_nodes.items() if k != "input"})
    return _tile(rest, x)


TENSOR_METHODS.update({"repeat": _repeat, "tile": _tile, "type_as": _type_as, "zero_": _filled, "fill_": _filled})
CALLS.update({"torch.tile": _tile_function})
