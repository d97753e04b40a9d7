"""PyTorch tensors: dtypes, factories (`torch.zeros`, `torch.tensor`), tensor functions and methods."""
from __future__ import annotations

from ...values import ANY, Const, MutableList, SOME_INT, Seq, Tensor, UNKNOWN, is_float_dtype, is_int_dtype
from ..ops import concatenate, emit_join, emit_reduce, stack_tensors, elementwise, reduce_shape
from ..common import (
    grad_models, grad_of, derive, dtype_arg, dtype_given, dtype_of, literal_data, literal_span, make, normal_span, shape_from_args, shape_value,
)
from ..registry import DTYPES, TENSOR_METHODS
from .. import layout as L, shapes as S



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


def torch_tensor(call, shape, dtype, **kw) -> Tensor:
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
        from ...events import TensorCreated

        interp.emit("tensor_created", TensorCreated(t, qualname, call.kwargs, call.node, call.kwarg_nodes))
    # a new tensor is contiguous; a `*_like` one takes the layout of its model, not known here
    return t if qualname.endswith("_like") else L.contiguous(t)


def factory(default_dtype="float32", qual=""):
    def fn(call):
        shape = shape_from_args(call, 0)
        d = dtype_arg(call, None, default_dtype)
        span = normal_span(shape, qual) if qual == "torch.randn" else None
        return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), span=span), qual)
    return fn


def like(default=None, qual=""):
    def fn(call):
        src = call.arg(0, "input")
        if not isinstance(src, Tensor):
            return UNKNOWN
        d = dtype_arg(call, None, default or src.dtype)
        return _created(call, torch_tensor(call, src.shape, d, requires_grad=_grad_flag(call)), qual)
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
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call)), "torch.randint")


def full(call):
    shape = shape_value(call.arg(0, "size", UNKNOWN))
    fill = call.arg(1, "fill_value")
    d = dtype_arg(call, None)
    nan = False
    if isinstance(fill, Const):
        if not dtype_given(call, None):  # an explicit dtype, even one not known, decides
            d = "bool" if isinstance(fill.value, bool) else "int64" if isinstance(fill.value, int) else "float32" if isinstance(fill.value, float) else None
        nan = isinstance(fill.value, float) and (fill.value != fill.value or abs(fill.value) == float("inf"))
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), nan=nan), "torch.full")


def arange(call):
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
    return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call)), "torch.arange")


def tensor(qual, default_float="float32", default_int="int64"):
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
            return _created(call, t, qual)
        shape, kind, nan, mag = literal_data(data)
        if isinstance(data, Const) and not isinstance(data.value, (int, float, bool)):
            shape = None  # torch.tensor(self.mean) of a `mean = None` placeholder: the real value comes later
        if not given:
            d = {"float": default_float, "int": default_int, "bool": "bool"}.get(kind)
        return _created(call, torch_tensor(call, shape, d, requires_grad=_grad_flag(call), nan=nan, magnitude=mag, span=literal_span(data)), qual)
    return fn


def from_numpy(call):
    a = call.arg(0)
    if isinstance(a, Tensor):
        return derive(a, call, fw="torch", requires_grad=None, origin=a.origin or call.node, span=a.span)
    return torch_tensor(call, None, None)


def typed_tensor(dtype):
    def fn(call):
        if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
            shape, kind, nan, mag = literal_data(call.args[0])
            return _created(call, torch_tensor(call, shape, dtype, nan=nan, magnitude=mag, span=literal_span(call.args[0])), "torch.Tensor")
        if call.args and isinstance(call.args[0], Tensor):
            return derive(call.args[0], call, fw="torch", dtype=dtype)
        shape = shape_from_args(call, 0)
        return _created(call, torch_tensor(call, shape, dtype), "torch.Tensor")
    return fn


def parameter(call):
    t = call.arg(0, "data")
    if isinstance(t, Tensor):
        return derive(t, call, requires_grad=True, param=True)
    return torch_tensor(call, None, "float32", requires_grad=True, param=True)


def cat(call):
    return concatenate(call, call.arg(0, "tensors"), call.const(1, "dim", 0), "torch.cat")


def stack(call):
    seq, dim = call.arg(0, "tensors"), call.const(1, "dim", 0)
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
        return out
    return fn


def reduction_fn(dtype=None, op=""):
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


def one_hot(call):
    x = call.arg(0, "tensor")
    n = call.const(1, "num_classes", -1)
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
        if is_int_dtype(dtype):  # integer tensors carry no gradient
            return derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np", requires_grad=False, classes=t.classes)
        return derive(t, call, dtype=dtype, fw="torch" if t.fw != "np" else "np", classes=t.classes)
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


def view(call, t):
    args = call.args
    if len(args) == 1 and isinstance(args[0], Const) and not S.known_int(args[0].value):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)  # view(dtype)
    if len(args) == 1 and isinstance(args[0], Ref_types()):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)
    target = shape_from_args(call, 0, "shape")
    interp = call.interp
    if interp.wants("reshape"):
        from ...events import MethodCall

        interp.emit("reshape", MethodCall(t, "view", call.args, call.kwargs, call.node))
    shape = S.reshape(t.shape, target) if target is not None else None
    out = derive(t, call, shape=shape, param=False, span=t.span)
    st = L.strides(t)
    if st is None or not _is_view(call):
        return out  # what `reshape` returns may be a copy or a view: its layout is not known
    new = L.resolved_shape(t.shape, target)
    return L.with_strides(out, L.view_strides(t.shape, st, new) if new is not None else None)


def _is_view(call) -> bool:
    import libcst as cst

    func = getattr(call.node, "func", None)
    return isinstance(func, cst.Attribute) and func.attr.value == "view"


def Ref_types():
    from ...values import Ref

    return Ref


def view_as(call, t):
    o = call.arg(0)
    return derive(t, call, shape=o.shape if isinstance(o, Tensor) else None, param=False)


def flatten(call, t):
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


def squeeze(call, t):
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


def unsqueeze(call, t):
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
    return L.with_strides(derive(t, call, shape=tuple(t.shape[d] for d in dims)), L.permuted(L.strides(t), dims))


def _transpose(call, t):
    a, b = call.const(0, "dim0"), call.const(1, "dim1")
    if t.shape is None or ANY in t.shape[:1] or not isinstance(a, int) or not isinstance(b, int):
        return derive(t, call, shape=None)
    s = list(t.shape)
    try:
        s[a], s[b] = s[b], s[a]
    except IndexError:
        return derive(t, call, shape=None)
    return L.with_strides(derive(t, call, shape=tuple(s)), L.transposed(L.strides(t), a, b))


def _t(call, t):
    if not t.shape or ANY in t.shape[:1] or len(t.shape) > 2:
        return derive(t, call, shape=None)
    st = L.strides(t)
    return L.with_strides(derive(t, call, shape=tuple(reversed(t.shape))), st[::-1] if st is not None else None)


def _contiguous(call, t):
    st = L.strides(t)
    out = _keep(call, t)
    if st is not None and L.is_contiguous(t.shape, st):
        return L.with_strides(out, st)  # already contiguous: the same tensor
    return L.contiguous(out)


def _same(call, t):
    return derive(t, call, activation=None, param=False)


def _keep(call, t):
    """Operations that move or copy data without changing what it means."""
    return derive(t, call, param=False, span=t.span)


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
    out = reduction_fn("int64")(call, t)
    return out.with_(requires_grad=False) if isinstance(out, Tensor) else out


def no_grad_same(call, t):
    """round/floor/ceil/sign: piecewise constant, their gradient is zero everywhere."""
    return derive(t, call, activation=None, param=False, requires_grad=False)


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
    return L.with_strides(derive(t, call, shape=tuple(dims)), _expanded_strides(t, dims))


def _expanded_strides(t, dims):
    """`expand` keeps the strides of the dims it keeps; a dim it grows or adds has stride 0."""
    st = L.strides(t)
    if st is None or len(dims) < len(st) or not all(S.known_int(d) for d in dims):
        return None
    lead = len(dims) - len(st)
    out = [stride if size == old else 0 for size, old, stride in zip(dims[lead:], t.shape, st)]
    for i in range(lead - 1, -1, -1):  # a new leading dim (torch's strides, for a size-1 one too)
        out.insert(0, 0 if dims[i] != 1 else (dims[i + 1] * out[0] if i + 1 < len(dims) else 1))
    return tuple(out)


for name, dt in (("float", "float32"), ("double", "float64"), ("half", "float16"), ("bfloat16", "bfloat16"),
                 ("long", "int64"), ("int", "int32"), ("short", "int16"), ("bool", "bool"), ("byte", "uint8"), ("char", "int8")):
    TENSOR_METHODS[name] = _cast(dt)
TENSOR_METHODS.update({
    "to": _to, "type": _type, "size": _size, "view": view, "reshape": view, "view_as": view_as, "reshape_as": view_as,
    "flatten": flatten, "squeeze": squeeze, "unsqueeze": unsqueeze, "permute": _permute, "transpose": _transpose,
    "t": _t, "contiguous": _contiguous, "clone": _keep, "cpu": _keep, "cuda": _keep, "pin_memory": _keep,
    "detach": _detach, "numpy": _numpy, "requires_grad_": _requires_grad_, "item": _scalar, "tolist": _scalar,
    "sum": reduction_fn(op="sum"), "mean": reduction_fn(op="mean"), "std": reduction_fn(), "var": reduction_fn(), "prod": reduction_fn(),
    "argmax": _argmax, "argmin": _argmax, "norm": reduction_fn(),
    "softmax": _activation_method("softmax"), "log_softmax": _activation_method("log_softmax"),
    "sigmoid": _activation_method("sigmoid"), "relu": _activation_method("relu"), "exp": _same_float,
    "log": _same_float, "abs": _same, "sqrt": _same_float, "tanh": _activation_method("tanh"), "clamp": _same, "clip": _same,
    "masked_fill": _same, "pow": _same, "neg": _same, "square": _same, "expand": _expand, "expand_as": view_as,
    "add": _same, "sub": _same, "mul": _same, "div": _same_float, "round": no_grad_same, "floor": no_grad_same,
    "ceil": no_grad_same, "sign": no_grad_same,
})
