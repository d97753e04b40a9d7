"""torch functions that cut, reorder and select as scripts call them: `torch.split` /
`torch.chunk` (a tuple of parts), `torch.index_select` / `torch.gather` / `torch.masked_select` /
`torch.unique`, `torch.flip` / `torch.roll`, `torch.cumsum`, `torch.meshgrid`, `torch.all` /
`torch.any`, `torch.Size`, `view_as_real`; and from `torch.nn.functional`: `conv2d` with a weight
tensor, `scaled_dot_product_attention`, `layer_norm` / `batch_norm`, `cosine_similarity`,
`relu_`. The wrappers that hand back the module they change (`weight_norm`,
`convert_sync_batchnorm`) return it, and `random_split` / `Subset` a part of a dataset whose
rows are those of the parts. Methods of the same name read only torch tensors. A length that
depends on the data stays unknown. Each is checked against PyTorch in
tests/differential/test_torch_arrays.py."""
from __future__ import annotations

import dataclasses

from ..values import ANY, UNKNOWN, Const, Dataset, MutableList, Seq, Tensor, is_float_dtype
from . import axes as A, layout as L, shapes as S
from .common import derive, grad_models, grad_of
from .ops import reduce_shape
from .registry import CALLS, TENSOR_METHODS
from .torch.calls import as_method

FRESH = dict(param=False, onehot=False, activation=None, scale=None, magnitude=None, span=None, normalized=False)


def part(x, call, shape):
    """The same values in another arrangement (a view or a copy): data facts stay."""
    return derive(x, call, shape=shape, param=False)


def computed(x, call, shape, dtype="same", **kw):
    return derive(x, call, shape=shape, dtype=x.dtype if dtype == "same" else dtype, **{**FRESH, **kw})


def dim_arg(call, index, default=None):
    v = call.arg(index, "dim")
    if v is None:
        return default
    return v.value if isinstance(v, Const) and S.known_int(v.value) else None


def torch_only(method):
    def fn(call, x):
        return method(call, x) if x.fw == "torch" else UNKNOWN
    return fn


def split(call, x):
    """`x.split(size, dim=0)`: parts of `size` along dim, the last smaller; a list of sizes: those."""
    how = call.arg(0, "split_size_or_sections")
    if how is None:
        how = call.arg(None, "split_size")
    sx = A.dims(x)
    i = A.axis_of(sx, dim_arg(call, 1, 0))
    if i is None:
        return UNKNOWN
    n = sx[i]
    size = A.const_int(how)
    if size is not None and size > 0:
        if not S.known_int(n):
            return UNKNOWN  # the number of parts is not known
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
        sizes = sizes or [0]
    elif isinstance(how, (Seq, MutableList)) and A.int_tuple(how) is not None:
        sizes = list(A.int_tuple(how))
        if S.known_int(n) and sum(sizes) != n:
            return UNKNOWN  # torch raises
    else:
        return UNKNOWN
    return Seq("tuple", tuple(part(x, call, A.replace_dim(sx, i, s)) for s in sizes))


def chunk(call, x):
    chunks = A.const_int(call.arg(0, "chunks"))
    sx = A.dims(x)
    i = A.axis_of(sx, dim_arg(call, 1, 0))
    if i is None or chunks is None or chunks <= 0:
        return UNKNOWN
    sizes = A.chunk_parts(sx[i], chunks)
    if sizes is None:
        return UNKNOWN
    return Seq("tuple", tuple(part(x, call, A.replace_dim(sx, i, s)) for s in sizes))


def index_select(call, x):
    idx = call.arg(1, "index")
    sx = A.dims(x)
    i = A.axis_of(sx, dim_arg(call, 0))
    if not isinstance(idx, Tensor) or i is None:
        return part(x, call, None)
    si = A.dims(idx)
    n = None if si is None or len(si) > 1 else 1 if not si else si[0]
    return L.contiguous(part(x, call, A.replace_dim(sx, i, n)))


def gather(call, x):
    idx = call.arg(1, "index")
    if not isinstance(idx, Tensor):
        return part(x, call, None)
    return L.contiguous(part(x, call, idx.shape))


def same_shape(call, x):
    return L.contiguous(part(x, call, x.shape))


def cumsum(call, x):
    d = call.arg(None, "dtype")
    if d is not None:
        return computed(x, call, x.shape, None)
    dtype = "int64" if x.dtype is not None and not is_float_dtype(x.dtype) and not x.dtype.startswith("complex") else x.dtype
    return L.contiguous(computed(x, call, x.shape, dtype))


def data_length(dtype="same", plain=()):
    """unique / bincount: one dim whose length depends on the values (only the plain forms:
    `return_counts=`, `dim=`, `weights=` change what comes back)."""
    def fn(call):
        x = call.arg(0, "input")
        if not isinstance(x, Tensor) or x.fw != "torch" or len(call.args) > 1 + len(plain) \
                or set(call.kwargs) - {"input", *plain}:
            return UNKNOWN
        return L.contiguous(computed(x, call, (None,), dtype, requires_grad=False))
    return fn


def masked_select(call, x):
    mask = call.arg(0, "mask")
    return L.contiguous(computed(x, call, (None,), requires_grad=x.requires_grad)) if isinstance(mask, Tensor) else UNKNOWN


def all_any(call, x):
    dim = call.arg(0, "dim")
    keep = call.const(1, "keepdim", False)
    if dim is None:
        return computed(x, call, (), "bool", requires_grad=False)
    d = A.int_tuple(dim)
    if d is None or not isinstance(keep, bool):
        return computed(x, call, None, "bool", requires_grad=False)
    return computed(x, call, reduce_shape(x.shape, d[0] if isinstance(dim, Const) else d, keep), "bool", requires_grad=False)


def view_as_real(call, x):
    real = {"complex64": "float32", "complex128": "float64", "complex32": "float16"}.get(x.dtype)
    if real is None:
        return UNKNOWN
    return part(x, call, x.shape + (2,) if A.dims(x) is not None else None).with_(dtype=real)


for _name, _fn in {
    "split": split, "chunk": chunk, "index_select": index_select, "gather": gather, "flip": same_shape,
    "roll": same_shape, "cumsum": cumsum, "masked_select": masked_select, "all": all_any, "any": all_any,
}.items():
    TENSOR_METHODS[_name] = torch_only(_fn)
    CALLS["torch." + _name] = as_method(_name)
CALLS["torch.view_as_real"] = lambda call: view_as_real(call, call.arg(0, "input")) \
    if isinstance(call.arg(0, "input"), Tensor) and call.arg(0, "input").fw == "torch" else UNKNOWN
CALLS["torch.unique"] = data_length(plain=("sorted",))
CALLS["torch.bincount"] = data_length("int64")


def meshgrid(call):
    xs = list(call.args)
    if len(xs) == 1 and isinstance(xs[0], (Seq, MutableList)):
        xs = list(xs[0].items)
    if not xs or not all(isinstance(x, Tensor) and x.fw == "torch" and A.dims(x) is not None and len(x.shape) <= 1
                         for x in xs) or len({x.dtype for x in xs if x.dtype}) > 1:
        return UNKNOWN  # torch requires one dtype
    indexing = call.const(None, "indexing", "ij")
    if indexing not in ("xy", "ij"):
        return UNKNOWN
    sizes = [x.shape[0] if x.shape else 1 for x in xs]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return Seq("tuple", tuple(part(x, call, tuple(sizes)) for x in xs))


def torch_size(call):
    """torch.Size(dims): a tuple of ints."""
    v = call.arg(0, "sizes")
    if v is None and not call.args:
        return Seq("tuple", ())
    items = A.int_tuple(v) if isinstance(v, (Seq, MutableList)) else None
    return Seq("tuple", tuple(Const(d) for d in items)) if items is not None else UNKNOWN


def module_back(call):
    """`weight_norm(module)`, `SyncBatchNorm.convert_sync_batchnorm(module)`: the module the call
    changes in place (its weights re-expressed, its norm layers synchronized), returned."""
    m = call.arg(0, "module")
    return m if m is not None else UNKNOWN


def subset_rows(ds, rows):
    """A part of a tensor dataset: its tensors with `rows` rows."""
    tensors = tuple(t.with_(shape=(rows,) + tuple(t.shape[1:])) if isinstance(t, Tensor) and A.dims(t) else t
                    for t in ds.tensors)
    return dataclasses.replace(ds, tensors=tensors)


def random_split(call):
    ds, lengths = call.arg(0, "dataset"), call.arg(1, "lengths")
    items = lengths.items if isinstance(lengths, (Seq, MutableList)) else None
    if not isinstance(ds, Dataset) or ds.batched or not items:
        return UNKNOWN
    return Seq("list", tuple(subset_rows(ds, v.value if isinstance(v, Const) and S.known_int(v.value) else None)
                             for v in items))


def subset(call):
    ds, idx = call.arg(0, "dataset"), call.arg(1, "indices")
    if not isinstance(ds, Dataset) or ds.batched:
        return UNKNOWN
    rows = len(idx.items) if isinstance(idx, Seq) or isinstance(idx, MutableList) and idx.exact else \
        idx.shape[0] if isinstance(idx, Tensor) and A.dims(idx) and len(idx.shape) == 1 else None
    return subset_rows(ds, rows)


CALLS.update({
    "torch.meshgrid": meshgrid, "torch.Size": torch_size,
    "torch.nn.utils.weight_norm": module_back, "torch.nn.utils.remove_weight_norm": module_back,
    "torch.nn.utils.spectral_norm": module_back, "torch.nn.utils.remove_spectral_norm": module_back,
    "torch.nn.SyncBatchNorm.convert_sync_batchnorm": module_back,
    "torch.utils.data.random_split": random_split, "torch.utils.data.dataset.random_split": random_split,
    "torch.utils.data.Subset": subset, "torch.utils.data.dataset.Subset": subset,
})


# -- torch.nn.functional ----------------------------------------------------------------------

def conv2d(call):
    """F.conv2d(input, weight, bias, stride, padding, dilation, groups): [N, C, H, W] (or
    [C, H, W]) by a weight [O, C / groups, kH, kW] gives [N, O, H', W']."""
    x, w = call.arg(0, "input"), call.arg(1, "weight")
    if not isinstance(x, Tensor) or x.fw != "torch":
        return UNKNOWN
    sx, sw = A.dims(x), A.dims(w) if isinstance(w, Tensor) else None
    grad = dict(requires_grad=grad_of(x, w), models=grad_models(x, w) if isinstance(w, Tensor) else x.models)
    if sx is None or len(sx) not in (3, 4) or sw is None or len(sw) != 4:
        return computed(x, call, None, **grad)
    args = []
    for index, name, default in ((3, "stride", 1), (4, "padding", 0), (5, "dilation", 1)):
        v = call.arg(index, name)
        if v is None:
            args.append((default, default))
        elif isinstance(v, Const) and v.value in ("same", "valid") and name == "padding":
            args.append((v.value, v.value))
        else:
            t = A.int_tuple(v)
            args.append(t * 2 if t is not None and len(t) == 1 else t if t is not None and len(t) == 2 else (None, None))
    groups = call.const(6, "groups", 1)
    if not S.known_int(groups) or groups <= 0 or S.known_int(sx[-3]) and S.known_int(sw[1]) and sx[-3] != sw[1] * groups:
        return computed(x, call, None, **grad)
    (sh, sw_), (ph, pw), (dh, dw) = args
    if ph == "same":
        space = (sx[-2], sx[-1])  # torch allows 'same' with stride 1 only, and keeps the size
    else:
        pv = (0, 0) if ph == "valid" else (ph, pw)
        space = (S.conv_out(sx[-2], sw[2], sh, pv[0], dh), S.conv_out(sx[-1], sw[3], sw_, pv[1], dw))
    return L.contiguous(computed(x, call, sx[:-3] + (sw[0],) + space, promote_same(x, w), **grad))


def promote_same(a, b):
    return a.dtype if a.dtype == b.dtype else None


def attention(call):
    """F.scaled_dot_product_attention(q, k, v): [..., L, E] queries and [..., S, Ev] values give
    [..., L, Ev]."""
    q, k, v = call.arg(0, "query"), call.arg(1, "key"), call.arg(2, "value")
    if not all(isinstance(t, Tensor) and t.fw == "torch" for t in (q, k, v)):
        return UNKNOWN
    grad = dict(requires_grad=grad_of(q, k, v), models=grad_models(q, k, v))
    sq, sv = A.dims(q), A.dims(v)
    shape = None
    if sq is not None and sv is not None and len(sq) == len(sv) >= 2 and sq[:-2] == sv[:-2]:
        shape = sq[:-1] + (sv[-1],)
    return computed(q, call, shape, promote_same(q, v), **grad)


def same_as_input(name="input", activation=None):
    """Functions that keep their input's shape and dtype (`layer_norm`, `batch_norm`)."""
    def fn(call):
        x = call.arg(0, name)
        if not isinstance(x, Tensor) or x.fw != "torch":
            return UNKNOWN
        ts = [v for v in (*call.args[1:], *call.kwargs.values()) if isinstance(v, Tensor)]
        return computed(x, call, x.shape, requires_grad=grad_of(x, *ts), models=grad_models(x, *ts))
    return fn


def relu_(call):
    """F.relu_(x): x, its negative values set to zero in place."""
    x = call.arg(0, "input")
    return x if isinstance(x, Tensor) and x.fw == "torch" else UNKNOWN


def cosine_similarity(call):
    a, b = call.arg(0, "x1"), call.arg(1, "x2")
    if not all(isinstance(t, Tensor) and t.fw == "torch" for t in (a, b)):
        return UNKNOWN
    dim = dim_arg(call, 2, 1)
    shape = S.broadcast(a.shape, b.shape)
    i = A.axis_of(shape, dim) if shape is not None and ANY not in shape[:1] else None
    out = shape[:i] + shape[i + 1:] if i is not None else None
    return computed(a, call, out, promote_same(a, b), requires_grad=grad_of(a, b), models=grad_models(a, b))


CALLS.update({
    "torch.nn.functional.conv2d": conv2d, "torch.nn.functional.scaled_dot_product_attention": attention,
    "torch.nn.functional.layer_norm": same_as_input(), "torch.nn.functional.batch_norm": same_as_input(),
    "torch.nn.functional.relu_": relu_, "torch.nn.functional.cosine_similarity": cosine_similarity,
})
