"""Small shape helpers the array-manipulation tables share: a known rank, an axis taken from
the end, literal int lists, parts of a split. Each answers None where the program does not fix
the fact."""
from __future__ import annotations

from ..values import ANY, Const, MutableList, Seq, Tensor
from . import shapes as S


def dims(t) -> tuple | None:
    """The dims of a tensor whose rank is known, else None."""
    if not isinstance(t, Tensor) or t.shape is None or ANY in t.shape[:1]:
        return None
    return tuple(t.shape)


def axis_of(shape, axis) -> int | None:
    """`axis` (negative from the end) as an index into `shape`, None when out of range or unknown."""
    if shape is None or not S.known_int(axis) or not -len(shape) <= axis < len(shape):
        return None
    return axis % len(shape)


def int_tuple(v) -> tuple | None:
    """A literal int or a literal list/tuple of ints (`[1, 0]`, `(2,)`), else None."""
    if isinstance(v, Const) and S.known_int(v.value):
        return (v.value,)
    if isinstance(v, (Seq, MutableList)) and all(isinstance(i, Const) and S.known_int(i.value) for i in v.items):
        return tuple(i.value for i in v.items)
    return None


def const_int(v) -> int | None:
    return v.value if isinstance(v, Const) and S.known_int(v.value) else None


def is_none(v) -> bool:
    """An argument not given or given as None."""
    return v is None or isinstance(v, Const) and v.value is None


def even_parts(size, n: int) -> list:
    """The sizes of `n` equal parts of a dim of `size` (unknown unless it divides)."""
    part = size // n if S.known_int(size) and size % n == 0 else None
    return [part] * n


def array_split_parts(size, n: int) -> list:
    """np.array_split / torch.tensor_split into n parts: the first `size % n` parts are one larger."""
    if not S.known_int(size):
        return [None] * n
    q, r = divmod(size, n)
    return [q + 1] * r + [q] * (n - r)


def chunk_parts(size, n: int) -> list | None:
    """torch.chunk(x, n): parts of ceil(size / n), the last smaller; fewer parts when they run out.
    None when the size is not known (the number of parts is not either)."""
    if not S.known_int(size) or n <= 0:
        return None
    step = -(-size // n)
    if step == 0:
        return [0] if size == 0 else None
    return [min(step, size - i) for i in range(0, size, step)]


def split_at(size, indices: tuple) -> list:
    """np.split(x, [i, j]): the parts between the indices (clipped to the dim, as NumPy slices)."""
    if not S.known_int(size):
        return [None] * (len(indices) + 1)
    bounds = [0, *(max(0, min(size, i if i >= 0 else size + i)) for i in indices), size]
    return [max(0, b - a) for a, b in zip(bounds, bounds[1:])]


def replace_dim(shape: tuple, axis: int, size) -> tuple:
    return shape[:axis] + (size,) + shape[axis + 1:]


def flat_size(shape):
    return S.numel(shape) if shape is not None else None


_FLOAT_BITS = {"float16": 16, "float32": 32, "float64": 64}
_INT_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}


def np_promote(a: str | None, b: str | None) -> str | None:
    """NumPy's result dtype of two arrays' dtypes (`int32` with `float32` is float64), None
    where the pair is not one of the plain cases below."""
    if a == b or b == "bool":
        return a
    if a == "bool":
        return b
    if a in _FLOAT_BITS and b in _FLOAT_BITS:
        return a if _FLOAT_BITS[a] > _FLOAT_BITS[b] else b
    if a in _FLOAT_BITS and b in _INT_BITS:
        a, b = b, a
    if a in _INT_BITS and b in _FLOAT_BITS:
        # the float must hold every value of the int: 8-bit in float16, 16-bit in float32, else float64
        need = {8: 16, 16: 32}.get(_INT_BITS[a], 64)
        return b if _FLOAT_BITS[b] >= need else {16: "float16", 32: "float32", 64: "float64"}[need]
    if a in _INT_BITS and b in _INT_BITS and a[0] == b[0]:  # both signed or both unsigned
        return a if _INT_BITS[a] > _INT_BITS[b] else b
    return None
