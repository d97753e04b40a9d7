"""PyTorch: tensor factories, tensor methods, nn layers, losses, optimizers, data loading."""
from __future__ import annotations

from ..values import (
    ANY, UNKNOWN, Const, Container, Context, Dataset, Instance, Layer, Loss, MutableList, Optimizer, Seq, Tensor,
    Value, exact_items, is_float_dtype, is_int_dtype, known_tail,
)
from . import (
    concatenate, emit_join, emit_reduce, stack_tensors, grad_models, grad_of, recorded, CALLS, DTYPES, LAYERS, LOSSES, TENSOR_METHODS, Expectation, LayerSpec, LossSpec, ParamsV, derive,
    dtype_arg, dtype_given, dtype_of, elementwise, literal_data, make, reduce_shape, shape_from_args, shape_value,
)
from . import shapes as S

TORCH_DTYPES = {
    "float32": "float32", "float": "float32", "float64": "float64", "double": "float64", "float16": "float16",
    "half": "float16", "bfloat16": "bfloat16", "int64": "int64", "long": "int64", "int32": "int32", "int": "int32",
    "int16": "int16", "short": "int16", "int8": "int8", "uint8": "uint8", "bool": "bool",
    "complex64": "complex64", "complex128": "complex128",
}
DTYPES.update({"torch." + k: v for k, v in TORCH_DTYPES.items()})
# legacy tensor types name a dtype too: `x.type(torch.FloatTensor)`, `x.type('torch.cuda.LongTensor')`
TENSOR_TYPES = {
    "FloatTensor": "float32", "DoubleTensor": "float64", "HalfTensor": "float16", "BFloat16Tensor": "bfloat16",
    "LongTensor": "int64", "IntTensor": "int32", "ShortTensor": "int16", "CharTensor": "int8", "ByteTensor": "uint8",
    "BoolTensor": "bool",
}
for _k, _v in TENSOR_TYPES.items():
    DTYPES["torch." + _k] = DTYPES["torch.cuda." + _k] = _v


def _t(call, shape, dtype, **kw) -> Tensor:
    return make(call, shape, dtype, "torch", **kw)


def _grad_flag(call):
    """A new tensor is a leaf that needs no gradient unless `requires_grad=True` says so."""
    v = call.arg(None, "requires_grad")
    if v is None:
        return False
    return v.value if isinstance(v, Const) and isinstance(v.value, bool) else None


def _created(call, t: Tensor, qualname: str) -> Tensor:
    interp = call.interp
    if interp.wants("tensor_created"):
        from ..events import TensorCreated

        interp.emit("tensor_created", TensorCreated(t, qualname, call.kwargs, call.node, call.kwarg_nodes))
    return t


def _factory(default_dtype="float32", qual=""):
    def fn(call):
        shape = shape_from_args(call, 0)
        d = dtype_arg(call, None, default_dtype)
        return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call)), qual)
    return fn


def _like(default=None, qual=""):
    def fn(call):
        src = call.arg(0, "input")
        if not isinstance(src, Tensor):
            return UNKNOWN
        d = dtype_arg(call, None, default or src.dtype)
        return _created(call, _t(call, src.shape, d, requires_grad=_grad_flag(call)), qual)
    return fn


def _randint(call):
    # randint(high, size) | randint(low, high, size)
    size = call.arg(None, "size")
    if size is None:
        if len(call.args) >= 3:
            size = call.args[2]
        elif len(call.args) == 2:
            size = call.args[1]
    shape = shape_value(size) if size is not None else None
    d = dtype_arg(call, None, "int64")
    return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call)), "torch.randint")


def _full(call):
    shape = shape_value(call.arg(0, "size", UNKNOWN))
    fill = call.arg(1, "fill_value")
    d = dtype_arg(call, None)
    nan = False
    if isinstance(fill, Const):
        if not dtype_given(call, None):  # an explicit dtype, even one not known, decides
            d = "bool" if isinstance(fill.value, bool) else "int64" if isinstance(fill.value, int) else "float32" if isinstance(fill.value, float) else None
        nan = isinstance(fill.value, float) and (fill.value != fill.value or abs(fill.value) == float("inf"))
    return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call), nan=nan), "torch.full")


def _arange(call):
    nums = [call.const(i, n) for i, n in ((0, "start"), (1, "end"), (2, "step"))]
    nums = [v for v in nums if v is not None]
    d = dtype_arg(call, None)
    if not dtype_given(call, None) and nums and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        d = "int64" if all(isinstance(v, int) for v in nums) else "float32"
    shape = None
    if nums and all(isinstance(v, int) and not isinstance(v, bool) for v in nums) and (len(nums) < 3 or nums[2]):
        try:
            shape = (len(range(*nums)),)
        except (OverflowError, TypeError):
            shape = (None,)  # longer than a machine size: not a tensor anyone can make
    return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call)), "torch.arange")


def _tensor(qual, default_float="float32", default_int="int64"):
    def fn(call):
        data = call.arg(0, "data", UNKNOWN)
        d = dtype_arg(call, None)
        given = dtype_given(call, None)
        if isinstance(data, Tensor):
            # torch.tensor(t) copies: a numpy array keeps its dtype (float64 stays float64)
            t = derive(data, call, fw="torch", dtype=d if given else data.dtype, requires_grad=_grad_flag(call),
                       param=False, depth=call.depth, origin=call.node)
            return _created(call, t, qual)
        shape, kind, nan, mag = literal_data(data)
        if isinstance(data, Const) and not isinstance(data.value, (int, float, bool)):
            shape = None  # torch.tensor(self.mean) of a `mean = None` placeholder: the real value comes later
        if not given:
            d = {"float": default_float, "int": default_int, "bool": "bool"}.get(kind)
        return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call), nan=nan, magnitude=mag), qual)
    return fn


def _from_numpy(call):
    a = call.arg(0)
    if isinstance(a, Tensor):
        return derive(a, call, fw="torch", requires_grad=None, origin=a.origin or call.node)
    return _t(call, None, None)


def _typed_tensor(dtype):
    def fn(call):
        if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
            shape, kind, nan, mag = literal_data(call.args[0])
            return _created(call, _t(call, shape, dtype, nan=nan, magnitude=mag), "torch.Tensor")
        if call.args and isinstance(call.args[0], Tensor):
            return derive(call.args[0], call, fw="torch", dtype=dtype)
        shape = shape_from_args(call, 0)
        return _created(call, _t(call, shape, dtype), "torch.Tensor")
    return fn


def _parameter(call):
    t = call.arg(0, "data")
    if isinstance(t, Tensor):
        return derive(t, call, requires_grad=True, param=True)
    return _t(call, None, "float32", requires_grad=True, param=True)


def _cat(call):
    return concatenate(call, call.arg(0, "tensors"), call.const(1, "dim", 0), "torch.cat")


def _stack(call):
    seq, dim = call.arg(0, "tensors"), call.const(1, "dim", 0)
    emit_join(call, "torch.stack", seq, dim, stack=True)
    return stack_tensors(call, seq, dim)


def _unary_fn(dtype=None, activation=None):
    """torch.softmax(x, dim) style functions: same shape; `activation` names what the result is."""
    def fn(call):
        x = call.arg(0, "input")
        if not isinstance(x, Tensor):
            return UNKNOWN
        out = elementwise(call, x, dtype=dtype if dtype else (x.dtype if not is_int_dtype(x.dtype) else "float32"),
                          activation=activation, param=False)
        return out
    return fn


def _reduction(dtype=None, op=""):
    def fn(call, t=None):
        x = t if t is not None else call.arg(0, "input")
        if not isinstance(x, Tensor):
            return UNKNOWN
        off = 0 if t is not None else 1
        dim = call.arg(off, "dim") if "dim" in call.kwargs or len(call.args) > off else None
        if dim is None:
            dim = call.arg(None, "axis")
        keep = call.const(None, "keepdim", False) or call.const(None, "keepdims", False)
        d = None if dim is None else (dim.value if isinstance(dim, Const) else tuple(x.value for x in dim.items) if isinstance(dim, Seq) and all(isinstance(i, Const) for i in dim.items) else "?")
        shape = reduce_shape(x.shape, d, bool(keep)) if d != "?" else None
        return emit_reduce(call, x, derive(x, call, shape=shape, dtype=dtype or x.dtype, param=False, magnitude=None, onehot=False), op)
    return fn


def _one_hot(call):
    x = call.arg(0, "tensor")
    n = call.const(1, "num_classes", -1)
    if not isinstance(x, Tensor):
        return UNKNOWN
    shape = (x.shape + (n if isinstance(n, int) and n > 0 else None,)) if x.shape is not None else None
    return derive(x, call, shape=shape, dtype="int64", onehot=True)


def _matmul_fn(call):
    from . import binary_op

    a, b = call.arg(0, "input"), call.arg(1, "other")
    if b is None:
        b = call.arg(None, "mat2")
    return binary_op(call.interp, "MatrixMultiply", a, b, call.node)


def _where(call):
    cond, a, b = call.arg(0), call.arg(1), call.arg(2)
    shape = ()  # the broadcast of the condition and both branches; unknown if any of them is
    for v in (cond, a, b):
        shape = S.broadcast(shape, v.shape) if isinstance(v, Tensor) and shape is not None else shape if isinstance(v, Const) else None
    for v in (a, b):
        if isinstance(v, Tensor):
            return derive(v, call, shape=shape, param=False, requires_grad=grad_of(a, b), models=grad_models(a, b))
    return UNKNOWN


def _detach_fn(call):
    x = call.arg(0)
    return derive(x, call, requires_grad=False, param=False) if isinstance(x, Tensor) else UNKNOWN


# -- tensor methods ----------------------------------------------------------------------

def _cast(dtype):
    def fn(call, t):
        if is_int_dtype(dtype):  # integer tensors carry no gradient
            return derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np", requires_grad=False)
        return derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np")
    return fn


def _to(call, t):
    """`x.to(device)`, `x.to(torch.float64)`, `x.to(other)`, `x.to(device, dtype=...)`: an
    argument that may be the dtype but whose value is not known makes the dtype unknown."""
    import libcst as cst

    d = t.dtype
    given = [(v, call.arg_node(i)) for i, v in enumerate(call.args)]
    if "dtype" in call.kwargs:
        given.append((call.kwargs["dtype"], None))
    for i, (v, node) in enumerate(given):
        named = dtype_of(v)
        if named is not None:
            d = named
        elif isinstance(v, Tensor):
            d = v.dtype
        elif i == len(call.args) or (isinstance(node, cst.Attribute) and node.attr.value == "dtype"):
            d = None  # `dtype=<unknown>` or `.to(other.dtype)`
    return derive(t, call, dtype=d)


def _type(call, t):
    """`x.type(torch.FloatTensor)` / `x.type(torch.float32)` casts; `x.type()` names the type."""
    if not call.args and "dtype" not in call.kwargs:
        return UNKNOWN
    d = dtype_of(call.arg(0, "dtype"))
    if is_int_dtype(d):
        return derive(t, call, dtype=d, requires_grad=False)
    return derive(t, call, dtype=d)


def _size(call, t):
    from . import _size_value

    i = call.const(0, "dim")
    if isinstance(i, int):
        d = t.dim(i)
        return Const(d) if S.known_int(d) else UNKNOWN
    return _size_value(t)


def _view(call, t):
    args = call.args
    if len(args) == 1 and isinstance(args[0], Const) and not S.known_int(args[0].value):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)  # view(dtype)
    if len(args) == 1 and isinstance(args[0], Ref_types()):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)
    target = shape_from_args(call, 0, "shape")
    interp = call.interp
    if interp.wants("reshape"):
        from ..events import MethodCall

        interp.emit("reshape", MethodCall(t, "view", call.args, call.kwargs, call.node))
    shape = S.reshape(t.shape, target) if target is not None else None
    return derive(t, call, shape=shape, param=False)


def Ref_types():
    from ..values import Ref

    return Ref


def _view_as(call, t):
    o = call.arg(0)
    return derive(t, call, shape=o.shape if isinstance(o, Tensor) else None, param=False)


def _flatten(call, t):
    start = call.const(0, "start_dim", 0)
    end = call.const(1, "end_dim", -1)
    return derive(t, call, shape=flatten_shape(t.shape, start, end), param=False)


def flatten_shape(shape, start, end):
    if shape is None or not isinstance(start, int) or not isinstance(end, int):
        return None
    if shape and shape[0] is ANY:
        if start < 0 and end == -1:
            tail = shape[1:]
            if -start <= len(tail):
                n = S.numel(tail[start:])
                return (ANY,) + tuple(tail[:start]) + (n,)
        return None
    n = len(shape)
    if n == 0:
        return (1,)
    s, e = start % n, end % n
    if s > e:
        return None
    mid = S.numel(shape[s:e + 1])
    return tuple(shape[:s]) + (mid,) + tuple(shape[e + 1:])


def _squeeze(call, t):
    dim = call.const(0, "dim")
    if t.shape is None or ANY in t.shape[:1]:
        if isinstance(dim, int) and dim < 0 and t.shape is not None and -dim < len(t.shape) and t.dim(dim) == 1:
            s = list(t.shape)
            del s[dim]
            return derive(t, call, shape=tuple(s))
        return derive(t, call, shape=None)
    if dim is None:
        if all(S.known_int(d) for d in t.shape):
            return derive(t, call, shape=tuple(d for d in t.shape if d != 1))
        return derive(t, call, shape=None)
    if isinstance(dim, int) and -len(t.shape) <= dim < len(t.shape):
        s = list(t.shape)
        if s[dim] == 1:
            del s[dim]
        elif s[dim] is None or isinstance(s[dim], str):
            return derive(t, call, shape=None)
        return derive(t, call, shape=tuple(s))
    return derive(t, call, shape=None)


def _unsqueeze(call, t):
    dim = call.const(0, "dim")
    if t.shape is None or ANY in t.shape[:1] or not isinstance(dim, int):
        return derive(t, call, shape=None)
    s = list(t.shape)
    n = len(s) + 1
    if -n <= dim < n:
        s.insert(dim % n, 1)
        return derive(t, call, shape=tuple(s))
    return derive(t, call, shape=None)


def _permute(call, t):
    dims = [a.value if isinstance(a, Const) else None for a in call.args]
    if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
        dims = [a.value if isinstance(a, Const) else None for a in call.args[0].items]
    if t.shape is None or ANY in t.shape[:1] or len(dims) != len(t.shape) or not all(isinstance(d, int) for d in dims):
        return derive(t, call, shape=None)
    return derive(t, call, shape=tuple(t.shape[d] for d in dims))


def _transpose(call, t):
    a, b = call.const(0, "dim0"), call.const(1, "dim1")
    if t.shape is None or ANY in t.shape[:1] or not isinstance(a, int) or not isinstance(b, int):
        return derive(t, call, shape=None)
    s = list(t.shape)
    try:
        s[a], s[b] = s[b], s[a]
    except IndexError:
        return derive(t, call, shape=None)
    return derive(t, call, shape=tuple(s))


def _same(call, t):
    return derive(t, call, activation=None, param=False)


def _keep(call, t):
    """Operations that move or copy data without changing what it means."""
    return derive(t, call, param=False)


def _same_float(call, t):
    return derive(t, call, dtype="float32" if is_int_dtype(t.dtype) else t.dtype, activation=None)


def _activation_method(act):
    def fn(call, t):
        return derive(t, call, dtype="float32" if is_int_dtype(t.dtype) else t.dtype, activation=act)
    return fn


def _detach(call, t):
    return derive(t, call, requires_grad=False, param=False)


def _numpy(call, t):
    return derive(t, call, fw="np", requires_grad=False, param=False)


def _requires_grad_(call, t):
    flag = call.const(0, "requires_grad", True)
    return t.with_(requires_grad=bool(flag) if isinstance(flag, bool) else None)


def _argmax(call, t):
    out = _reduction("int64")(call, t)
    return out.with_(requires_grad=False) if isinstance(out, Tensor) else out


def _no_grad_same(call, t):
    """round/floor/ceil/sign: piecewise constant, their gradient is zero everywhere."""
    return derive(t, call, activation=None, param=False, requires_grad=False)


def _argmax_fn(call):
    out = _reduction("int64")(call)
    return out.with_(requires_grad=False) if isinstance(out, Tensor) else out


def _linspace(call):
    steps = call.const(2, "steps")
    shape = (steps,) if S.known_int(steps) else None
    d = dtype_arg(call, None, "float32")
    return _created(call, _t(call, shape, d, requires_grad=_grad_flag(call)), "torch.linspace")


def _scalar(call, t):
    return UNKNOWN


def _expand(call, t):
    target = shape_from_args(call, 0, "size")
    if target is None:
        return derive(t, call, shape=None)
    # -1 keeps the input's size in that dim
    src = t.shape if t.shape is not None and ANY not in t.shape[:1] else None
    dims = []
    for i, d in enumerate(target):
        if d == -1:
            k = i - (len(target) - len(src)) if src is not None else -1
            dims.append(src[k] if src is not None and 0 <= k < len(src) else None)
        else:
            dims.append(d)
    return derive(t, call, shape=tuple(dims))


for name, dt in (("float", "float32"), ("double", "float64"), ("half", "float16"), ("bfloat16", "bfloat16"),
                 ("long", "int64"), ("int", "int32"), ("short", "int16"), ("bool", "bool"), ("byte", "uint8"), ("char", "int8")):
    TENSOR_METHODS[name] = _cast(dt)
TENSOR_METHODS.update({
    "to": _to, "type": _type, "size": _size, "view": _view, "reshape": _view, "view_as": _view_as, "reshape_as": _view_as,
    "flatten": _flatten, "squeeze": _squeeze, "unsqueeze": _unsqueeze, "permute": _permute, "transpose": _transpose,
    "t": lambda call, t: derive(t, call, shape=tuple(reversed(t.shape)) if t.shape and ANY not in t.shape[:1] and len(t.shape) <= 2 else None),
    "contiguous": _keep, "clone": _keep, "cpu": _keep, "cuda": _keep, "pin_memory": _keep,
    "detach": _detach, "numpy": _numpy, "requires_grad_": _requires_grad_, "item": _scalar, "tolist": _scalar,
    "sum": _reduction(op="sum"), "mean": _reduction(op="mean"), "std": _reduction(), "var": _reduction(), "prod": _reduction(),
    "argmax": _argmax, "argmin": _argmax, "norm": _reduction(),
    "softmax": _activation_method("softmax"), "log_softmax": _activation_method("log_softmax"),
    "sigmoid": _activation_method("sigmoid"), "relu": _activation_method("relu"), "exp": _same_float,
    "log": _same_float, "abs": _same, "sqrt": _same_float, "tanh": _same_float, "clamp": _same, "clip": _same,
    "masked_fill": _same, "pow": _same, "neg": _same, "square": _same, "expand": _expand, "expand_as": _view_as,
    "add": _same, "sub": _same, "mul": _same, "div": _same_float, "round": _no_grad_same, "floor": _no_grad_same,
    "ceil": _no_grad_same, "sign": _no_grad_same,
})


# -- nn layers -----------------------------------------------------------------------------

def _facts_int(layer, key):
    v = layer.facts.get(key)
    return v if S.known_int(v) else None


def _linear(layer, x, call):
    out = _facts_int(layer, "out_features")
    return x.with_(shape=S.prefix(x.shape, 1) + (out,) if x.shape is not None else (ANY, out))


def _linear_expects(layer, x):
    n = _facts_int(layer, "in_features")
    return [Expectation("features", -1, n, "in_features")] if n is not None else []


def _bilinear_expects(layer, x):
    n = _facts_int(layer, "in1_features")
    return [Expectation("features", -1, n, "in1_features")] if n is not None else []


def _conv(n):
    def transfer(layer, x, call):
        out_c = _facts_int(layer, "out_channels")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("stride", 1), n)
        pad = layer.facts.get("padding", 0)
        pd = S.tupled(pad, n) if not isinstance(pad, str) else (pad,) * n
        dl = S.tupled(layer.facts.get("dilation", 1), n)
        spatial = S.last_dims(x.shape, n)
        if spatial is None:
            new_sp = (None,) * n
        else:
            new_sp = tuple(S.conv_out(spatial[i], k[i], st[i], pd[i], dl[i]) for i in range(n))
        if x.rank in (n + 1, n + 2):
            shape = tuple(x.shape[: x.rank - n - 1]) + (out_c,) + new_sp
        else:
            shape = (ANY, out_c) + new_sp
        return x.with_(shape=shape)

    def expects(layer, x):
        c = _facts_int(layer, "in_channels")
        if c is None:
            return []
        if x.rank is not None and x.rank not in (n + 1, n + 2):
            return []
        return [Expectation("channels", -(n + 1), c, "in_channels")]

    return transfer, expects


def _conv_t(n):
    def transfer(layer, x, call):
        out_c = _facts_int(layer, "out_channels")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("stride", 1), n)
        pd = S.tupled(layer.facts.get("padding", 0), n)
        op = S.tupled(layer.facts.get("output_padding", 0), n)
        dl = S.tupled(layer.facts.get("dilation", 1), n)
        spatial = S.last_dims(x.shape, n)
        new_sp = (None,) * n if spatial is None else tuple(S.conv_transpose_out(spatial[i], k[i], st[i], pd[i], op[i], dl[i]) for i in range(n))
        if x.rank in (n + 1, n + 2):
            shape = tuple(x.shape[: x.rank - n - 1]) + (out_c,) + new_sp
        else:
            shape = (ANY, out_c) + new_sp
        return x.with_(shape=shape)
    return transfer, _conv(n)[1]


def _pool(n, adaptive=False):
    def transfer(layer, x, call):
        if adaptive:
            size = S.tupled(layer.facts.get("output_size"), n)
            new_sp = tuple(s if S.known_int(s) else None for s in size)
        else:
            k = S.tupled(layer.facts.get("kernel_size"), n)
            st_raw = layer.facts.get("stride")
            st = S.tupled(st_raw if st_raw is not None else layer.facts.get("kernel_size"), n)
            pd = S.tupled(layer.facts.get("padding", 0), n)
            spatial = S.last_dims(x.shape, n)
            new_sp = (None,) * n if spatial is None else tuple(S.conv_out(spatial[i], k[i], st[i], pd[i]) for i in range(n))
        if x.shape is None:
            return x.with_(shape=(ANY,) + (None,) + new_sp if False else None)
        return x.with_(shape=S.prefix(x.shape, n) + new_sp)
    return transfer


def _batchnorm_expects(rank_choices, axis_of_rank):
    def expects(layer, x):
        c = _facts_int(layer, "num_features")
        if c is None or x.rank is None or x.rank not in rank_choices:
            return []
        return [Expectation("channels", axis_of_rank(x.rank), c, "num_features")]
    return expects


def _identity(layer, x, call):
    return x


def _flatten_layer(layer, x, call):
    start = layer.facts.get("start_dim", 1)
    end = layer.facts.get("end_dim", -1)
    return x.with_(shape=flatten_shape(x.shape, start, end))


def _embedding(layer, x, call):
    dim = _facts_int(layer, "embedding_dim")
    return x.with_(shape=(x.shape + (dim,)) if x.shape is not None else (ANY, dim), dtype="float32")


def _embedding_bag(layer, x, call):
    """(B, L) indices -> (B, dim); 1-D indices with offsets -> one row per bag."""
    dim = _facts_int(layer, "embedding_dim")
    rows = x.dim(0) if x.rank == 2 else None
    return x.with_(shape=(rows, dim), dtype="float32")


def _upsample(n=None):
    def transfer(layer, x, call):
        size = layer.facts.get("size")
        scale = layer.facts.get("scale_factor")
        if x.rank is None or x.rank < 3:
            return x.with_(shape=None)
        k = n or x.rank - 2
        if x.rank != k + 2:
            return x.with_(shape=None)
        if size is not None:
            new = tuple(d if S.known_int(d) else None for d in S.tupled(size, k))
        else:
            sc = S.tupled(scale, k) if S.known_int(scale) or isinstance(scale, (float, tuple)) else (None,) * k
            if isinstance(scale, float):
                sc = (scale,) * k
            new = tuple(int(d * f) if S.known_int(d) and isinstance(f, (int, float)) and not isinstance(f, bool) else None
                        for d, f in zip(x.shape[2:], sc))
        return x.with_(shape=tuple(x.shape[:2]) + new)
    return transfer


def _unflatten(layer, x, call):
    dim, sizes = layer.facts.get("dim"), layer.facts.get("unflattened_size")
    if x.rank is None or not S.known_int(dim) or not isinstance(sizes, tuple) or not -x.rank <= dim < x.rank:
        return x.with_(shape=None)
    d = dim % x.rank
    return x.with_(shape=tuple(x.shape[:d]) + tuple(s if S.known_int(s) and s != -1 else None for s in sizes) + tuple(x.shape[d + 1:]))


def _layernorm_expects(layer, x):
    ns = layer.facts.get("normalized_shape")
    if S.known_int(ns):
        return [Expectation("features", -1, ns, "normalized_shape")]
    if isinstance(ns, tuple) and ns and all(S.known_int(d) for d in ns):
        return [Expectation("features", -(len(ns) - i), d, "normalized_shape") for i, d in enumerate(ns)]
    return []


def _rnn(layer, x, call):
    hidden = _facts_int(layer, "hidden_size")
    bi = layer.facts.get("bidirectional") is True
    out_f = hidden * 2 if (hidden is not None and bi) else hidden
    shape = S.prefix(x.shape, 1) + (out_f,) if x.shape is not None else (ANY, out_f)
    out = x.with_(shape=shape, dtype=layer.dtype, node=call.node, origin=call.node, name=None, activation=None,
                  requires_grad=not call.interp.no_grad, models=x.models | {id(layer)})
    h = Tensor(shape=None, dtype=layer.dtype, fw="torch", node=call.node, depth=call.depth)
    if layer.kind.endswith("LSTM"):
        return Seq("tuple", (out, Seq("tuple", (h, h))))
    return Seq("tuple", (out, h))


def _rnn_expects(layer, x):
    n = _facts_int(layer, "input_size")
    return [Expectation("features", -1, n, "input_size")] if n is not None else []


def _mha(layer, x, call):
    out = x.with_(dtype=layer.dtype, node=call.node, origin=call.node, name=None, activation=None)
    return Seq("tuple", (out, Tensor(shape=None, dtype=layer.dtype, fw="torch", node=call.node, depth=call.depth)))


def _mha_expects(layer, x):
    n = _facts_int(layer, "embed_dim")
    return [Expectation("features", -1, n, "embed_dim")] if n is not None else []


def _softmax_layer(layer, x, call):
    return x.with_(dtype=x.dtype if not is_int_dtype(x.dtype) else "float32")


def L(params, transfer=None, expects=None, **kw):
    return LayerSpec(tuple(params), "torch", transfer, expects, **kw)


conv1d, conv1d_e = _conv(1)
conv2d, conv2d_e = _conv(2)
conv3d, conv3d_e = _conv(3)
ACT = dict(float_input=False, category="activation")
LAYERS.update({
    "torch.nn.Linear": L(("in_features", "out_features", "bias"), _linear, _linear_expects),
    "torch.nn.LazyLinear": L(("out_features", "bias"), _linear),
    "torch.nn.Bilinear": L(("in1_features", "in2_features", "out_features"), lambda l, x, c: x.with_(shape=S.prefix(x.shape, 1) + (_facts_int(l, "out_features"),) if x.shape is not None else None), _bilinear_expects),
    "torch.nn.Conv1d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv1d, conv1d_e),
    "torch.nn.Conv2d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv2d, conv2d_e),
    "torch.nn.Conv3d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv3d, conv3d_e),
    "torch.nn.ConvTranspose1d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *_conv_t(1)),
    "torch.nn.ConvTranspose2d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *_conv_t(2)),
    "torch.nn.ConvTranspose3d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *_conv_t(3)),
    "torch.nn.BatchNorm1d": L(("num_features", "eps", "momentum"), _identity, _batchnorm_expects((2, 3), lambda r: 1 - r)),
    "torch.nn.BatchNorm2d": L(("num_features", "eps", "momentum"), _identity, _batchnorm_expects((4,), lambda r: -3)),
    "torch.nn.BatchNorm3d": L(("num_features", "eps", "momentum"), _identity, _batchnorm_expects((5,), lambda r: -4)),
    "torch.nn.InstanceNorm2d": L(("num_features",), _identity, _batchnorm_expects((3, 4), lambda r: -3)),
    "torch.nn.GroupNorm": L(("num_groups", "num_channels"), _identity),
    "torch.nn.LayerNorm": L(("normalized_shape", "eps"), _identity, _layernorm_expects),
    "torch.nn.Embedding": L(("num_embeddings", "embedding_dim", "padding_idx"), _embedding, float_input=False, int_input=True),
    "torch.nn.EmbeddingBag": L(("num_embeddings", "embedding_dim"), _embedding_bag, float_input=False, int_input=True),
    "torch.nn.Upsample": L(("size", "scale_factor", "mode"), _upsample(), **ACT),
    "torch.nn.UpsamplingNearest2d": L(("size", "scale_factor"), _upsample(2), **ACT),
    "torch.nn.UpsamplingBilinear2d": L(("size", "scale_factor"), _upsample(2), **ACT),
    "torch.nn.Dropout1d": L(("p",), _identity, **ACT),
    "torch.nn.Dropout3d": L(("p",), _identity, **ACT),
    "torch.nn.AlphaDropout": L(("p",), _identity, **ACT),
    "torch.nn.InstanceNorm1d": L(("num_features",), _identity, _batchnorm_expects((2, 3), lambda r: 1 - r)),
    "torch.nn.InstanceNorm3d": L(("num_features",), _identity, _batchnorm_expects((4, 5), lambda r: -4)),
    "torch.nn.AvgPool3d": L(("kernel_size", "stride", "padding"), _pool(3), **ACT),
    "torch.nn.AdaptiveMaxPool1d": L(("output_size",), _pool(1, True), **ACT),
    "torch.nn.Flatten": L(("start_dim", "end_dim"), _flatten_layer, float_input=False, category="reshape"),
    "torch.nn.Unflatten": L(("dim", "unflattened_size"), _unflatten, float_input=False, category="reshape"),
    "torch.nn.Dropout": L(("p",), _identity, **ACT),
    "torch.nn.Dropout2d": L(("p",), _identity, **ACT),
    "torch.nn.Identity": L((), _identity, **ACT),
    "torch.nn.MaxPool1d": L(("kernel_size", "stride", "padding"), _pool(1), **ACT),
    "torch.nn.MaxPool2d": L(("kernel_size", "stride", "padding"), _pool(2), **ACT),
    "torch.nn.MaxPool3d": L(("kernel_size", "stride", "padding"), _pool(3), **ACT),
    "torch.nn.AvgPool1d": L(("kernel_size", "stride", "padding"), _pool(1), **ACT),
    "torch.nn.AvgPool2d": L(("kernel_size", "stride", "padding"), _pool(2), **ACT),
    "torch.nn.AdaptiveAvgPool1d": L(("output_size",), _pool(1, True), **ACT),
    "torch.nn.AdaptiveAvgPool2d": L(("output_size",), _pool(2, True), **ACT),
    "torch.nn.AdaptiveMaxPool2d": L(("output_size",), _pool(2, True), **ACT),
    "torch.nn.AdaptiveAvgPool3d": L(("output_size",), _pool(3, True), **ACT),
    "torch.nn.LSTM": L(("input_size", "hidden_size", "num_layers"), _rnn, _rnn_expects),
    "torch.nn.GRU": L(("input_size", "hidden_size", "num_layers"), _rnn, _rnn_expects),
    "torch.nn.RNN": L(("input_size", "hidden_size", "num_layers"), _rnn, _rnn_expects),
    "torch.nn.MultiheadAttention": L(("embed_dim", "num_heads"), _mha, _mha_expects),
    "torch.nn.Softmax": L(("dim",), _softmax_layer, activation="softmax", **ACT),
    "torch.nn.LogSoftmax": L(("dim",), _softmax_layer, activation="log_softmax", **ACT),
    "torch.nn.Sigmoid": L((), _softmax_layer, activation="sigmoid", **ACT),
    "torch.nn.Softmax2d": L((), _softmax_layer, activation="softmax", **ACT),
})
for act in ("ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Tanh", "Mish", "PReLU", "ReLU6", "SELU", "Softplus", "Hardswish", "Hardtanh"):
    LAYERS["torch.nn." + act] = L(("inplace",) if act in ("ReLU", "ReLU6", "SELU", "SiLU") else (), _softmax_layer, activation=act.lower(), **ACT)


class OrderedDictV(Value):
    """`OrderedDict([("conv1", nn.Conv2d(...)), ...])`: its values in order."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = values


def _ordered_dict(call):
    pairs = call.arg(0)
    items = exact_items(pairs) if pairs is not None else ()
    if items is None or any(exact_items(p) is None or len(p.items) != 2 for p in items):
        return UNKNOWN
    return OrderedDictV([p.items[1] for p in items])


def _sequential(call):
    layers = []
    if len(call.args) == 1 and isinstance(call.args[0], OrderedDictV):
        call.args = list(call.args[0].values)
    for a in call.args:
        if isinstance(a, (Seq, MutableList)) and len(call.args) == 1:
            layers.extend(a.items)  # nn.Sequential(*list) already spread; a bare list is an error
        elif isinstance(a, Instance) or isinstance(a, (Layer, Container)):
            layers.append(a)
        else:
            od = a
            layers.append(od)
    if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
        return UNKNOWN
    seq = Container("torch.nn.Sequential", layers, "torch", call.node)
    if call.interp.wants("layer_call") and len(layers) > 1:
        from . import run_sequential

        # check the layers against each other even if the model is never called in this file
        run_sequential(call, seq, Tensor(shape=None, dtype=None, fw="torch", node=call.node, depth=call.depth))
    return seq


def _module_list(call):
    v = call.arg(0, "modules")
    items = list(v.items) if isinstance(v, (Seq, MutableList)) else []
    if isinstance(v, MutableList) and not v.exact:
        items = [UNKNOWN] + known_tail(v)
    return Container("torch.nn.ModuleList", items, "torch", call.node) if v is not None and isinstance(v, (Seq, MutableList)) or v is None else UNKNOWN


CALLS.update({
    "collections.OrderedDict": _ordered_dict,
    "torch.nn.Sequential": _sequential,
    "torch.nn.ModuleList": _module_list,
})


# -- losses --------------------------------------------------------------------------------

def _loss_call(call, loss):
    """Calling a loss object (or functional loss) on (input, target)."""
    interp = call.interp
    args = list(call.args[:2])
    for key, i in (("input", 0), ("target", 1)):
        if key in call.kwargs:
            while len(args) <= i:
                args.append(UNKNOWN)
            args[i] = call.kwargs[key]
    if interp.wants("loss_call"):
        from ..events import LossCall

        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "torch"))
    x = args[0] if args else None
    reduction = loss.facts.get("reduction", "mean")
    red = call.const(None, "reduction")
    if isinstance(red, str):
        reduction = red
    labels = any(isinstance(a, Tensor) and a.labels for a in args)
    if reduction == "none" and isinstance(x, Tensor):
        spec = LOSSES.get(loss.kind)
        shape = x.shape if spec is not None and spec.elementwise else (x.shape[:1] if x.shape and ANY not in x.shape[:1] else None)
        from . import grad_of

        return derive(x, call, shape=shape, dtype="float32", labels=labels, param=False, activation=None,
                      requires_grad=grad_of(*args))
    from . import grad_of

    tensors = [a for a in args if isinstance(a, Tensor)]
    depth = min([a.depth for a in tensors], default=call.depth)
    models = grad_models(*tensors)
    return Tensor(shape=() if reduction in ("mean", "sum") else None, dtype="float32", fw="torch", node=call.node,
                  depth=min(depth, call.depth), labels=labels, requires_grad=grad_of(*args) if args else None,
                  origin=call.node, models=models, tapes=recorded(call.interp, *tensors))


def _functional_loss(kind):
    def fn(call):
        loss = Loss(kind, {}, "torch", call.node)
        return _loss_call(call, loss)
    return fn


def LS(kind, logits=None, elementwise=False):
    return LossSpec("torch", kind, logits, elementwise, _loss_call, ("weight", "size_average", "ignore_index", "reduce", "reduction"))


LOSSES.update({
    "torch.nn.CrossEntropyLoss": LS("categorical", logits=True),
    "torch.nn.NLLLoss": LS("nll", logits=False),
    "torch.nn.BCELoss": LS("binary", logits=False, elementwise=True),
    "torch.nn.BCEWithLogitsLoss": LS("binary", logits=True, elementwise=True),
    "torch.nn.MSELoss": LS("regression", elementwise=True),
    "torch.nn.L1Loss": LS("regression", elementwise=True),
    "torch.nn.SmoothL1Loss": LS("regression", elementwise=True),
    "torch.nn.HuberLoss": LS("regression", elementwise=True),
    "torch.nn.KLDivLoss": LS("kl", elementwise=True),
})
for fname, cls in (("cross_entropy", "CrossEntropyLoss"), ("nll_loss", "NLLLoss"), ("binary_cross_entropy", "BCELoss"),
                   ("binary_cross_entropy_with_logits", "BCEWithLogitsLoss"), ("mse_loss", "MSELoss"), ("l1_loss", "L1Loss"),
                   ("smooth_l1_loss", "SmoothL1Loss"), ("huber_loss", "HuberLoss"), ("kl_div", "KLDivLoss")):
    CALLS["torch.nn.functional." + fname] = _functional_loss("torch.nn." + cls)


# -- optimizers and data -----------------------------------------------------------------

def _optimizer(qual):
    def fn(call):
        params = call.arg(0, "params", UNKNOWN)
        opt = Optimizer(qual, params, call.node)
        interp = call.interp
        if interp.wants("optimizer"):
            from ..events import OptimizerCreated

            interp.emit("optimizer", OptimizerCreated(opt, params, call.node))
        return opt
    return fn


for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "LBFGS", "SparseAdam", "ASGD", "Rprop"):
    CALLS["torch.optim." + name] = _optimizer("torch.optim." + name)

from . import OBJECT_METHODS  # noqa: E402
from ..values import Value  # noqa: E402


class Scheduler(Value):
    """A learning-rate scheduler (`torch.optim.lr_scheduler.StepLR(opt, ...)`): its `step()`
    changes the learning rate, never the weights."""

    __slots__ = ("kind", "optimizer")

    def __init__(self, kind, optimizer):
        self.kind = kind
        self.optimizer = optimizer


def _scheduler(qual):
    return lambda call: Scheduler(qual, call.arg(0, "optimizer", UNKNOWN))


for name in ("LRScheduler", "_LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
             "ExponentialLR", "SequentialLR", "PolynomialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau",
             "CyclicLR", "OneCycleLR", "CosineAnnealingWarmRestarts"):
    CALLS["torch.optim.lr_scheduler." + name] = _scheduler("torch.optim.lr_scheduler." + name)
for name in ("get_constant_schedule", "get_constant_schedule_with_warmup", "get_linear_schedule_with_warmup",
             "get_cosine_schedule_with_warmup", "get_cosine_with_hard_restarts_schedule_with_warmup",
             "get_polynomial_decay_schedule_with_warmup"):  # they return a LambdaLR
    CALLS["transformers." + name] = CALLS["transformers.optimization." + name] = _scheduler("torch.optim.lr_scheduler.LambdaLR")
for name in ("step", "get_last_lr", "state_dict", "load_state_dict"):
    OBJECT_METHODS[("Scheduler", name)] = lambda call, obj: UNKNOWN


def _tensor_dataset(call):
    tensors = tuple(call.args)
    interp = call.interp
    if interp.wants("dataset"):
        from ..events import LossCall

        interp.emit("dataset", LossCall(Loss("torch.utils.data.TensorDataset", {}, "torch", call.node), list(tensors), {}, call.node, [call.site(t) for t in tensors]))
    return Dataset(tensors, False, call.node)


def _data_loader(call):
    ds = call.arg(0, "dataset")
    if isinstance(ds, Dataset):
        bs = call.arg(1, "batch_size")
        if isinstance(bs, Const) and bs.value is None:
            return Dataset(ds.tensors, False, call.node)
        return Dataset(ds.tensors, True, call.node)
    return UNKNOWN


CALLS.update({
    "torch.randn": _factory(qual="torch.randn"), "torch.rand": _factory(qual="torch.rand"),
    "torch.zeros": _factory(qual="torch.zeros"), "torch.ones": _factory(qual="torch.ones"),
    "torch.empty": _factory(qual="torch.empty"),
    "torch.randint": _randint, "torch.full": _full, "torch.arange": _arange,
    "torch.tensor": _tensor("torch.tensor"), "torch.as_tensor": _tensor("torch.as_tensor"),
    "torch.Tensor": _typed_tensor("float32"), "torch.FloatTensor": _typed_tensor("float32"),
    "torch.DoubleTensor": _typed_tensor("float64"), "torch.LongTensor": _typed_tensor("int64"),
    "torch.IntTensor": _typed_tensor("int32"), "torch.BoolTensor": _typed_tensor("bool"),
    "torch.ByteTensor": _typed_tensor("uint8"), "torch.HalfTensor": _typed_tensor("float16"),
    "torch.from_numpy": _from_numpy,
    "torch.randn_like": _like(qual="torch.randn_like"), "torch.rand_like": _like(qual="torch.rand_like"),
    "torch.zeros_like": _like(qual="torch.zeros_like"), "torch.ones_like": _like(qual="torch.ones_like"),
    "torch.empty_like": _like(qual="torch.empty_like"), "torch.full_like": _like(qual="torch.full_like"),
    "torch.nn.Parameter": _parameter, "torch.nn.parameter.Parameter": _parameter,
    "torch.cat": _cat, "torch.concat": _cat, "torch.concatenate": _cat, "torch.stack": _stack,
    "torch.softmax": _unary_fn(activation="softmax"), "torch.log_softmax": _unary_fn(activation="log_softmax"), "torch.sigmoid": _unary_fn(activation="sigmoid"),
    "torch.nn.functional.softmax": _unary_fn(activation="softmax"), "torch.nn.functional.log_softmax": _unary_fn(activation="log_softmax"),
    "torch.nn.functional.sigmoid": _unary_fn(activation="sigmoid"), "torch.nn.functional.relu": _unary_fn(activation="relu"),
    "torch.relu": _unary_fn(activation="relu"), "torch.tanh": _unary_fn(), "torch.exp": _unary_fn(), "torch.log": _unary_fn(),
    "torch.abs": _unary_fn(), "torch.sqrt": _unary_fn(), "torch.nn.functional.dropout": _unary_fn(),
    "torch.nn.functional.gelu": _unary_fn(), "torch.nn.functional.leaky_relu": _unary_fn(),
    "torch.nn.functional.normalize": _unary_fn(),
    "torch.sum": _reduction(op="sum"), "torch.mean": _reduction(op="mean"), "torch.argmax": _argmax_fn, "torch.argmin": _argmax_fn,
    "torch.linspace": _linspace, "torch.logspace": _linspace,
    "torch.round": lambda call: _no_grad_same(call, call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.nn.functional.one_hot": _one_hot,
    "torch.matmul": _matmul_fn, "torch.mm": _matmul_fn, "torch.bmm": _matmul_fn,
    "torch.where": _where,
    "torch.utils.data.TensorDataset": _tensor_dataset,
    "torch.utils.data.DataLoader": _data_loader,
    "torch.utils.data.dataloader.DataLoader": _data_loader,
    "torch.flatten": lambda call: _flatten(call.__class__(call.interp, call.node, call.frame, call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.reshape": lambda call: _view(call.__class__(call.interp, call.node, call.frame, call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.squeeze": lambda call: _squeeze(call.__class__(call.interp, call.node, call.frame, call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.unsqueeze": lambda call: _unsqueeze(call.__class__(call.interp, call.node, call.frame, call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
})
CALLS["torch.nn.functional.linear"] = lambda call: UNKNOWN


def _variable(call):
    """`torch.autograd.Variable(x, requires_grad=...)`: the tensor itself (a no-op since 0.4)."""
    x = call.arg(0, "data")
    if not isinstance(x, Tensor):
        return UNKNOWN
    flag = call.const(None, "requires_grad", None)
    return derive(x, call, requires_grad=flag if isinstance(flag, bool) else x.requires_grad if flag is None else None)


def _resize(call, t):
    """`x.resize(2, 3)` / `x.resize_(...)`: the shape asked for (elements kept or not)."""
    return derive(t, call, shape=shape_from_args(call, 0, "sizes"), param=False)


def _interpolate(call):
    x = call.arg(0, "input")
    if not isinstance(x, Tensor):
        return UNKNOWN
    layer = Layer("torch.nn.Upsample", {"size": _plain_arg(call.arg(1, "size")), "scale_factor": _plain_arg(call.arg(2, "scale_factor"))}, "torch")
    return derive(x, call, shape=_upsample()(layer, x, call).shape, param=False)


def _plain_arg(v):
    from . import _plain

    return None if v is None else _plain(v)


CALLS.update({
    "torch.autograd.Variable": _variable, "torch.autograd.variable.Variable": _variable,
    "torch.nn.functional.interpolate": _interpolate, "torch.nn.functional.upsample": _interpolate,
})
TENSOR_METHODS.update({"resize": _resize, "resize_": _resize, "resize_as_": _view_as})
for q in ("torch.isnan", "torch.isinf", "torch.isfinite"):
    CALLS[q] = lambda call: derive(call.args[0], call, dtype="bool", param=False) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN


# -- gradient modes --------------------------------------------------------------------------

def _grad_mode(call):
    from ..values import Context

    flag = call.const(0, "mode", None)
    return Context("no_grad" if flag is False else "enable_grad" if flag is True else "other", call.node)


CALLS.update({
    "torch.no_grad": lambda call: Context("no_grad", call.node),
    "torch.inference_mode": lambda call: Context("other" if call.const(0, "mode", True) is not True else "no_grad", call.node),
    "torch.enable_grad": lambda call: Context("enable_grad", call.node),
    "torch.set_grad_enabled": _grad_mode,
    "torch.autocast": lambda call: Context("other", call.node),
    "torch.cuda.amp.autocast": lambda call: Context("other", call.node),
    "torch.amp.autocast": lambda call: Context("other", call.node),
    "torch.nn.utils.clip_grad_norm_": lambda call: UNKNOWN,
    "torch.nn.utils.clip_grad_value_": lambda call: UNKNOWN,
    "torch.save": lambda call: Const(None),
    "torch.manual_seed": lambda call: UNKNOWN,
})


# -- functional forms that rules see as the tensor method they equal ---------------------------

def emitting(method: str, fn):
    """`torch.log(x)` is `x.log()`: emit the method_call event for the first argument, then run `fn`."""
    def wrapped(call):
        x = call.args[0] if call.args else call.kwargs.get("input")
        interp = call.interp
        if isinstance(x, Tensor) and interp.wants("method_call"):
            from ..events import MethodCall

            interp.emit("method_call", MethodCall(x, method, list(call.args[1:]), call.kwargs, call.node))
        out = fn(call)
        if method == "softmax" and not isinstance(out, Tensor):
            # a softmax of something unknown is still a tensor of probabilities
            return _t(call, None, None, requires_grad=None, activation="softmax")
        return out
    return wrapped


def _api_call(qualname):
    """A call rules check by its arguments alone (`torch.load(..., weights_only=False)`)."""
    def fn(call):
        interp = call.interp
        if interp.wants("api_call"):
            from ..events import ApiCall

            interp.emit("api_call", ApiCall(qualname, list(call.args), call.kwargs, call.node, list(call.arg_nodes), dict(call.kwarg_nodes)))
        return UNKNOWN
    return fn


for _q, _m in (("torch.log", "log"), ("torch.softmax", "softmax"), ("torch.nn.functional.softmax", "softmax"),
               ("torch.log_softmax", "log_softmax"), ("torch.nn.functional.log_softmax", "log_softmax")):
    CALLS[_q] = emitting(_m, CALLS[_q])
CALLS["torch.load"] = _api_call("torch.load")


for _name in ("sin", "cos", "tan", "square", "neg", "expm1", "log1p", "erf", "reciprocal", "rsqrt"):
    CALLS.setdefault("torch." + _name, _unary_fn())


# -- parameters of layers: layer.weight / layer.bias ---------------------------------------------

def _param(shape, layer):
    return Tensor(shape=shape, dtype=layer.dtype, fw="torch", node=layer.node, origin=layer.node,
                  requires_grad=True, param=True)


def layer_parameter(layer, name):
    """`weight` / `bias` of a PyTorch layer, with their shapes where the constructor gives them."""
    f = layer.facts
    short = layer.short
    ints = lambda *keys: tuple(f.get(k) if S.known_int(f.get(k)) else None for k in keys)  # noqa: E731
    if short in ("Linear",):
        out_f, in_f = ints("out_features", "in_features")
        shapes = {"weight": (out_f, in_f), "bias": (out_f,)}
    elif short.startswith("Conv") and not short.startswith("ConvTranspose"):
        n = int(short[4]) if short[4:5].isdigit() else 2
        out_c, in_c = ints("out_channels", "in_channels")
        groups = f.get("groups", 1)
        per_group = in_c // groups if in_c is not None and S.known_int(groups) and groups and in_c % groups == 0 else None
        shapes = {"weight": (out_c, per_group) + tuple(S.tupled(f.get("kernel_size"), n)), "bias": (out_c,)}
    elif short.startswith("BatchNorm") or short == "LayerNorm" and S.known_int(f.get("normalized_shape")):
        (c,) = ints("num_features") if short.startswith("BatchNorm") else ints("normalized_shape")
        shapes = {"weight": (c,), "bias": (c,)}
    elif short == "Embedding":
        shapes = {"weight": ints("num_embeddings", "embedding_dim")}
    else:
        return None
    shape = shapes.get(name)
    if shape is None or not all(S.known_int(d) for d in shape):
        return None if shape is None else _param(None, layer)
    return _param(shape, layer)


# -- functional forms of layers: `F.max_pool2d(x, 2)` is `nn.MaxPool2d(2)(x)` ------------------

def _functional_layer(qualname):
    def fn(call):
        from . import call_layer

        x = call.arg(0, "input")
        if not isinstance(x, Tensor):
            return UNKNOWN
        rest = call.__class__(call.interp, call.node, call.frame, list(call.args[1:]),
                              {k: v for k, v in call.kwargs.items() if k != "input"}, list(call.arg_nodes[1:]), call.kwarg_nodes)
        layer = LAYERS[qualname].construct(rest, qualname)
        layer.node = None  # made by the call itself, not defined anywhere
        return call_layer(call.__class__(call.interp, call.node, call.frame, [x], {}, list(call.arg_nodes[:1]), {}), layer)
    return fn


for _f, _q in (("max_pool1d", "MaxPool1d"), ("max_pool2d", "MaxPool2d"), ("max_pool3d", "MaxPool3d"),
               ("avg_pool1d", "AvgPool1d"), ("avg_pool2d", "AvgPool2d"),
               ("adaptive_avg_pool1d", "AdaptiveAvgPool1d"), ("adaptive_avg_pool2d", "AdaptiveAvgPool2d")):
    CALLS["torch.nn.functional." + _f] = _functional_layer("torch.nn." + _q)
