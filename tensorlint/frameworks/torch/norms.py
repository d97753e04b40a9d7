"""Vector and matrix norms of torch tensors: `x.norm(...)`, `torch.norm`, `torch.linalg.norm`,
`torch.linalg.vector_norm`."""
from __future__ import annotations

from ...values import Const, Seq, Tensor, UNKNOWN, is_float_dtype
from ..ops import emit_reduce, reduce_shape
from ..common import derive
from .. import shapes as S


# where the order and the dims sit in each norm: (order's position, order's keyword, its default)
_NORMS = {
    "method": (0, "p", "fro"), "torch.norm": (1, "p", "fro"),
    "torch.linalg.norm": (1, "ord", None), "torch.linalg.vector_norm": (1, "ord", 2),
}


def norm_fn(kind: str):
    """`torch.norm(x, p, dim, keepdim)`, `x.norm(p, dim, keepdim)`, `torch.linalg.norm(x, ord, dim,
    keepdim)`, `torch.linalg.vector_norm(x, ord, dim, keepdim)`: `x` reduced over `dim` (every dim
    when none is given), in `x`'s float dtype. The order comes before the dims: `x.norm(2, 1)` is
    the 2-norm over dim 1."""
    pos = _NORMS[kind][0]

    def fn(call, t=None):
        x = t if t is not None else call.arg(0, "input") or call.arg(0, "A") or call.arg(0, "x")
        if not isinstance(x, Tensor):
            return UNKNOWN
        dim = call.arg(pos + 1, "dim")
        keep = call.const(pos + 2, "keepdim", False)
        if dim is None or isinstance(dim, Const) and dim.value is None:
            d = None
        elif isinstance(dim, Const) and S.known_int(dim.value):
            d = dim.value
        elif isinstance(dim, Seq) and all(isinstance(i, Const) and S.known_int(i.value) for i in dim.items):
            d = tuple(i.value for i in dim.items)
        else:
            d = "?"
        shape = reduce_shape(x.shape, d, keep is True) if d != "?" and isinstance(keep, bool) else None
        if d is None and keep is not False:  # every dim kept, of size 1
            shape = (1,) * x.rank if keep is True and x.rank is not None else None
        dtype = x.dtype if is_float_dtype(x.dtype) else None
        return emit_reduce(call, x, derive(x, call, shape=shape, dtype=dtype, param=False, magnitude=None, onehot=False), "norm")
    return fn
