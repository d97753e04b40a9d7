"""Shape arithmetic shared by the framework tables. Unknown dims stay unknown."""
from __future__ import annotations

from ..values import ANY


def known_int(d) -> bool:
    return isinstance(d, int) and not isinstance(d, bool)


def numel(shape):
    if shape is None or (shape and shape[0] is ANY):
        return None
    n = 1
    for d in shape:
        if not known_int(d):
            return None
        n *= d
    return n


def broadcast(a, b):
    """The broadcast of two shapes, None when unknown or incompatible."""
    if a is None or b is None:
        return None
    a_any = bool(a) and a[0] is ANY
    b_any = bool(b) and b[0] is ANY
    ra, rb = list(a[1:] if a_any else a), list(b[1:] if b_any else b)
    n = max(len(ra), len(rb))
    out = []
    for i in range(1, n + 1):
        x = ra[-i] if i <= len(ra) else (None if a_any else 1)
        y = rb[-i] if i <= len(rb) else (None if b_any else 1)
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x == y:
            out.append(x)
        elif known_int(x) and known_int(y):
            return None
        else:
            out.append(x if known_int(x) else y if known_int(y) and x is None else None)
    out.reverse()
    if a_any or b_any:
        # the result has at least the larger rank of the two; a dim facing an unknown one is
        # kept unless it is 1 (then the other side decides it), as `out` already says
        return (ANY,) + tuple(out)
    return tuple(out)


def conv_out(size, kernel, stride=1, padding=0, dilation=1):
    if padding == "same":  # Keras/TF: ceil(size / stride); PyTorch allows it only with stride 1
        return -(-size // stride) if known_int(size) and known_int(stride) and stride > 0 else None
    if padding == "valid":
        padding = 0
    if not all(known_int(v) for v in (size, kernel, stride, padding, dilation)):
        return None
    out = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    return out if out > 0 else None


def conv_transpose_out(size, kernel, stride=1, padding=0, output_padding=0, dilation=1):
    if not all(known_int(v) for v in (size, kernel, stride, padding, output_padding, dilation)):
        return None
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def tupled(v, n):
    """`3` -> (3, 3); `(3, 5)` -> (3, 5); anything unknown -> (None,)*n."""
    if known_int(v):
        return (v,) * n
    if isinstance(v, str):
        return (v,) * n
    if isinstance(v, tuple) and len(v) == n:
        return v
    return (None,) * n


def with_dim(shape, index, value):
    """shape with dim `index` (negative from the end) replaced."""
    if shape is None:
        return None
    s = list(shape)
    if index < 0 and -index <= len(s) - (1 if s and s[0] is ANY else 0):
        s[index] = value
        return tuple(s)
    if index >= 0 and not (s and s[0] is ANY) and index < len(s):
        s[index] = value
        return tuple(s)
    return None


def last_dims(shape, n):
    """The last n dims, or None when the shape has fewer known trailing dims."""
    if shape is None:
        return None
    body = shape[1:] if shape and shape[0] is ANY else shape
    if len(body) < n:
        return None
    return tuple(body[len(body) - n:])


def prefix(shape, n):
    """All but the last n dims (with ANY when the rank is unknown)."""
    if shape is None:
        return (ANY,)
    if shape and shape[0] is ANY:
        body = shape[1:]
        return (ANY,) + tuple(body[: max(0, len(body) - n)])
    return tuple(shape[: max(0, len(shape) - n)])


def reshape(in_shape, target):
    """Resolve a view/reshape target (ints, one -1) against the input's element count."""
    if not target:
        return ()
    dims = list(target)
    if any(d is not None and not known_int(d) for d in dims):
        return None
    if dims.count(-1) > 1:
        return None
    total = numel(in_shape)
    if -1 in dims:
        known = 1
        for d in dims:
            if d != -1:
                if d is None:
                    return tuple(None if d == -1 else d for d in dims)
                known *= d
        i = dims.index(-1)
        if total is not None and known and total % known == 0:
            dims[i] = total // known
        else:
            dims[i] = _one_symbol_left(in_shape, known)
    return tuple(dims)


def _one_symbol_left(shape, known):
    """The `-1` of a view of `shape` whose other target dims multiply to `known`: the shape's one
    symbolic dim where its other dims multiply to `known` too (`[B, 3, 4]` as `(-1, 12)` is
    `[B, 12]`), else None."""
    if not shape or shape[0] is ANY:
        return None
    symbols = [d for d in shape if isinstance(d, str)]
    rest = [d for d in shape if not isinstance(d, str)]
    if len(symbols) != 1 or not all(known_int(d) for d in rest):
        return None
    n = 1
    for d in rest:
        n *= d
    return symbols[0] if n == known else None
