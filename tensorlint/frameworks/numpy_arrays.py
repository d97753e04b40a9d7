"""NumPy's array manipulation, sorting, logic and statistics functions as training scripts call
them: `np.argsort` / `np.sort`, `np.append`, `np.pad`, `np.meshgrid`, `np.split` /
`np.array_split`, `np.flip` / `np.rot90` / `np.roll` / `np.moveaxis`, `np.cumsum`, `np.all` /
`np.any`, `np.isnan` and the logical functions, `np.median` / `np.percentile` / `np.average`,
`np.column_stack`, `np.diag`, `np.linalg.norm`, `np.outer`, `np.convolve`, `np.nonzero`. Only
arrays (`fw == "np"`) are read; a list or a tensor of another framework gives an unknown value.
A length that depends on the data (`np.nonzero`) stays unknown. Each is checked against NumPy in
tests/differential/test_numpy_arrays.py."""
from __future__ import annotations

from ..values import UNKNOWN, SOME_INT, Const, MutableList, Seq, Tensor, exact_items
from . import axes as A, shapes as S
from .common import derive, dtype_arg, make, shape_value
from .methods import size_value
from .ops import binary_op, reduce_shape
from .registry import CALLS

INTS = ("bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "int64", "uint64")


def arr(call, index=0, name="a"):
    v = call.arg(index, name)
    return v if isinstance(v, Tensor) and v.fw == "np" else None


def np_out(a, call, shape, dtype="same"):
    """A new array computed from `a`: its values are new (no data facts kept)."""
    return derive(a, call, shape=shape, dtype=a.dtype if dtype == "same" else dtype, param=False, onehot=False,
                  magnitude=None, scale=None, activation=None, normalized=False, scale_mix=False)


def moved(a, call, shape):
    """The same values in another arrangement: data facts (labels, nan) stay."""
    return derive(a, call, shape=shape, param=False)


def flattened(a):
    return (A.flat_size(A.dims(a)),) if A.dims(a) is not None else (None,)


def along_axis(dtype="same", default="same", keep_values=False):
    """np.argsort / np.sort (axis=-1 by default), np.cumsum (the flattened array by default),
    np.flip (any axis): the same shape, or the flattened array where `axis=None` asks for it."""
    def fn(call):
        a = arr(call)
        if a is None:
            return UNKNOWN
        axis = call.arg(1, "axis")
        d = dtype(a) if callable(dtype) else a.dtype if dtype == "same" else dtype
        if default != "any" and (axis is None and default == "flat" or axis is not None and A.is_none(axis)):
            return np_out(a, call, flattened(a), d)
        if axis is not None and not A.is_none(axis):
            ax = A.int_tuple(axis)
            if ax is None or A.dims(a) is None or any(A.axis_of(a.shape, i) is None for i in ax):
                return UNKNOWN if ax is not None and A.dims(a) is not None else np_out(a, call, a.shape, d)
        return moved(a, call, a.shape).with_(dtype=d) if keep_values else np_out(a, call, a.shape, d)
    return fn


def accumulated(a):
    """np.cumsum / np.cumprod: integers and bools accumulate in int64 (the platform integer)."""
    return "int64" if a.dtype in INTS and a.dtype not in ("uint64", "uint32") else a.dtype if a.dtype not in INTS else None


def append(call):
    a, v = arr(call, 0, "arr"), call.arg(1, "values")
    axis = call.arg(2, "axis")
    if a is None or not isinstance(v, Tensor) or v.fw != "np":
        return UNKNOWN
    d = A.np_promote(a.dtype, v.dtype)
    if A.is_none(axis):
        # flattened: one dim; its length is left unknown (scripts append to arrays whose length
        # comes from object attributes the analysis may join from several instances)
        return np_out(a, call, (None,), d)
    sa, sv, ax = A.dims(a), A.dims(v), A.const_int(axis)
    if sa is None or sv is None or len(sa) != len(sv) or A.axis_of(sa, ax) is None:
        return np_out(a, call, None, d)
    i = A.axis_of(sa, ax)
    size = sa[i] + sv[i] if S.known_int(sa[i]) and S.known_int(sv[i]) else None
    return np_out(a, call, A.replace_dim(sa, i, size), d)


def pad_widths(v, rank):
    """np.pad's pad_width: an int, (before, after), ((before, after),), or one pair per dim."""
    flat = A.int_tuple(v)
    if flat is not None and len(flat) in (1, 2):
        return [(flat[0], flat[-1])] * rank
    rows = v.items if isinstance(v, (Seq, MutableList)) else None
    if rows is None:
        return None
    pairs = [A.int_tuple(r) for r in rows]
    if any(p is None or len(p) not in (1, 2) for p in pairs):
        return None
    pairs = [(p[0], p[-1]) for p in pairs]
    return pairs * rank if len(pairs) == 1 else pairs if len(pairs) == rank else None


def pad(call):
    a = arr(call, 0, "array")
    if a is None:
        return UNKNOWN
    sa = A.dims(a)
    widths = pad_widths(call.arg(1, "pad_width"), len(sa)) if sa is not None else None
    if widths is None:
        return np_out(a, call, None if sa is None else (None,) * len(sa))
    return np_out(a, call, tuple(d + b + e if S.known_int(d) else None for d, (b, e) in zip(sa, widths)))


def meshgrid(call):
    xs = [v for v in call.args]
    if not xs or not all(isinstance(x, Tensor) and x.fw == "np" for x in xs):
        return UNKNOWN
    indexing = call.const(None, "indexing", "xy")
    if indexing not in ("xy", "ij"):
        return UNKNOWN
    sizes = [A.flat_size(A.dims(x)) for x in xs]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return Seq("tuple", tuple(np_out(x, call, tuple(sizes)) for x in xs))


def logical(n_args):
    def fn(call):
        if n_args == 1:
            a = arr(call, 0, "x")
            return np_out(a, call, a.shape, "bool") if a is not None else UNKNOWN
        a, b = call.arg(0, "x1"), call.arg(1, "x2")
        ts = [t for t in (a, b) if isinstance(t, Tensor)]
        if not ts or any(t.fw != "np" for t in ts) or any(not isinstance(v, (Tensor, Const)) for v in (a, b)):
            return UNKNOWN
        shapes = [v.shape if isinstance(v, Tensor) else () for v in (a, b)]
        return np_out(ts[0], call, S.broadcast(*shapes), "bool")
    return fn


def split(kind):
    """np.split(a, n or indices, axis=0) and np.array_split: a list of arrays."""
    def fn(call):
        a = arr(call, 0, "ary")
        how = call.arg(1, "indices_or_sections")
        axis = call.const(2, "axis", 0)
        sa = A.dims(a)
        i = A.axis_of(sa, axis)
        if a is None or i is None:
            return UNKNOWN
        n = A.const_int(how)
        if n is not None and n > 0:
            if kind == "split" and S.known_int(sa[i]) and sa[i] % n:
                return UNKNOWN  # NumPy raises: the axis does not divide
            sizes = A.even_parts(sa[i], n) if kind == "split" else A.array_split_parts(sa[i], n)
        elif isinstance(how, (Seq, MutableList)) and A.int_tuple(how) is not None:
            sizes = A.split_at(sa[i], A.int_tuple(how))
        else:
            return UNKNOWN
        return Seq("list", tuple(moved(a, call, A.replace_dim(sa, i, s)) for s in sizes))
    return fn


def flip_lr(axis):
    def fn(call):
        a = arr(call, 0, "m")
        if a is None or A.dims(a) is not None and len(a.shape) <= axis:
            return UNKNOWN
        return moved(a, call, a.shape)
    return fn


def rot90(call):
    a = arr(call, 0, "m")
    k = call.const(1, "k", 1)
    ax = A.int_tuple(call.arg(2, "axes")) if call.arg(2, "axes") is not None else (0, 1)
    sa = A.dims(a)
    if a is None:
        return UNKNOWN
    if sa is None or not S.known_int(k) or ax is None or len(ax) != 2:
        return moved(a, call, None)
    i, j = A.axis_of(sa, ax[0]), A.axis_of(sa, ax[1])
    if i is None or j is None or i == j:
        return UNKNOWN
    out = list(sa)
    if k % 2:
        out[i], out[j] = out[j], out[i]
    return moved(a, call, tuple(out))


def moveaxis(call):
    a = arr(call)
    src, dst = A.int_tuple(call.arg(1, "source")), A.int_tuple(call.arg(2, "destination"))
    sa = A.dims(a)
    if a is None:
        return UNKNOWN
    if sa is None or src is None or dst is None or len(src) != len(dst):
        return moved(a, call, None)
    s = [A.axis_of(sa, x) for x in src]
    t = [A.axis_of(sa, x) for x in dst]
    if None in s or None in t or len(set(s)) != len(s) or len(set(t)) != len(t):
        return UNKNOWN
    order = [n for n in range(len(sa)) if n not in s]
    for dest, orig in sorted(zip(t, s)):
        order.insert(dest, orig)
    return moved(a, call, tuple(sa[n] for n in order))


def reduction(dtype, q_index=None):
    """np.all / np.any / np.median / np.percentile / np.nanmean / np.average / np.linalg.norm:
    the array reduced over `axis` (all of it when None); `q` of percentile adds its own dims."""
    def fn(call):
        a = arr(call, 0, "x" if dtype == "norm" else "a")
        if a is None:
            return UNKNOWN
        axis_index = {"norm": 2, "average": 1}.get(dtype, 2 if q_index is not None else 1)
        axis = call.arg(axis_index, "axis")
        keep = call.const(None, "keepdims", False)
        d = "bool" if dtype == "bool" else (a.dtype if a.dtype in ("float16", "float32", "float64") else
                                            "float64" if a.dtype in INTS else None)
        if dtype == "average" and not A.is_none(call.arg(2, "weights")):
            return np_out(a, call, None, None)
        if A.is_none(axis):
            shape = (1,) * len(a.shape) if keep is True and A.dims(a) is not None else () if keep is False else None
        else:
            ax = A.int_tuple(axis)
            shape = reduce_shape(a.shape, ax[0] if ax and len(ax) == 1 else ax, keep) if ax and isinstance(keep, bool) else None
        if q_index is not None and shape is not None:
            q = call.arg(q_index, "q")
            qs = A.dims(q) if isinstance(q, Tensor) else () if isinstance(q, Const) else \
                (len(q.items),) if isinstance(q, (Seq, MutableList)) and all(isinstance(x, Const) for x in q.items) else None
            shape = qs + shape if qs is not None else None
            if not isinstance(q, Const) and d != "float64":
                d = None  # a list of percentiles is float64 and promotes a float32 array's result
        return np_out(a, call, shape, d)
    return fn


def count_nonzero(call):
    a = arr(call)
    if a is None:
        return UNKNOWN
    axis = call.arg(1, "axis")
    if A.is_none(axis) and call.arg(None, "keepdims") is None:
        return SOME_INT  # a Python int
    ax = A.int_tuple(axis)
    return np_out(a, call, reduce_shape(a.shape, ax[0] if ax and len(ax) == 1 else ax) if ax else None, "int64")


def column_stack(call):
    seq = call.arg(0, "tup")
    parts = seq.items if isinstance(seq, (Seq, MutableList)) else None
    if not parts or not all(isinstance(p, Tensor) and p.fw == "np" for p in parts):
        return UNKNOWN
    cols, rows, d = 0, None, parts[0].dtype
    for p in parts:
        sp = A.dims(p)
        d = A.np_promote(d, p.dtype)
        if sp is None or len(sp) not in (1, 2):
            return np_out(parts[0], call, None, d)
        rows = rows if rows is not None else sp[0]
        w = 1 if len(sp) == 1 else sp[1]
        cols = cols + w if cols is not None and S.known_int(w) else None
    return np_out(parts[0], call, (rows, cols), d)


def np_shape(call):
    a = arr(call)
    return size_value(a) if a is not None else UNKNOWN


def contiguous(call):
    a = arr(call)
    if a is None:
        return UNKNOWN
    d = dtype_arg(call, 1, a.dtype)
    shape = (1,) if A.dims(a) == () else a.shape
    return moved(a, call, shape).with_(dtype=d)


def roll(call):
    a = arr(call)
    return moved(a, call, a.shape) if a is not None else UNKNOWN


def nonzero(call):
    a = arr(call)
    if a is None:
        return UNKNOWN
    sa = A.dims(a)
    if sa is None or not sa:
        return UNKNOWN
    return Seq("tuple", tuple(np_out(a, call, (None,), "int64") for _ in sa))


def diag(call):
    a = arr(call, 0, "v")
    k = call.const(1, "k", 0)
    sa = A.dims(a)
    if a is None:
        return UNKNOWN
    if sa is None or not S.known_int(k) or len(sa) not in (1, 2):
        return np_out(a, call, None)
    if len(sa) == 1:
        n = sa[0] + abs(k) if S.known_int(sa[0]) else None
        return np_out(a, call, (n, n))
    n, m = sa
    if not (S.known_int(n) and S.known_int(m)):
        return np_out(a, call, (None,))
    return np_out(a, call, (max(0, min(n, m - k) if k >= 0 else min(n + k, m)),))


def outer(call):
    a, b = arr(call, 0, "a"), arr(call, 1, "b")
    if a is None or b is None:
        return UNKNOWN
    return np_out(a, call, (A.flat_size(A.dims(a)), A.flat_size(A.dims(b))), A.np_promote(a.dtype, b.dtype))


def convolve(call):
    a, v = arr(call, 0, "a"), arr(call, 1, "v")
    mode = call.const(2, "mode", "full")
    if a is None or v is None:
        return UNKNOWN
    d = A.np_promote(a.dtype, v.dtype)
    sa, sv = A.dims(a), A.dims(v)
    if sa is None or sv is None or len(sa) != 1 or len(sv) != 1 or mode not in ("full", "same", "valid") \
            or not (S.known_int(sa[0]) and S.known_int(sv[0])) or not sa[0] or not sv[0]:
        return np_out(a, call, (None,), d)
    n, m = sa[0], sv[0]
    size = {"full": n + m - 1, "same": max(n, m), "valid": max(n, m) - min(n, m) + 1}[mode]
    return np_out(a, call, (size,), d)


def atleast_2d(call):
    if len(call.args) != 1:
        return UNKNOWN
    a = arr(call, 0, None)
    sa = A.dims(a)
    if a is None:
        return UNKNOWN
    if sa is None:
        return moved(a, call, None)
    return moved(a, call, (1, 1) if not sa else (1,) + sa if len(sa) == 1 else sa)


def trace(call):
    a = arr(call)
    sa = A.dims(a)
    if a is None:
        return UNKNOWN
    if call.args[1:] or set(call.kwargs) - {"a"}:
        return np_out(a, call, None, None)
    d = accumulated(a)
    return np_out(a, call, None if sa is None or len(sa) < 2 else sa[2:], d)


def real(call):
    a = arr(call, 0, "val")
    if a is None:
        return UNKNOWN
    return np_out(a, call, a.shape, {"complex64": "float32", "complex128": "float64"}.get(a.dtype, a.dtype))


def interp(call):
    x, fp = arr(call, 0, "x"), call.arg(2, "fp")
    if x is None or isinstance(fp, Tensor) and fp.dtype not in (None, "float64", "float32", *INTS):
        return UNKNOWN
    return np_out(x, call, x.shape, "float64" if isinstance(fp, Tensor) and fp.dtype is not None else None)


def mod(call):
    a, b = call.arg(0, "x1"), call.arg(1, "x2")
    ts = [t for t in (a, b) if isinstance(t, Tensor)]
    if not ts or any(t.fw != "np" for t in ts):
        return UNKNOWN
    return binary_op(call.interp, "Modulo", a, b, call.node)


def sized(dtype):
    """np.random.binomial(n, p, size) / np.random.beta(a, b, size): an array of `size` draws
    (a Python number without it)."""
    def fn(call):
        size = call.arg(2, "size")
        return UNKNOWN if A.is_none(size) else make(call, shape_value(size), dtype, "np")
    return fn


def ndarray(call):
    shape = call.arg(0, "shape")
    return make(call, shape_value(shape), dtype_arg(call, 1, "float64"), "np") if shape is not None else UNKNOWN


def from_buffer(call):
    """np.frombuffer(bytes, dtype): one dim whose length the bytes decide."""
    if call.arg(None, "count") is not None or len(call.args) > 2:
        return UNKNOWN
    return make(call, (None,), dtype_arg(call, 1, "float64"), "np")


CALLS.update({
    "numpy.argsort": along_axis("int64"), "numpy.sort": along_axis(keep_values=True),
    "numpy.cumsum": along_axis(accumulated, "flat"), "numpy.cumprod": along_axis(accumulated, "flat"),
    "numpy.flip": along_axis(default="any", keep_values=True), "numpy.fliplr": flip_lr(1), "numpy.flipud": flip_lr(0),
    "numpy.append": append, "numpy.pad": pad, "numpy.meshgrid": meshgrid,
    "numpy.isnan": logical(1), "numpy.isinf": logical(1), "numpy.isfinite": logical(1), "numpy.logical_not": logical(1),
    "numpy.logical_and": logical(2), "numpy.logical_or": logical(2), "numpy.logical_xor": logical(2),
    "numpy.split": split("split"), "numpy.array_split": split("array_split"),
    "numpy.rot90": rot90, "numpy.moveaxis": moveaxis, "numpy.roll": roll,
    "numpy.all": reduction("bool"), "numpy.any": reduction("bool"), "numpy.median": reduction("float"),
    "numpy.nanmean": reduction("float"), "numpy.average": reduction("average"),
    "numpy.percentile": reduction("float", 1), "numpy.linalg.norm": reduction("norm"),
    "numpy.count_nonzero": count_nonzero, "numpy.column_stack": column_stack, "numpy.shape": np_shape,
    "numpy.ascontiguousarray": contiguous, "numpy.nonzero": nonzero, "numpy.diag": diag, "numpy.outer": outer,
    "numpy.convolve": convolve, "numpy.atleast_2d": atleast_2d, "numpy.trace": trace, "numpy.real": real,
    "numpy.interp": interp, "numpy.mod": mod, "numpy.remainder": mod,
    "numpy.random.binomial": sized("int64"), "numpy.random.beta": sized("float64"),
    "numpy.ndarray": ndarray, "numpy.frombuffer": from_buffer,
})


def vstack(call):
    """np.vstack / np.row_stack: 1-D arrays of length n are rows [1, n] first, so k of them make
    [k, n] (np.concatenate would give [k * n]); arrays of two or more dims join along axis 0."""
    from .ops import stack_tensors

    parts = exact_items(call.arg(0, "tup"))
    if parts is None or not parts or not all(isinstance(p, Tensor) and A.dims(p) is not None for p in parts):
        return UNKNOWN
    ranks = {len(p.shape) for p in parts}
    if ranks == {1}:
        return stack_tensors(call, call.arg(0, "tup"), 0)
    return PLAIN_VSTACK(call) if 1 not in ranks and 0 not in ranks else UNKNOWN


PLAIN_VSTACK = CALLS["numpy.vstack"]
CALLS["numpy.vstack"] = CALLS["numpy.row_stack"] = vstack
