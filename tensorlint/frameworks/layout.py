"""Memory layout of PyTorch tensors: the element strides a tensor has, where the program makes
them known, and whether `view` can give it a new shape.

A tensor's strides are known only where they follow from operations with known results on a
tensor known to be contiguous (a tensor a factory makes, `.contiguous()`, a linear layer's
output): `Tensor.layout` holds `(node, strides)`, and the strides count only while the tensor's
`node` is that node, so that any operation that makes a new value without setting them leaves
them unknown. Every dim must be a known int or a symbol (the batch `"B"` of a loader): a symbol
stands for a size of at least 2 whose value is not known. The strides are reckoned with a
stand-in for each symbol, a large prime of its own, so that two products of sizes come out equal
only where they are the same product: a view judged with the stand-ins is judged for every batch
of two samples or more (a batch of one sample may take a view that a larger batch refuses).
"""
from __future__ import annotations

import zlib

from ..values import Tensor
from .shapes import known_int

# stand-ins for symbolic sizes: primes far above any real tensor dim, one per symbol
_STAND_INS = (1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099, 1_000_117, 1_000_121)


def size(d):
    """A dim's size for stride arithmetic: a known int, the stand-in of a symbol, else None."""
    if known_int(d):
        return d
    if isinstance(d, str) and d:
        return _STAND_INS[zlib.crc32(d.encode()) % len(_STAND_INS)]
    return None


def sizes(shape) -> tuple | None:
    """The shape with symbols replaced by their stand-ins; None when a dim is not known."""
    if shape is None:
        return None
    out = tuple(size(d) for d in shape)
    return None if any(d is None or d < 0 for d in out) else out


def symbolic(shape) -> bool:
    """The shape has a symbolic dim (its strides are reckoned with stand-ins)."""
    return shape is not None and any(isinstance(d, str) for d in shape)


def _known_shape(shape) -> bool:
    return sizes(shape) is not None


def contiguous_strides(shape) -> tuple | None:
    """The strides torch gives a new tensor of this shape (a size-0 dim counts as 1)."""
    shape = sizes(shape)
    if shape is None:
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
    for n, stride in zip(reversed(sizes(shape) or ()), reversed(st)):
        if n == 0:
            return True
        if n != 1:
            if stride != expected:
                return False
            expected *= n
    return True


def view_strides(shape, st, new_shape) -> tuple | None:
    """The strides `view(new_shape)` gives a tensor of this shape and these strides, or None when
    torch refuses the view. The dims of the old shape are cut into chunks, each contiguous in
    memory (a size-1 dim joins any chunk); the new dims must fill each chunk exactly, so a dim
    can be split but two dims can be merged only within a chunk."""
    shape, new_shape = sizes(shape), sizes(new_shape)
    if shape is None or new_shape is None:
        return None
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
    """The target of a view with its `-1` worked out (symbols as their stand-ins), or None when it
    does not fit the shape."""
    shape = sizes(shape)
    if shape is None or target is None:
        return None
    total = 1
    for d in shape:
        total *= d
    target = tuple(d if d == -1 else size(d) for d in target)
    if target.count(-1) > 1 or not all(d is not None and d >= -1 for d in target):
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


def unsqueezed(shape, st, dim: int) -> tuple | None:
    """The strides torch gives `unsqueeze(dim)` of a tensor of these strides (the new dim of size 1
    takes the size times the stride of the dim it goes before; at the end, 1)."""
    n = sizes(shape)
    if st is None or n is None or len(st) != len(n) or not 0 <= dim <= len(st):
        return None
    new = n[dim] * st[dim] if dim < len(st) else 1
    return tuple(st[:dim]) + (new,) + tuple(st[dim:])


def elementwise(out_shape, operands) -> tuple | None:
    """The strides torch gives the result of an elementwise operation of these tensors (a number
    operand is left out), or None where an operand's layout is not known. torch's TensorIterator:
    contiguous operands give a contiguous result; operands of the result's shape that share their
    strides give those; otherwise the result's dims are ordered in memory as the first operand that
    tells two dims apart orders them (a dim an operand broadcasts tells nothing)."""
    n = sizes(out_shape)
    if n is None or not operands:
        return None
    known = []
    for t in operands:
        st = strides(t)
        if st is None or len(st) > len(n):
            return None
        own = sizes(t.shape)
        lead = len(n) - len(st)
        # strides over the result's dims: a dim the operand lacks or broadcasts has stride 0
        known.append((own, tuple([0] * lead + [s if o == m else 0 for s, o, m in zip(st, own, n[lead:])]), st))
    if all(is_contiguous(own, st) for own, _, st in known):
        return contiguous_strides(n)
    first = known[0]
    if all(own == n and st == first[2] for own, _, st in known) and _dense(n, first[2]):
        return first[2]
    rank = len(n)
    # torch works on the dims in reverse (its dim 0 is the last one)
    rev = [tuple(reversed(b)) for _, b, _ in known]
    shape = tuple(reversed(n))

    def swap(d0, d1):
        for b in rev:
            s0, s1 = b[d0], b[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(rank))
    for i in range(1, rank):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    out = [0] * rank
    step = 1
    for d in perm:  # the fastest dim first
        out[rank - 1 - d] = step
        step *= max(shape[d], 1)
    return tuple(out)


def _dense(shape, st) -> bool:
    """The strides cover the tensor's elements without gaps or overlap (a permutation of a
    contiguous layout)."""
    dims = sorted((s, n) for s, n in zip(st, shape) if n != 1)
    expected = 1
    for s, n in dims:
        if s != expected:
            return False
        expected *= n
    return True


def preserved(t, out, default_format: bool = True, copies: bool = False):
    """`out`, a copy or move of `t` (`clone`, `to`, `cuda`, `cpu`) in torch's default
    `preserve_format`: the copy of a dense tensor has its strides; a copy of another tensor is
    dense with its dims in the order of `t`'s strides (as an elementwise result). Where `copies`
    is False the call may return `t` itself (a move to where it already is), and the layout of a
    tensor that is not dense is not known."""
    st = strides(t) if default_format else None
    if st is not None and not _dense(sizes(t.shape), st):
        st = elementwise(t.shape, [t]) if copies else None
    return with_strides(out, st)


def of_elementwise(out, operands):
    """`out`, the result of an elementwise operation of the tensors `operands` (numbers left out),
    with the strides torch gives it where the operands' layouts are known."""
    if not isinstance(out, Tensor) or out.fw != "torch":
        return out
    if not all(isinstance(t, Tensor) and t.fw == "torch" and t.layout is not None for t in operands):
        return with_strides(out, None)
    return with_strides(out, elementwise(out.shape, operands))
