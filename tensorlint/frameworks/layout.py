"""Memory layout of PyTorch tensors: the element strides a tensor has, where the program makes
them known, and whether `view` can give it a new shape.

A tensor's strides are known only where they follow from operations with known results on a
tensor known to be contiguous (a tensor a factory makes, `.contiguous()`, a linear layer's
output): `Tensor.layout` holds `(node, strides)`, and the strides count only while the tensor's
`node` is that node, so that any operation that makes a new value without setting them leaves
them unknown. Every dim must be a known int.
"""
from __future__ import annotations

from ..values import Tensor
from .shapes import known_int


def _known_shape(shape) -> bool:
    return shape is not None and all(known_int(d) and d >= 0 for d in shape)


def contiguous_strides(shape) -> tuple | None:
    """The strides torch gives a new tensor of this shape (a size-0 dim counts as 1)."""
    if not _known_shape(shape):
        return None
    out = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        out[i] = out[i + 1] * max(shape[i + 1], 1)
    return tuple(out)


def strides(t) -> tuple | None:
    """The strides of `t` where the program makes them known, else None."""
    if not isinstance(t, Tensor) or t.layout is None or t.fw != "torch":
        return None
    node, st = t.layout
    if node is not t.node or not _known_shape(t.shape) or len(st) != len(t.shape):
        return None
    return st


def with_strides(t, st):
    """`t` with these strides (unknown when `st` is None or does not fit its shape)."""
    if not isinstance(t, Tensor):
        return t
    if st is None or not _known_shape(t.shape) or len(st) != len(t.shape):
        return t.with_(layout=None) if t.layout is not None else t
    return t.with_(layout=(t.node, tuple(st)))


def contiguous(t):
    """`t` made contiguous: its shape's contiguous strides."""
    return with_strides(t, contiguous_strides(t.shape) if isinstance(t, Tensor) else None)


def is_contiguous(shape, st) -> bool:
    """torch's `is_contiguous`: the strides of every dim larger than 1 are those of a new tensor."""
    expected = 1
    for size, stride in zip(reversed(shape), reversed(st)):
        if size == 0:
            return True
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def view_strides(shape, st, new_shape) -> tuple | None:
    """The strides `view(new_shape)` gives a tensor of this shape and these strides, or None when
    torch refuses the view. The dims of the old shape are cut into chunks, each contiguous in
    memory (a size-1 dim joins any chunk); the new dims must fill each chunk exactly, so a dim
    can be split but two dims can be merged only within a chunk."""
    if not shape:
        return (1,) * len(new_shape)
    total = 1
    for d in shape:
        total *= d
    if total == 0:
        return contiguous_strides(new_shape)
    new = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    base = st[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and st[d - 1] != tensor_numel * base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new[view_d] = view_numel * base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                base = st[d - 1]
                tensor_numel = view_numel = 1
    if view_d != -1:
        return None
    return tuple(new)


def resolved_shape(shape, target) -> tuple | None:
    """The target of a view with its `-1` worked out, or None when it does not fit the shape."""
    if not _known_shape(shape) or target is None:
        return None
    total = 1
    for d in shape:
        total *= d
    if target.count(-1) > 1 or not all(known_int(d) and d >= -1 for d in target):
        return None
    rest = 1
    for d in target:
        if d != -1:
            rest *= d
    if -1 in target:
        if rest == 0 or total % rest:
            return None
        target = tuple(total // rest if d == -1 else d for d in target)
    elif rest != total:
        return None
    return tuple(target)


def permuted(st, dims) -> tuple | None:
    if st is None or sorted(d % len(st) for d in dims) != list(range(len(st))):
        return None
    return tuple(st[d] for d in dims)


def transposed(st, a, b) -> tuple | None:
    if st is None or not (-len(st) <= a < len(st) and -len(st) <= b < len(st)):
        return None
    out = list(st)
    out[a], out[b] = out[b], out[a]
    return tuple(out)
