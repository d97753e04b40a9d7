"""torch functions and methods that select or order elements: `sort` (the sorted values and
their int64 positions), `nonzero` (the int64 positions of the nonzero elements, one row each),
`diag` (a vector onto a matrix's diagonal, or a matrix's diagonal as a vector). Each is checked
against PyTorch in tests/differential/test_torch_ops.py."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, Seq
from ..registry import CALLS, TENSOR_METHODS
from .. import layout as L, shapes as S
from ..common import derive
from .calls import as_method

_FRESH = dict(param=False, onehot=False, activation=None, scale=None, magnitude=None, span=None, normalized=False)


def _positions(x, call, shape):
    """An int64 tensor of positions computed from `x` (no gradient)."""
    return L.contiguous(derive(x, call, shape=shape, dtype="int64", requires_grad=False, **_FRESH))


def _sort(call, x):
    """`x.sort(dim=-1, descending=False)`: values and int64 positions, both of `x`'s shape."""
    if x.fw != "torch":
        return UNKNOWN
    values = L.contiguous(derive(x, call, param=False, onehot=False))
    return Seq("tuple", (values, _positions(x, call, x.shape)), ("values", "indices"))


def _nonzero(call, x):
    """`x.nonzero()`: one row of int64 positions per nonzero element, [n, rank]; with
    `as_tuple=True`, one [n] tensor per axis (of a 0-d tensor, one)."""
    if x.fw != "torch":
        return UNKNOWN
    as_tuple = call.const(None, "as_tuple", False)
    if as_tuple is True:
        if x.shape is None or ANY in x.shape[:1]:
            return UNKNOWN
        return Seq("tuple", tuple(_positions(x, call, (None,)) for _ in range(max(len(x.shape), 1))))
    if as_tuple is not False:
        return UNKNOWN
    rank = len(x.shape) if x.shape is not None and ANY not in x.shape[:1] else None
    return _positions(x, call, (None, rank))


def _diag(call, x):
    """`x.diag(diagonal=0)`: a vector [n] onto the k-th diagonal of an [n + |k|, n + |k|] matrix;
    a matrix's k-th diagonal as a vector."""
    if x.fw != "torch":
        return UNKNOWN
    k = call.arg(0, "diagonal")
    k = 0 if k is None else k.value if isinstance(k, Const) and S.known_int(k.value) else None
    shape = None
    if x.shape is not None and ANY not in x.shape[:1] and k is not None:
        if len(x.shape) == 1:
            n = x.shape[0]
            shape = (n + abs(k),) * 2 if S.known_int(n) else (None, None)
        elif len(x.shape) == 2:
            rows, cols = x.shape
            size = None
            if S.known_int(rows) and S.known_int(cols):
                size = max(0, min(rows, cols - k) if k >= 0 else min(rows + k, cols))
            shape = (size,)
        else:
            return UNKNOWN  # torch refuses other ranks
    return L.contiguous(derive(x, call, shape=shape, param=False, onehot=False))


TENSOR_METHODS.update({"sort": _sort, "nonzero": _nonzero, "diag": _diag})
CALLS.update({"torch.sort": as_method("sort"), "torch.nonzero": as_method("nonzero"), "torch.diag": as_method("diag")})
