"""PyTorch tensors: dtypes, factories (`torch.zeros`, `torch.tensor`), tensor functions and methods."""
from __future__ import annotations

from ...values import Const, MutableList, SOME_INT, Seq, Tensor, UNKNOWN, is_float_dtype, is_int_dtype
from ..ops import concat_shape, concatenate, emit_join, emit_reduce, stack_tensors, elementwise, reduce_shape
from ..common import (
    TextSearch, called_name, emit_class_ids, list_data_shape, grad_models, grad_of, derive, dtype_arg, dtype_given, dtype_of, literal_data, literal_span,
    make, normal_span, shape_from_args, shape_value, uniform_int_span, uniform_span,
)
from ..registry import TENSOR_METHODS
from .. import devices, layout as L, shapes as S
from .dtype_names import TENSOR_TYPES
from .norms import norm_fn
from .reshape import contiguous, expand, expand_as, flatten, permute, squeeze, t_method, transpose, unsqueeze, view, view_as



# whether a file changes torch's default float dtype anywhere (`torch.set_default_dtype` to other
# than float32, a default tensor type other than FloatTensor): then a factory's floats and a
# layer's weights are of no known dtype (float64 under `torch.set_default_dtype(torch.float64)`)
_default_dtype_changed = TextSearch(
    r"set_default_dtype\s*\(\s*(?!torch\.float(?:32)?\s*\))"
    r"|set_default_tensor_type\s*\(\s*(?![\"']?torch\.(?:cuda\.)?FloatTensor\b)")


def default_float(call) -> str | None:
    """torch's default float dtype where `call` runs: float32, None where the file changes it."""
    return None if _default_dtype_changed(getattr(call.interp, "text", None) or "") else "float32"


def weights_dtype(facts: dict, call) -> str | None:
    """The dtype of the weights a layer makes: its `dtype=`, else torch's default float dtype."""
    given = facts.get("dtype")
    if given is None:
        return default_float(call)
    return given if is_float_dtype(given) else None


def torch_tensor(call, shape, dtype, **kw) -> Tensor:
    return make(call, shape, dtype, "torch", **kw)


def _grad_flag(call):
    """A new tensor is a leaf that needs no gradient unless `requires_grad=True` says so."""
    v = call.arg(None, "requires_grad")
    if v is None:
        return False
    return v.value if isinstance(v, Const) and isinstance(v.value, bool) else None


def _created(call, t: Tensor, qualname: str, source=None) -> Tensor:
    """A tensor a factory made (`source`: the tensor a `*_like` factory or `torch.tensor(t)` copies)."""
    interp = call.interp
    t = devices.created(call, t, source)
    if interp.wants("tensor_created"):
        from ...events import TensorCreated

        interp.emit("tensor_created", TensorCreated(t, qualname, call.kwargs, call.node, call.kwarg_nodes))
    # a new tensor is contiguous; a `*_like` one, in the default preserve_format, is laid out as
    # an elementwise result of its model (a dense model's strides, else dense in its order)
    if qualname.endswith("_like"):
        keep = isinstance(source, Tensor) and "memory_format" not in call.kwargs
        return L.of_elementwise(t, (source,)) if keep else t
    return L.contiguous(t)


def factory(default_dtype="float32", qual=""):
    def fn(call):
        shape = shape_from_args(call, 0)
        d = dtype_arg(call, None, default_float(call) if default_dtype == "float32" else default_dtype)
        span = normal_span(shape, qual) if qual == "torch.randn" else None
        draws = None
        if qual == "torch.rand" and not is_int_dtype(d):  # floats from [0, 1)
            span, draws = uniform_span(0.0, 1.0, shape, qual), (0.0, 1.0, qual)
        return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), span=span, draws=draws), qual)
    return fn


def like(default=None, qual=""):
    def fn(call):
        src = call.arg(0, "input")
        if not isinstance(src, Tensor):
            return UNKNOWN
        d = dtype_arg(call, None, default or src.dtype)
        return _created(call, torch_tensor(call, src.shape, d, requires_grad=_grad_flag(call)), qual, src)
    return fn


def randint(call):
    # randint(high, size) | randint(low, high, size)
    size = call.arg(None, "size")
    if size is None:
        if len(call.args) >= 3:
            size = call.args[2]
        elif len(call.args) == 2:
            size = call.args[1]
    shape = shape_value(size) if size is not None else None
    d = dtype_arg(call, None, "int64")
    t = torch_tensor(call, shape, d, requires_grad=_grad_flag(call))
    # the integers low..high-1 (high alone: 0..high-1), once the size is given as the last positional
    bounds = call.args[:-1] if call.arg(None, "size") is None else call.args
    ints = [a.value if isinstance(a, Const) and type(a.value) is int else None for a in bounds[:2]]
    low, high = (0, ints[0]) if len(ints) == 1 else tuple(ints) if len(ints) == 2 else (None, None)
    span = uniform_int_span(low, high, shape, f"torch.randint({low}, {high})") if shape is not None else None
    if span is not None:
        t = t.with_(span=span)
    return _created(call, t, "torch.randint")


def full(call):
    shape = shape_value(call.arg(0, "size", UNKNOWN))
    fill = call.arg(1, "fill_value")
    d = dtype_arg(call, None)
    nan = False
    if isinstance(fill, Const):
        if not dtype_given(call, None):  # an explicit dtype, even one not known, decides
            d = "bool" if isinstance(fill.value, bool) else "int64" if isinstance(fill.value, int) else default_float(call) if isinstance(fill.value, float) else None
        nan = isinstance(fill.value, float) and (fill.value != fill.value or abs(fill.value) == float("inf"))
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), nan=nan), "torch.full")


def arange(call):
    nums = [call.const(i, n) for i, n in ((0, "start"), (1, "end"), (2, "step"))]
    nums = [v for v in nums if v is not None]
    d = dtype_arg(call, None)
    if not dtype_given(call, None) and nums and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        d = "int64" if all(isinstance(v, int) for v in nums) else default_float(call)
    shape = None
    if nums and all(isinstance(v, int) and not isinstance(v, bool) for v in nums) and (len(nums) < 3 or nums[2]):
        try:
            shape = (len(range(*nums)),)
        except (OverflowError, TypeError):
            shape = (None,)  # longer than a machine size: not a tensor anyone can make
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call)), "torch.arange")


def tensor(qual, float_dtype="float32", default_int="int64"):
    def fn(call):
        data = call.arg(0, "data", UNKNOWN)
        d = dtype_arg(call, None)
        given = dtype_given(call, None)
        if isinstance(data, Tensor):
            # torch.tensor(t) copies: a numpy array keeps its dtype (float64 stays float64) and its
            # values (unless an integer dtype truncates them), class ids stay class ids
            same_values = not given or is_float_dtype(d)
            t = derive(data, call, fw="torch", dtype=d if given else data.dtype, requires_grad=_grad_flag(call),
                       param=False, depth=call.depth, origin=call.node, classes=data.classes,
                       span=data.span if same_values else None)
            return _created(call, t, qual, data if data.fw == "torch" else None)
        shape, kind, nan, mag = literal_data(data)
        if isinstance(data, Const) and not isinstance(data.value, (int, float, bool)):
            shape = None  # torch.tensor(self.mean) of a `mean = None` placeholder: the real value comes later
        if shape is None:
            shape, numbers = list_data_shape(call, 0, "data", data, shape)
            kind = numbers or kind
        if not given:
            floats = default_float(call) if float_dtype == "float32" else float_dtype
            d = {"float": floats, "int": default_int, "bool": "bool"}.get(kind)
        return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), nan=nan, magnitude=mag, span=literal_span(data)), qual)
    return fn


def from_numpy(call):
    a = call.arg(0)
    if isinstance(a, Tensor):
        return devices.placed(derive(a, call, fw="torch", requires_grad=None, origin=a.origin or call.node, span=a.span), "cpu")
    return devices.placed(torch_tensor(call, None, None), "cpu")


def typed_tensor(given, device="cpu", default=False):
    """`torch.FloatTensor(...)` and the other legacy tensor types (`torch.cuda.FloatTensor` on the
    accelerator): of data, or of a shape; `default`: `torch.Tensor(...)`, of the default type."""
    def fn(call):
        dtype = default_float(call) if default else given
        if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
            shape, kind, nan, mag = literal_data(call.args[0])
            shape = list_data_shape(call, 0, "data", call.args[0], shape)[0]
            out = _created(call, torch_tensor(call, shape, dtype, nan=nan, magnitude=mag, span=literal_span(call.args[0])), "torch.Tensor")
        elif call.args and isinstance(call.args[0], Tensor):
            out = derive(call.args[0], call, fw="torch", dtype=dtype)
        elif len(call.args) == 1 and (listed := list_data_shape(call, 0, "data", call.args[0], None)[0]) is not None:
            out = _created(call, torch_tensor(call, listed, dtype), "torch.Tensor")  # a list comprehension's data
        else:
            out = _created(call, torch_tensor(call, shape_from_args(call, 0), dtype), "torch.Tensor")
        return devices.placed(out, device) if device != "cpu" else out
    return fn


def parameter(call):
    """`nn.Parameter(data, requires_grad=True)`: a leaf that needs gradients unless the call says
    `requires_grad=False` (a step counter, a frozen buffer); a flag the program does not settle is
    unknown."""
    flag = call.const(1, "requires_grad", True)
    flag = flag if isinstance(flag, bool) else None
    t = call.arg(0, "data")
    if isinstance(t, Tensor):
        return derive(t, call, requires_grad=flag, param=True)
    return torch_tensor(call, None, "float32", requires_grad=flag, param=True)


def _join_dim(call):
    """The dim of `torch.cat`/`torch.stack`, also given as NumPy's `axis=` (an alias torch takes)."""
    if call.arg(1, "dim") is None and "axis" in call.kwargs:
        return call.const(None, "axis", 0)
    return call.const(1, "dim", 0)


def cat(call):
    seq, dim = call.arg(0, "tensors"), _join_dim(call)
    out = concatenate(call, seq, dim, "torch.cat")
    if out is UNKNOWN and isinstance(seq, (Seq, MutableList)) and seq.items and isinstance(dim, int) and dim >= 1:
        # parts of which nothing is known still make a tensor, whose rank is at least dim + 1;
        # whether it needs gradients and its dtype stay unknown
        return torch_tensor(call, concat_shape([None] * len(seq.items), dim, False), None, requires_grad=None)
    return out


def stack(call):
    seq, dim = call.arg(0, "tensors"), _join_dim(call)
    emit_join(call, "torch.stack", seq, dim, stack=True)
    return stack_tensors(call, seq, dim)


def unary_fn(dtype=None, activation=None):
    """torch.softmax(x, dim) style functions: same shape; `activation` names what the result is."""
    def fn(call):
        x = call.arg(0, "input")
        if not isinstance(x, Tensor):
            return UNKNOWN
        out = elementwise(call, x, dtype=dtype if dtype else (x.dtype if not is_int_dtype(x.dtype) else "float32"),
                          activation=activation, param=False)
        if activation in ("softmax", "log_softmax"):
            return out  # (a reduction along a dim: its layout is not read here)
        return L.of_elementwise(out, (x,))
    return fn


def reduction_fn(dtype=None, op="", accumulate=False):
    """A reduction (`sum`, `mean`, ...); `accumulate`: a product, whose dtype is a sum's."""
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
        out = dtype or (accumulated_dtype(call, x) if accumulate or op == "sum" else x.dtype)
        return emit_reduce(call, x, derive(x, call, shape=shape, dtype=out, param=False, magnitude=None, onehot=False), op)
    return fn


def accumulated_dtype(call, x):
    """The dtype of a sum or a product of `x`: the `dtype=` the call names, else torch and NumPy
    add bools and integers up in int64 (NumPy its unsigned integers in uint64)."""
    if dtype_given(call, None, "dtype"):
        return dtype_arg(call, None, None, fw=x.fw)
    if not is_int_dtype(x.dtype) or x.fw not in ("torch", "np"):
        return x.dtype
    return "uint64" if x.fw == "np" and x.dtype.startswith("uint") else "int64"


def one_hot(call):
    x = call.arg(0, "tensor")
    n = call.const(1, "num_classes", -1)
    emit_class_ids(call, "torch.nn.functional.one_hot", x, n)
    if not isinstance(x, Tensor):
        return UNKNOWN
    shape = (x.shape + (n if isinstance(n, int) and n > 0 else None,)) if x.shape is not None else None
    return derive(x, call, shape=shape, dtype="int64", onehot=True)


def matmul_fn(call):
    from ..ops import binary_op

    a, b = call.arg(0, "input"), call.arg(1, "other")
    if b is None:
        b = call.arg(None, "mat2")
    return binary_op(call.interp, "MatrixMultiply", a, b, call.node)


def where(call):
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
    def fn(call, t):  # class ids cast to float (`labels.float()` for a loss) are still class ids
        # integers (and booleans) keep their values under a cast; a float cast to an integer is truncated
        span = t.span if t.dtype is not None and (is_int_dtype(t.dtype) or not is_int_dtype(dtype)) else None
        if is_int_dtype(dtype):  # integer tensors carry no gradient
            out = derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np", requires_grad=False, classes=t.classes,
                         span=span)
        else:
            out = derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np", classes=t.classes, span=span)
        return devices.kept(t, out)
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
    copies = d is not None and t.dtype is not None and d != t.dtype  # a new dtype: always a copy
    return _moved(call, t, L.preserved(t, derive(t, call, dtype=d), "memory_format" not in call.kwargs, copies))


def _moved(call, t, out):
    """`x.to(...)`/`x.type(...)`: on the device an argument names; where every argument is a
    dtype, on `x`'s device; where some argument is not known, on a device not known."""
    kind, other = None, False
    for v in [*call.args, *(call.kwargs[k] for k in ("device", "dtype") if k in call.kwargs)]:
        named = devices.kind_of(v) or _tensor_type_device(v)
        if named is not None:
            kind = named
        elif dtype_of(v) is None:
            other = True
    if kind is not None:
        return devices.placed(out, kind)
    return devices.placed(out, None) if other else devices.kept(t, out)


def _tensor_type_device(v):
    """`torch.cuda.FloatTensor` names the accelerator, `torch.FloatTensor` the CPU."""
    from ...values import Ref

    name = v.qualname if isinstance(v, Ref) else v.value if isinstance(v, Const) and isinstance(v.value, str) else None
    if not name or name.rsplit(".", 1)[-1] not in TENSOR_TYPES:
        return None
    return "cuda" if name.startswith("torch.cuda.") else "cpu" if name.startswith("torch.") else None


def _type(call, t):
    """`x.type(torch.FloatTensor)` / `x.type(torch.float32)` casts; `x.type()` names the type."""
    if not call.args and "dtype" not in call.kwargs:
        return UNKNOWN
    d = dtype_of(call.arg(0, "dtype"))
    if is_int_dtype(d):
        return _moved(call, t, derive(t, call, dtype=d, requires_grad=False))
    copies = d is not None and t.dtype is not None and d != t.dtype  # a new dtype: always a copy
    return _moved(call, t, L.preserved(t, derive(t, call, dtype=d), "memory_format" not in call.kwargs, copies))


def _size(call, t):
    from ..methods import size_value

    i = call.const(0, "dim")
    if isinstance(i, int):
        d = t.dim(i)
        if S.known_int(d):
            return Const(d)
        if t.rank is not None and not -t.rank <= i < t.rank:
            return UNKNOWN  # IndexError
        return SOME_INT if t.fw in ("torch", "np") else UNKNOWN
    return size_value(t)


def _same(call, t):
    return derive(t, call, activation=None, param=False)


def _keep(call, t):
    """Operations that move or copy data without changing what it means (in torch's default
    `preserve_format`, a dense tensor's strides kept)."""
    return L.preserved(t, derive(t, call, param=False, span=t.span), "memory_format" not in call.kwargs,
                       copies=called_name(call) == "clone")


def _same_float(call, t):
    """`t.exp()`, `t.log()`, `t.sqrt()`: elementwise, laid out like `t`."""
    return L.of_elementwise(derive(t, call, dtype="float32" if is_int_dtype(t.dtype) else t.dtype, activation=None), (t,))


def _div(call, t):
    """`t.div(other, rounding_mode=...)`: true division gives floats; "floor" and "trunc" keep integers."""
    if call.arg(None, "rounding_mode") is None or call.const(None, "rounding_mode", "?") is None:
        return _same_float(call, t)
    mode = call.const(None, "rounding_mode")
    return derive(t, call, dtype=t.dtype if mode in ("floor", "trunc") else None, activation=None)


def _activation_method(act):
    def fn(call, t):
        out = derive(t, call, dtype="float32" if is_int_dtype(t.dtype) else t.dtype, activation=act)
        return out if act in ("softmax", "log_softmax") else L.of_elementwise(out, (t,))
    return fn


def _detach(call, t):
    return devices.kept(t, derive(t, call, requires_grad=False, param=False))


def _placed_on(kind):
    def fn(call, t):
        return devices.placed(_keep(call, t), kind)
    return fn


def _numpy(call, t):
    return derive(t, call, fw="np", requires_grad=False, param=False)


def _requires_grad_(call, t):
    flag = call.const(0, "requires_grad", True)
    return t.with_(requires_grad=bool(flag) if isinstance(flag, bool) else None)


def _argmax(call, t):
    out = reduction_fn("int64")(call, t)
    return out.with_(requires_grad=False) if isinstance(out, Tensor) else out


def no_grad_same(call, t):
    """round/floor/ceil/sign: piecewise constant, their gradient is zero everywhere."""
    return derive(t, call, activation=None, param=False, requires_grad=False)


def _argsort(call, t):
    """`t.argsort(dim=-1)`: the int64 positions that sort `t`, one per element."""
    return derive(t, call, dtype="int64", requires_grad=False, activation=None, param=False, onehot=False,
                  scale=None, magnitude=None, span=None, normalized=False)


def argmax_fn(call):
    out = reduction_fn("int64")(call)
    return out.with_(requires_grad=False) if isinstance(out, Tensor) else out


def linspace(call):
    steps = call.const(2, "steps")
    shape = (steps,) if S.known_int(steps) else None
    d = dtype_arg(call, None, "float32")
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call)), "torch.linspace")


def _scalar(call, t):
    return UNKNOWN


for name, dt in (("float", "float32"), ("double", "float64"), ("half", "float16"), ("bfloat16", "bfloat16"),
                 ("long", "int64"), ("int", "int32"), ("short", "int16"), ("bool", "bool"), ("byte", "uint8"), ("char", "int8")):
    TENSOR_METHODS[name] = _cast(dt)
TENSOR_METHODS.update({
    "to": _to, "type": _type, "size": _size, "view": view, "reshape": view, "view_as": view_as, "reshape_as": view_as,
    "flatten": flatten, "squeeze": squeeze, "unsqueeze": unsqueeze, "permute": permute, "transpose": transpose,
    "t": t_method, "contiguous": contiguous, "clone": _keep, "cpu": _placed_on("cpu"), "cuda": _placed_on("cuda"),
    "pin_memory": _placed_on("cpu"),
    "detach": _detach, "numpy": _numpy, "requires_grad_": _requires_grad_, "item": _scalar, "tolist": _scalar,
    "sum": reduction_fn(op="sum"), "mean": reduction_fn(op="mean"), "std": reduction_fn(), "var": reduction_fn(), "prod": reduction_fn(accumulate=True),
    "argmax": _argmax, "argmin": _argmax, "argsort": _argsort, "norm": norm_fn("method"),
    "softmax": _activation_method("softmax"), "log_softmax": _activation_method("log_softmax"),
    "sigmoid": _activation_method("sigmoid"), "relu": _activation_method("relu"), "exp": _same_float,
    "log": _same_float, "abs": _same, "sqrt": _same_float, "tanh": _activation_method("tanh"), "clamp": _same, "clip": _same,
    "masked_fill": _same, "pow": _same, "neg": _same, "square": _same, "expand": expand, "expand_as": expand_as,
    "add": _same, "sub": _same, "mul": _same, "div": _div, "round": no_grad_same, "floor": no_grad_same,
    "ceil": no_grad_same, "sign": no_grad_same,
})
