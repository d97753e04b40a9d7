"""torch functions as scripts call them beside the tensor methods: `torch.max(x, 1)`,
`torch.transpose(x, 0, 1)`, `torch.add(a, b)`, comparisons, sampling (`torch.multinomial`,
`torch.randperm`, `torch.normal`), the in-place initializers of `torch.nn.init` (they fill the
tensor they are given and return it), and the padding and pixel-shuffle layers. Each is checked
against PyTorch in tests/differential/test_torch_ops.py."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, Seq, Tensor, Unknown
from ..registry import CALLS, LAYERS, OBJECT_METHODS, LayerSpec, TENSOR_METHODS
from .. import layout as L, shapes as S
from .reshape import current
from ..common import UNSEEN_MODELS, called_name, derive, extreme, make
from ..ops import binary_op, promote, reduce_shape
from ..methods import tensor_method


# the named tuple torch returns from `max(dim)`, `min(dim)`, `topk`, `sort`, ...: `out.values`, `out.indices`
VALUES_INDICES = ("values", "indices")


def _rest(call, drop: tuple = ("input",)):
    """The call without its first argument: what the method form of the function receives."""
    kwargs = {k: v for k, v in call.kwargs.items() if k not in drop}
    nodes = {k: v for k, v in call.kwarg_nodes.items() if k not in drop}
    return call.with_args(list(call.args[1:]), kwargs, list(call.arg_nodes[1:]), nodes)


def _first(call):
    x = call.arg(0, "input")
    return x if isinstance(x, Tensor) else None


def as_method(name: str):
    """`torch.f(x, *rest)` computes what `x.f(*rest)` computes."""
    def fn(call):
        x = _first(call)
        if x is None or name not in TENSOR_METHODS:
            return UNKNOWN
        return tensor_method(_rest(call), x, name)
    return fn


def _dim(call, index):
    v = call.arg(index, "dim")
    if v is None:
        v = call.arg(None, "axis")
    return v


def _max_min(call, x):
    """`x.max()` (one value), `x.max(dim)` (values and int64 indices), `x.max(other)` (elementwise)."""
    other_dim = _dim(call, 0)
    if isinstance(other_dim, Tensor):
        return _elementwise_pair(call, x, other_dim)
    if x.fw == "np":  # ndarray.max(axis=...): one array
        axis = call.arg(0, "axis")
        keep = call.const(None, "keepdims", False)
        if axis is None or isinstance(axis, Const) and axis.value is None:
            return extreme(call, x, "max" if called_name(call) == "max" else "min")
        if isinstance(axis, Const) and isinstance(axis.value, int) and isinstance(keep, bool):
            return derive(x, call, shape=reduce_shape(x.shape, axis.value, keep), param=False, onehot=False)
        return derive(x, call, shape=None, param=False, onehot=False)
    if other_dim is None:
        return extreme(call, x, "max" if called_name(call) == "max" else "min")
    keep = call.const(1, "keepdim", False)
    if not isinstance(other_dim, Const) or not isinstance(other_dim.value, int) or not isinstance(keep, bool):
        shape = None
    else:
        shape = reduce_shape(x.shape, other_dim.value, keep)
    values = derive(x, call, shape=shape, param=False, onehot=False)
    indices = derive(x, call, shape=shape, dtype="int64", param=False, onehot=False, requires_grad=False,
                     activation=None, scale=None, magnitude=None)
    return Seq("tuple", (values, indices), VALUES_INDICES)


def _topk(call, x):
    """`x.topk(k, dim=-1)`: the k largest (or smallest) values along `dim` and their int64 positions."""
    if x.fw != "torch":
        return UNKNOWN
    k, dim = call.arg(0, "k"), call.arg(1, "dim")
    d = -1 if dim is None else dim.value if isinstance(dim, Const) and isinstance(dim.value, int) else None
    shape = None
    if x.shape is not None and d is not None and -len(x.shape) <= d < len(x.shape):
        d %= len(x.shape)
        size = k.value if isinstance(k, Const) and S.known_int(k.value) else None
        shape = x.shape[:d] + (size,) + x.shape[d + 1:]
    values = derive(x, call, shape=shape, param=False, onehot=False)
    indices = derive(x, call, shape=shape, dtype="int64", param=False, onehot=False, requires_grad=False,
                     activation=None, scale=None, magnitude=None, span=None, normalized=False)
    # both are new contiguous tensors, whatever the input's layout
    values, indices = L.contiguous(values), L.contiguous(indices)
    if shape is None and d is not None and d >= 0 and S.known_int(k.value if isinstance(k, Const) else None):
        # the rank is not known, but dim `d` exists and holds the k values (a new, contiguous tensor)
        lead = (call.node, (None,) * d + (k.value,), True)
        values, indices = values.with_(leading=lead), indices.with_(leading=lead)
    return Seq("tuple", (values, indices), VALUES_INDICES)


def _topk_of_unknown(call, obj):
    """`x.topk(k, dim)` of a value the analysis does not know: only a torch tensor has the method
    (NumPy and TensorFlow have none), so in a program that imports torch it is one, of unknown
    shape, computed by models the analysis may not see."""
    if "torch" not in call.interp.text:
        return UNKNOWN
    return _topk(call, make(call, None, None, "torch", requires_grad=None, models=frozenset((UNSEEN_MODELS,))))


def _topk_function(call):
    """`torch.topk(x, k, dim)`: `x.topk(k, dim)`; an `x` not known is a tensor all the same."""
    x = call.arg(0, "input")
    return _topk_of_unknown(_rest(call), x) if type(x) is Unknown else as_method("topk")(call)


def _elementwise_pair(call, a, b, dtype=None):
    out = binary_op(call.interp, "Add", a, b, call.node)
    if not isinstance(out, Tensor):
        return out
    return out.with_(dtype=dtype or out.dtype, scale=None, magnitude=None)


def max_min_function(call):
    x = _first(call)
    if x is None:
        return UNKNOWN
    other = call.arg(1, "other")
    if isinstance(other, Tensor):
        return _elementwise_pair(call, x, other)
    return _max_min(_rest(call), x)


ARITHMETIC = {"add": "Add", "sub": "Subtract", "subtract": "Subtract", "mul": "Multiply", "multiply": "Multiply",
              "div": "Divide", "divide": "Divide", "true_divide": "Divide", "pow": "Power"}
COMPARISONS = ("gt", "lt", "ge", "le", "eq", "ne", "greater", "less", "greater_equal", "less_equal", "not_equal")


def arithmetic(op: str):
    def fn(call):
        a, b = call.arg(0, "input"), call.arg(1, "other")
        if b is None:
            b = call.arg(1, "exponent")
        if a is None or b is None:
            return UNKNOWN
        if op == "Divide" and call.arg(None, "rounding_mode") is not None:
            mode = call.const(None, "rounding_mode")
            if mode in ("floor", "trunc"):  # integer operands stay integers
                return binary_op(call.interp, "FloorDivide", a, b, call.node)
            if mode is not None:  # rounding_mode=None: true division
                out = binary_op(call.interp, op, a, b, call.node)
                return out.with_(dtype=None) if isinstance(out, Tensor) else out
        return binary_op(call.interp, op, a, b, call.node)
    return fn


def pairwise(dtype=None):
    """maximum/minimum (promoted dtype) and comparisons (bool): the broadcast of the operands."""
    def fn(call):
        a, b = call.arg(0, "input"), call.arg(1, "other")
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            return UNKNOWN
        out = binary_op(call.interp, "Add", a, b, call.node)
        if not isinstance(out, Tensor):
            return UNKNOWN
        return out.with_(dtype=dtype or out.dtype, scale=None, magnitude=None,
                         requires_grad=False if dtype == "bool" else out.requires_grad)
    return fn


def same_shape(dtype=None, activation=None):
    """Elementwise functions of one tensor: the shape and (unless given) the dtype stay;
    `activation` names what the result is (tanh, relu...)."""
    def fn(call):
        x = _first(call)
        if x is None:
            return UNKNOWN
        # laid out as torch lays out an elementwise result of one tensor (a permuted input's order)
        return L.of_elementwise(derive(x, call, dtype=dtype or x.dtype, param=False, onehot=False, activation=activation,
                                       magnitude=None, scale=None), (x,))
    return fn


def dot(call):
    a, b = _first(call), call.arg(1, "tensor")
    if a is None or not isinstance(b, Tensor):
        return UNKNOWN
    return derive(a, call, shape=(), dtype=promote(a.dtype, b.dtype, "torch"), param=False, onehot=False,
                  activation=None, magnitude=None, scale=None)


def multinomial(call):
    probs = _first(call)
    n = call.const(1, "num_samples")
    if probs is None:
        return UNKNOWN
    count = n if S.known_int(n) else None
    shape = None
    if probs.shape is not None and ANY not in probs.shape[:1]:
        shape = probs.shape[:-1] + (count,)
    return make(call, shape, "int64", "torch")


def randperm(call):
    n = call.const(0, "n")
    return make(call, (n if S.known_int(n) else None,), "int64", "torch")


def normal(call):
    mean, std = call.arg(0, "mean"), call.arg(1, "std")
    size = call.arg(2, "size")
    if isinstance(size, Seq):
        dims = tuple(v.value if isinstance(v, Const) and S.known_int(v.value) else None for v in size.items)
        return make(call, dims, "float32", "torch")
    ts = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not ts:
        return UNKNOWN
    shape = ts[0].shape if len(ts) == 1 else S.broadcast(ts[0].shape, ts[1].shape)
    return make(call, shape, ts[0].dtype, "torch")


def fills_in_place(call):
    """`nn.init.xavier_uniform_(w)`: fills `w` and returns it."""
    x = call.arg(0, "tensor")
    return x if isinstance(x, Tensor) else UNKNOWN


def pad_function(call):
    x = _first(call)
    pads = call.arg(1, "pad")
    if x is None:
        return UNKNOWN
    return x.with_(shape=_padded(x.shape, pads.items if isinstance(pads, Seq) else None), node=call.node, name=None)


def _padded(shape, pads):
    """F.pad: pairs (before, after) from the last dim backwards."""
    if shape is None or pads is None or len(pads) % 2 or ANY in shape[:1]:
        return None
    vals = [p.value if isinstance(p, Const) and S.known_int(p.value) else None for p in pads]
    out = list(shape)
    for i in range(len(vals) // 2):
        d = len(out) - 1 - i
        if d < 0:
            return None
        before, after = vals[2 * i], vals[2 * i + 1]
        out[d] = out[d] + before + after if S.known_int(out[d]) and before is not None and after is not None else None
    return tuple(out)


def pad_layer(n: int):
    def transfer(layer, x, call):
        p = layer.facts.get("padding")
        if S.known_int(p):
            pads = (p,) * (2 * n)
        elif isinstance(p, tuple) and len(p) == 2 * n and all(S.known_int(v) for v in p):
            pads = p
        else:
            return x.with_(shape=None if x.shape is None else S.prefix(x.shape, n) + (None,) * n)
        return x.with_(shape=_padded(x.shape, [Const(v) for v in pads]))
    return transfer


def pixel_shuffle(layer, x, call):
    f = layer.facts.get("upscale_factor")
    if x.shape is None or not S.known_int(f) or len(x.shape) < 3 or ANY in x.shape[:1]:
        return x.with_(shape=None)
    *lead, c, h, w = x.shape
    c = c // (f * f) if S.known_int(c) and c % (f * f) == 0 else None
    h = h * f if S.known_int(h) else None
    w = w * f if S.known_int(w) else None
    return x.with_(shape=tuple(lead) + (c, h, w))


def _compare_method(call, x):
    """`x.eq(other)`, `x.gt(other)`...: the bool broadcast of the two, as `torch.eq(x, other)`."""
    other = call.arg(0, "other")
    if x.fw != "torch" or other is None or len(call.args) > 1:
        return UNKNOWN
    x = current(call, x)
    return pairwise("bool")(call.with_args([x, other], {}, [None, call.arg_nodes[0] if call.arg_nodes else None], {}))


TENSOR_METHODS.update({"max": _max_min, "min": _max_min, "topk": _topk})
OBJECT_METHODS[("Unknown", "topk")] = _topk_of_unknown
TENSOR_METHODS.update({_name: _compare_method for _name in COMPARISONS if _name not in TENSOR_METHODS})

CALLS.update({
    "torch.max": max_min_function, "torch.min": max_min_function, "torch.topk": _topk_function, "torch.argsort": as_method("argsort"), "torch.transpose": as_method("transpose"),
    "torch.clamp": as_method("clamp"), "torch.clip": as_method("clamp"), "torch.std": as_method("std"),
    "torch.var": as_method("var"), "torch.prod": as_method("prod"), "torch.t": as_method("t"),
    "torch.permute": as_method("permute"), "torch.dot": dot, "torch.multinomial": multinomial,
    "torch.randperm": randperm, "torch.normal": normal, "torch.nn.functional.pad": pad_function,
    "torch.maximum": pairwise(), "torch.minimum": pairwise(),
})
for _name, _op in ARITHMETIC.items():
    CALLS["torch." + _name] = arithmetic(_op)
for _name in COMPARISONS:
    CALLS["torch." + _name] = pairwise("bool")
for _name in ("tanh", "sigmoid", "relu", "elu", "selu", "gelu", "silu", "softplus", "leaky_relu", "relu6", "hardtanh",
              "logsigmoid", "mish", "celu"):
    CALLS.setdefault("torch.nn.functional." + _name, same_shape(activation=_name.replace("_", "") if _name != "logsigmoid" else None))
CALLS.setdefault("torch.nan_to_num", lambda call: derive(_first(call), call, nan=False, param=False, onehot=False)
                 if _first(call) is not None else UNKNOWN)
for _name in ("tril", "triu", "neg", "negative", "clone", "sign", "floor", "ceil", "trunc", "frac",
              "sinh", "cosh", "asin", "acos", "atan", "erfinv", "digamma", "sqrt", "rsqrt", "reciprocal"):
    CALLS.setdefault("torch." + _name, same_shape())
for _name in ("isfinite", "isinf", "isnan", "logical_not"):
    CALLS.setdefault("torch." + _name, same_shape("bool"))
for _name in ("normal_", "uniform_", "constant_", "zeros_", "ones_", "eye_", "dirac_", "xavier_uniform_",
              "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "trunc_normal_", "orthogonal_", "sparse_",
              "normal", "uniform", "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform",
              "kaiming_normal", "orthogonal"):
    CALLS["torch.nn.init." + _name] = fills_in_place

for _n in (1, 2, 3):
    for _kind in ("ZeroPad", "ReflectionPad", "ReplicationPad", "ConstantPad", "CircularPad"):
        _params = ("padding", "value") if _kind == "ConstantPad" else ("padding",)
        LAYERS.setdefault(f"torch.nn.{_kind}{_n}d", LayerSpec(_params, "torch", pad_layer(_n), None))
LAYERS.setdefault("torch.nn.PixelShuffle", LayerSpec(("upscale_factor",), "torch", pixel_shuffle, None))

