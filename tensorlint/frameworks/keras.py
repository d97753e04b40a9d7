"""TensorFlow and Keras (tf.keras and Keras 3): tensors, layers, models, losses, datasets."""
from __future__ import annotations

from ..values import (
    ANY, UNKNOWN, Const, Container, Dataset, Func, Instance, Layer, Loss, MutableList, Optimizer, Seq, Tensor,
    is_int_dtype, known_tail,
)
from . import (
    CALLS, DTYPES, LAYERS, concatenate, emit_reduce, LOSSES, OBJECT_METHODS, TENSOR_METHODS, LayerSpec, LossSpec, derive, dtype_arg, dtype_given, dtype_of, grad_models, grad_of,
    literal_data, make, recorded, reduce_shape, register_aliases, shape_value,
)
from . import shapes as S
from .torch import flatten_shape

TF_DTYPES = {
    "float16": "float16", "float32": "float32", "float64": "float64", "double": "float64", "half": "float16",
    "bfloat16": "bfloat16", "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8",
    "bool": "bool", "string": "string",
}
DTYPES.update({"tensorflow." + k: v for k, v in TF_DTYPES.items()})
DTYPES.update({"tensorflow.dtypes." + k: v for k, v in TF_DTYPES.items()})

register_aliases({
    "keras.models.Sequential": "keras.Sequential",
    "keras.models.Model": "keras.Model",
    "keras.layers.Input": "keras.Input",
    "keras.engine.input_layer.Input": "keras.Input",
    "tensorflow.log": "tensorflow.math.log",
    "tensorflow.random_normal": "tensorflow.random.normal",
    "tensorflow.random_uniform": "tensorflow.random.uniform",
    "keras.utils.np_utils.to_categorical": "keras.utils.to_categorical",
    "tensorflow.one_hot": "tensorflow.one_hot",
})


def _tf(call, shape, dtype, **kw) -> Tensor:
    return make(call, shape, dtype, "tf", **kw)


def _random(default="float32", mag_key=None):
    def fn(call):
        shape = shape_value(call.arg(0, "shape", UNKNOWN))
        d = dtype_arg(call, None, default, "tf")
        return _tf(call, shape, d)
    return fn


def _uniform(call):
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    d = dtype_arg(call, 3, "float32", "tf")
    return _tf(call, shape, d)


def _constant(call):
    data = call.arg(0, "value", UNKNOWN)
    d = dtype_arg(call, 1, fw="tf")
    given = dtype_given(call, 1)
    shp = call.arg(2, "shape")
    if isinstance(data, Tensor):
        return derive(data, call, fw="tf", dtype=d if given else data.dtype)
    shape, kind, nan, mag = literal_data(data)
    if not given:
        d = {"float": "float32", "int": "int32", "bool": "bool"}.get(kind)
    if shp is not None:
        shape = shape_value(shp)
    return _tf(call, shape, d, nan=nan, magnitude=mag)


def _convert(call):
    data = call.arg(0, "value", UNKNOWN)
    if isinstance(data, Tensor):
        return derive(data, call, fw="tf", dtype=dtype_arg(call, 1, data.dtype, "tf"))
    return _constant(call)


def _filled(call):
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    d = dtype_arg(call, 1, "float32", "tf")
    return _tf(call, shape, d)


def _cast(call):
    x = call.arg(0, "x")
    d = dtype_of(call.arg(1, "dtype"), "tf")
    if not isinstance(x, Tensor):
        return UNKNOWN
    if is_int_dtype(d):  # no gradient flows into an integer tensor
        return derive(x, call, dtype=d, requires_grad=False)
    return derive(x, call, dtype=d)


def _no_gradient(dtype=None):
    """Ops without a gradient (tf.round, comparisons, tf.stop_gradient): the tape returns None
    for anything computed only through them."""
    def fn(call):
        x = call.arg(0)
        if not isinstance(x, Tensor):
            return UNKNOWN
        return derive(x, call, dtype=dtype or x.dtype, requires_grad=False, param=False, onehot=False, activation=None)
    return fn


def _reshape(call):
    x = call.arg(0, "tensor")
    target = shape_value(call.arg(1, "shape", UNKNOWN))
    if not isinstance(x, Tensor):
        return UNKNOWN
    interp = call.interp
    if interp.wants("reshape"):
        from ..events import MethodCall

        interp.emit("reshape", MethodCall(x, "reshape", call.args[1:], call.kwargs, call.node))
    return derive(x, call, shape=S.reshape(x.shape, target) if target is not None else None)


def _one_hot(call):
    x = call.arg(0, "indices")
    depth = call.const(1, "depth")
    d = dtype_arg(call, None, "float32", "tf")
    if isinstance(x, Tensor):
        shape = x.shape + (depth if S.known_int(depth) else None,) if x.shape is not None else None
        return derive(x, call, shape=shape, dtype=d, onehot=True)
    if isinstance(x, (Seq, MutableList)):
        shape, _, _, _ = literal_data(x)
        shape = shape + (depth if S.known_int(depth) else None,) if shape is not None else None
        return _tf(call, shape, d, onehot=True)
    return _tf(call, None, d, onehot=True)


def _to_categorical(call):
    y = call.arg(0, "x")
    n = call.const(1, "num_classes")
    if isinstance(y, Tensor):
        base = y.shape
        if base is not None and ANY not in base[:1] and len(base) >= 2 and base[-1] == 1:
            base = base[:-1]
        shape = base + (n if S.known_int(n) else None,) if base is not None else None
        return derive(y, call, shape=shape, dtype="float32" if y.fw != "np" else "float64", onehot=True, fw=y.fw)
    return make(call, None, "float64", "np", onehot=True)


def _reduce(dtype=None, op=""):
    def fn(call):
        x = call.arg(0, "input_tensor")
        if not isinstance(x, Tensor):
            return UNKNOWN
        axis = call.arg(1, "axis")
        keep = call.const(2, "keepdims", False)
        d = None if axis is None or (isinstance(axis, Const) and axis.value is None) else (axis.value if isinstance(axis, Const) else "?")
        shape = reduce_shape(x.shape, d, bool(keep)) if d != "?" else None
        out = derive(x, call, shape=shape, dtype=dtype or x.dtype, param=False, onehot=False, magnitude=None)
        return emit_reduce(call, x, out, op)
    return fn


def _same(call):
    x = call.arg(0)
    return derive(x, call, param=False, onehot=False) if isinstance(x, Tensor) else UNKNOWN


def _concat(call):
    from . import concatenate

    out = concatenate(call, call.arg(0, "values"), call.const(1, "axis", 0), "tf.concat")
    if not isinstance(out, Tensor):
        return out
    parts = call.arg(0, "values").items
    return out.with_(fw="tf", requires_grad=grad_of(*parts), models=grad_models(*parts))


def _matmul(call):
    from . import binary_op

    return binary_op(call.interp, "MatrixMultiply", call.arg(0, "a"), call.arg(1, "b"), call.node)


def _variable(call):
    x = call.arg(0, "initial_value")
    trainable = call.const(None, "trainable", True)
    if isinstance(x, Tensor):
        return derive(x, call, fw="tf", param=bool(trainable), requires_grad=bool(trainable))
    if isinstance(x, Const) and isinstance(x.value, float):  # tf.Variable(0.0): a float32 scalar
        return _tf(call, (), "float32", param=bool(trainable), requires_grad=bool(trainable))
    return _tf(call, None, "float32", param=True, requires_grad=True)


def _placeholder(call):
    d = dtype_arg(call, 0, fw="tf")
    shape = shape_value(call.arg(1, "shape", UNKNOWN)) if call.arg(1, "shape") is not None else None
    return _tf(call, shape, d)


def _input(call):
    shape = call.arg(0, "shape")
    if shape is None:
        bs = call.arg(None, "batch_shape")
        full = shape_value(bs) if bs is not None else None
    else:
        s = shape_value(shape)
        full = ("B",) + s if s is not None else None
    d = dtype_arg(call, None, "float32", "tf")
    return make(call, full, d, "keras")


CALLS.update({
    "tensorflow.random.normal": _random(), "tensorflow.random.truncated_normal": _random(),
    "tensorflow.random.uniform": _uniform,
    "tensorflow.constant": _constant, "tensorflow.convert_to_tensor": _convert,
    "tensorflow.zeros": _filled, "tensorflow.ones": _filled,
    "tensorflow.cast": _cast, "tensorflow.reshape": _reshape,
    "tensorflow.one_hot": _one_hot, "keras.utils.to_categorical": _to_categorical,
    "tensorflow.reduce_mean": _reduce(op="mean"), "tensorflow.reduce_sum": _reduce(op="sum"), "tensorflow.math.reduce_mean": _reduce(op="mean"),
    "tensorflow.math.reduce_sum": _reduce(op="sum"), "tensorflow.argmax": _no_gradient("int64"), "tensorflow.math.argmax": _no_gradient("int64"),
    "tensorflow.argmin": _no_gradient("int64"), "tensorflow.math.argmin": _no_gradient("int64"),
    "tensorflow.round": _no_gradient(), "tensorflow.math.round": _no_gradient(), "tensorflow.stop_gradient": _no_gradient(),
    "tensorflow.sign": _no_gradient(), "tensorflow.math.sign": _no_gradient(),
    "tensorflow.floor": _no_gradient(), "tensorflow.math.floor": _no_gradient(),
    "tensorflow.equal": _no_gradient("bool"), "tensorflow.not_equal": _no_gradient("bool"),
    "tensorflow.math.equal": _no_gradient("bool"), "tensorflow.math.not_equal": _no_gradient("bool"),
    "tensorflow.greater": _no_gradient("bool"), "tensorflow.less": _no_gradient("bool"),
    "tensorflow.math.greater": _no_gradient("bool"), "tensorflow.math.less": _no_gradient("bool"),
    "tensorflow.greater_equal": _no_gradient("bool"), "tensorflow.less_equal": _no_gradient("bool"),
    "keras.backend.mean": _reduce(op="mean"), "keras.backend.sum": _reduce(op="sum"),
    "tensorflow.reduce_max": _reduce(), "tensorflow.reduce_min": _reduce(), "tensorflow.math.reduce_max": _reduce(),
    "tensorflow.math.reduce_min": _reduce(),
    "tensorflow.nn.softmax": _same, "tensorflow.nn.sigmoid": _same, "tensorflow.sigmoid": _same, "tensorflow.nn.relu": _same,
    "tensorflow.math.log": _same, "tensorflow.math.exp": _same, "tensorflow.exp": _same, "tensorflow.square": _same,
    "tensorflow.math.square": _same, "tensorflow.abs": _same, "keras.activations.softmax": _same,
    "tensorflow.concat": _concat, "tensorflow.matmul": _matmul, "tensorflow.linalg.matmul": _matmul,
    "tensorflow.Variable": _variable, "tensorflow.placeholder": _placeholder,
    "keras.Input": _input, "keras.layers.Input": _input,
})


# -- layers -------------------------------------------------------------------------------

def _units(layer, key="units"):
    v = layer.facts.get(key)
    return v if S.known_int(v) else None


def _dense(layer, x, call):
    return x.with_(shape=S.prefix(x.shape, 1) + (_units(layer),) if x.shape is not None else (ANY, _units(layer)), fw=_out_fw(x))


def _out_fw(x):
    return "keras" if x.fw == "keras" else "tf"


def _channels_last(layer):
    return layer.facts.get("data_format", "channels_last") != "channels_first"


def _kconv(n):
    def transfer(layer, x, call):
        f = _units(layer, "filters")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("strides", 1), n)
        pad = layer.facts.get("padding", "valid")
        dl = S.tupled(layer.facts.get("dilation_rate", 1), n)
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        if _channels_last(layer):
            sp = x.shape[1:1 + n]
            new = tuple(S.conv_out(sp[i], k[i], st[i], pad if isinstance(pad, str) else 0, dl[i]) for i in range(n))
            return x.with_(shape=(x.shape[0],) + new + (f,), fw=_out_fw(x))
        sp = x.shape[2:]
        new = tuple(S.conv_out(sp[i], k[i], st[i], pad if isinstance(pad, str) else 0, dl[i]) for i in range(n))
        return x.with_(shape=(x.shape[0], f) + new, fw=_out_fw(x))
    return transfer


def _kpool(n, global_=False):
    def transfer(layer, x, call):
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        c = x.shape[-1] if last else x.shape[1]
        if global_:
            return x.with_(shape=(x.shape[0], c), fw=_out_fw(x))
        ps = S.tupled(layer.facts.get("pool_size", 2), n)
        st_raw = layer.facts.get("strides")
        st = S.tupled(st_raw if st_raw is not None else layer.facts.get("pool_size", 2), n)
        pad = layer.facts.get("padding", "valid")
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(S.conv_out(sp[i], ps[i], st[i], pad if isinstance(pad, str) else 0) for i in range(n))
        return x.with_(shape=(x.shape[0],) + new + (c,) if last else (x.shape[0], c) + new, fw=_out_fw(x))
    return transfer


def _spatial_map(n, size_fn):
    """A layer that changes each spatial size on its own: size_fn(layer, size, axis) -> new size."""
    def transfer(layer, x, call):
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(size_fn(layer, sp[i], i) if S.known_int(sp[i]) else None for i in range(n))
        c = _units(layer, "filters") if "filters" in layer.spec.params else (x.shape[-1] if last else x.shape[1])
        return x.with_(shape=(x.shape[0],) + new + (c,) if last else (x.shape[0], c) + new, fw=_out_fw(x))
    return transfer


def _pairs(v, n):
    """Keras padding/cropping arguments: 1 -> ((1, 1),)*n; (1, 2) -> ((1, 1), (2, 2)); ((1, 2), (3, 4)) as is."""
    if S.known_int(v):
        return ((v, v),) * n
    if isinstance(v, tuple) and len(v) == n:
        out = []
        for p in v:
            if S.known_int(p):
                out.append((p, p))
            elif isinstance(p, tuple) and len(p) == 2 and all(S.known_int(q) for q in p):
                out.append(p)
            else:
                return None
        return tuple(out)
    return None


def _padded(sign):
    """ZeroPadding (sign 1) or Cropping (sign -1) of each spatial axis."""
    def fn(layer, size, i):
        pairs = _pairs(layer.facts.get("padding" if sign > 0 else "cropping", 1 if sign > 0 else 0), 2)
        return size + sign * sum(pairs[i]) if pairs is not None else None
    return fn


def _kflatten(layer, x, call):
    return x.with_(shape=flatten_shape(x.shape, 1, -1) if x.rank and x.rank >= 2 else None, fw=_out_fw(x))


def _kreshape(layer, x, call):
    target = layer.facts.get("target_shape")
    if isinstance(target, tuple) and x.rank:
        full = S.reshape(x.shape[1:], target) if all(S.known_int(d) for d in x.shape[1:]) else target
        return x.with_(shape=(x.shape[0],) + tuple(full or target), fw=_out_fw(x))
    return x.with_(shape=None, fw=_out_fw(x))


def _kembedding(layer, x, call):
    d = _units(layer, "output_dim")
    return x.with_(shape=x.shape + (d,) if x.shape is not None else None, dtype="float32", fw=_out_fw(x))


def _krnn(layer, x, call):
    u = _units(layer)
    if x.rank != 3:
        return x.with_(shape=None, fw=_out_fw(x))
    if layer.facts.get("return_sequences") is True:
        return x.with_(shape=(x.shape[0], x.shape[1], u), fw=_out_fw(x))
    return x.with_(shape=(x.shape[0], u), fw=_out_fw(x))


def _kid(layer, x, call):
    return x.with_(fw=_out_fw(x))


def K(params, transfer, **kw):
    return LayerSpec(tuple(params), "keras", transfer, None, float_input=False, **kw)


KERAS_LAYERS = {
    "Dense": K(("units", "activation", "use_bias"), _dense),
    "Conv1D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), _kconv(1)),
    "Conv2D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), _kconv(2)),
    "Conv3D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), _kconv(3)),
    "MaxPooling1D": K(("pool_size", "strides", "padding", "data_format"), _kpool(1)),
    "MaxPooling2D": K(("pool_size", "strides", "padding", "data_format"), _kpool(2)),
    "AveragePooling2D": K(("pool_size", "strides", "padding", "data_format"), _kpool(2)),
    "MaxPool2D": K(("pool_size", "strides", "padding", "data_format"), _kpool(2)),
    "GlobalAveragePooling2D": K(("data_format",), _kpool(2, True)),
    "GlobalMaxPooling2D": K(("data_format",), _kpool(2, True)),
    "GlobalAveragePooling1D": K(("data_format",), _kpool(1, True)),
    "Flatten": K(("data_format",), _kflatten),
    "Reshape": K(("target_shape",), _kreshape),
    "Embedding": K(("input_dim", "output_dim"), _kembedding, int_input=True),
    "LSTM": K(("units", "activation"), _krnn),
    "GRU": K(("units", "activation"), _krnn),
    "SimpleRNN": K(("units", "activation"), _krnn),
    "Dropout": K(("rate",), _kid),
    "Masking": K(("mask_value",), _kid),
    "BatchNormalization": K(("axis",), _kid),
    "LayerNormalization": K(("axis",), _kid),
    "Normalization": K(("axis",), _kid),
    "Rescaling": K(("scale", "offset"), _kid),
    "Activation": K(("activation",), _kid, category="activation"),
    "Softmax": K(("axis",), _kid, activation="softmax"),
    "ReLU": K((), _kid, activation="relu"),
    "InputLayer": K(("input_shape",), _kid),
    "Cropping2D": K(("cropping", "data_format"), _spatial_map(2, _padded(-1))),
}


def _kupsample(n):
    def transfer(layer, x, call):
        size = S.tupled(layer.facts.get("size", 2), n)
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(d * k if S.known_int(d) and S.known_int(k) else None for d, k in zip(sp, size))
        shape = (x.shape[0],) + new + (x.shape[-1],) if last else (x.shape[0], x.shape[1]) + new
        return x.with_(shape=shape, fw=_out_fw(x))
    return transfer


def _kconv_t(n):
    def transfer(layer, x, call):
        f = _units(layer, "filters")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("strides", 1), n)
        pad = layer.facts.get("padding", "valid")
        if x.rank != n + 2 or not _channels_last(layer):
            return x.with_(shape=None, fw=_out_fw(x))
        sp = x.shape[1:1 + n]
        new = []
        for d, kk, ss in zip(sp, k, st):
            if not all(S.known_int(v) for v in (d, kk, ss)):
                new.append(None)
            elif pad == "same":
                new.append(d * ss)
            elif pad == "valid":
                new.append(d * ss + max(kk - ss, 0))
            else:
                new.append(None)
        return x.with_(shape=(x.shape[0],) + tuple(new) + (f,), fw=_out_fw(x))
    return transfer


def _krepeat(layer, x, call):
    n = _units(layer, "n")
    if x.rank != 2:
        return x.with_(shape=None, fw=_out_fw(x))
    return x.with_(shape=(x.shape[0], n, x.shape[1]), fw=_out_fw(x))


def _kbidirectional(layer, x, call):
    inner = layer.facts.get("layer")
    if not isinstance(inner, Layer) or inner.spec is None or inner.spec.transfer is None:
        return x.with_(shape=None, fw=_out_fw(x))
    out = inner.spec.transfer(inner, x, call)
    mode = layer.facts.get("merge_mode", "concat")
    if not isinstance(out, Tensor) or out.shape is None or mode != "concat":
        return out if mode in ("sum", "mul", "ave") else x.with_(shape=None, fw=_out_fw(x))
    last = out.shape[-1]
    return out.with_(shape=out.shape[:-1] + (last * 2 if S.known_int(last) else None,))


def _merge(concat=False):
    """Add/Multiply/... (and Concatenate along `axis`) of a list of tensors."""
    def transfer(layer, xs, call):
        from . import concat_tensors

        parts = [t for t in (xs.items if isinstance(xs, (Seq, MutableList)) else ()) if isinstance(t, Tensor)]
        if not parts:
            return Tensor(shape=None, dtype=None, fw="keras", node=call.node, depth=call.depth)
        if concat:
            axis = layer.facts.get("axis", -1)
            out = concat_tensors(call, parts, axis if S.known_int(axis) else None, len(parts) == len(xs.items))
        else:
            shape = parts[0].shape
            for t in parts[1:]:
                shape = S.broadcast(shape, t.shape)
            out = parts[0].with_(shape=shape)
        return out.with_(fw="keras" if any(t.fw == "keras" for t in parts) else _out_fw(parts[0]))
    return transfer


def _kzero_pad(layer, x, call):
    pad = layer.facts.get("padding", 1)
    if x.rank != 4 or not _channels_last(layer):
        return x.with_(shape=None, fw=_out_fw(x))
    if S.known_int(pad):
        pads = ((pad, pad), (pad, pad))
    elif isinstance(pad, tuple) and len(pad) == 2 and all(S.known_int(p) for p in pad):
        pads = ((pad[0], pad[0]), (pad[1], pad[1]))
    elif isinstance(pad, tuple) and len(pad) == 2 and all(isinstance(p, tuple) and len(p) == 2 for p in pad):
        pads = pad
    else:
        return x.with_(shape=(x.shape[0], None, None, x.shape[3]), fw=_out_fw(x))
    new = tuple(d + a + b if S.known_int(d) and S.known_int(a) and S.known_int(b) else None
                for d, (a, b) in zip(x.shape[1:3], pads))
    return x.with_(shape=(x.shape[0],) + new + (x.shape[3],), fw=_out_fw(x))


def _kpermute(layer, x, call):
    dims = layer.facts.get("dims")
    if x.rank is None or not isinstance(dims, tuple) or len(dims) != x.rank - 1 or not all(S.known_int(d) for d in dims):
        return x.with_(shape=None, fw=_out_fw(x))
    return x.with_(shape=(x.shape[0],) + tuple(x.shape[d] for d in dims), fw=_out_fw(x))


CONV_PARAMS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation")
POOL_PARAMS = ("pool_size", "strides", "padding", "data_format")
KERAS_LAYERS.update({
    "Conv2DTranspose": K(("filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "activation"), _kconv_t(2)),
    "SeparableConv2D": K(CONV_PARAMS[:6] + ("depth_multiplier", "activation"), _kconv(2)),
    "AveragePooling1D": K(POOL_PARAMS, _kpool(1)),
    "MaxPooling3D": K(POOL_PARAMS, _kpool(3)),
    "AveragePooling3D": K(POOL_PARAMS, _kpool(3)),
    "GlobalMaxPooling1D": K(("data_format",), _kpool(1, True)),
    "GlobalAveragePooling3D": K(("data_format",), _kpool(3, True)),
    "GlobalMaxPooling3D": K(("data_format",), _kpool(3, True)),
    "UpSampling1D": K(("size",), _kupsample(1)),
    "UpSampling2D": K(("size", "data_format", "interpolation"), _kupsample(2)),
    "UpSampling3D": K(("size", "data_format"), _kupsample(3)),
    "ZeroPadding2D": K(("padding", "data_format"), _kzero_pad),
    "RepeatVector": K(("n",), _krepeat),
    "Permute": K(("dims",), _kpermute),
    "Bidirectional": K(("layer", "merge_mode"), _kbidirectional),
    "LeakyReLU": K(("negative_slope",), _kid, activation="leaky_relu", category="activation"),
    "PReLU": K((), _kid, activation="prelu"),
    "ELU": K(("alpha",), _kid, activation="elu", category="activation"),
    "ThresholdedReLU": K(("theta",), _kid, activation="relu", category="activation"),
    "SpatialDropout1D": K(("rate",), _kid),
    "SpatialDropout2D": K(("rate",), _kid),
    "GaussianNoise": K(("stddev",), _kid),
    "GaussianDropout": K(("rate",), _kid),
    "AlphaDropout": K(("rate",), _kid),
    "ActivityRegularization": K(("l1", "l2"), _kid),
    "Masking": K(("mask_value",), _kid),
    "Lambda": K(("function",), None),
    "Add": K((), _merge(), category="merge"),
    "Subtract": K((), _merge(), category="merge"),
    "Multiply": K((), _merge(), category="merge"),
    "Average": K((), _merge(), category="merge"),
    "Maximum": K((), _merge(), category="merge"),
    "Minimum": K((), _merge(), category="merge"),
    "Concatenate": K(("axis",), _merge(concat=True), category="merge"),
})
for _name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
              "BatchNormalization", "LayerNormalization", "Masking", "ActivityRegularization"):
    KERAS_LAYERS[_name].category = "activation"  # what comes out is what came in, activation included
for _name, _spec in KERAS_LAYERS.items():
    LAYERS["keras.layers." + _name] = _spec


def _merge_function(name):
    """`keras.layers.add([a, b])`, `concatenate([a, b], axis=1)`: build the layer and apply it."""
    def fn(call):
        from . import call_layer
        from ..api import CallInfo

        spec = LAYERS["keras.layers." + name]
        kwargs = {k: v for k, v in call.kwargs.items() if k not in ("inputs",)}
        layer = spec.construct(CallInfo(call.interp, call.node, call.frame, list(call.args[1:]), kwargs,
                                        list(call.arg_nodes[1:]), call.kwarg_nodes), "keras.layers." + name)
        inputs = call.arg(0, "inputs", UNKNOWN)
        return call_layer(CallInfo(call.interp, call.node, call.frame, [inputs], {}, [call.arg_node(0, "inputs")], {}), layer)
    return fn


for _name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"):
    CALLS["keras.layers." + _name.lower()] = _merge_function(_name)


# -- Keras 1/2 spellings: legacy module paths, renamed layers and arguments (table data) ---------

LEGACY_LAYER_MODULES = (
    "core", "convolutional", "recurrent", "pooling", "normalization", "embeddings", "merge", "advanced_activations",
    "noise", "wrappers", "local", "convolutional_recurrent", "cudnn_recurrent", "dense_attention", "attention",
    "reshaping", "activation", "activations", "regularization", "rnn", "preprocessing", "merging", "serialization",
)
LEGACY_MODULES = {
    "keras.utils.np_utils": "keras.utils", "keras.utils.data_utils": "keras.utils",
    "keras.engine.training": "keras.models", "keras.engine.sequential": "keras.models",
    "keras.engine.topology": "keras.layers", "keras.engine.input_layer": "keras.layers",
    "keras.engine.functional": "keras.models", "keras.optimizers.legacy": "keras.optimizers",
    "keras.optimizer_v2.adam": "keras.optimizers", "keras.optimizer_v2.gradient_descent": "keras.optimizers",
    "keras.optimizers.optimizer_v2.adam": "keras.optimizers",
}
LEGACY_NAMES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Deconvolution2D": "Conv2DTranspose", "Deconv2D": "Conv2DTranspose", "Conv2DTranspose": "Conv2DTranspose",
    "MaxPool1D": "MaxPooling1D", "MaxPool3D": "MaxPooling3D", "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D", "CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU",
}
# Keras 1 argument names -> Keras 2/3 names; `output_dim` is `units` except on Embedding
LEGACY_KWARGS = {
    "output_dim": "units", "nb_filter": "filters", "border_mode": "padding", "subsample": "strides",
    "subsample_length": "strides", "filter_length": "kernel_size", "pool_length": "pool_size", "stride": "strides",
    "dim_ordering": "data_format", "init": "kernel_initializer", "p": "rate", "atrous_rate": "dilation_rate",
    "input_length": "input_length",
}
LEGACY_VALUES = {"data_format": {"th": "channels_first", "tf": "channels_last"}}
# Keras 1 positional forms: Convolution2D(nb_filter, nb_row, nb_col, ...)
LEGACY_POSITIONAL = {
    "Convolution1D": ("Conv1D", ("filters", "filter_length")),
    "Convolution2D": ("Conv2D", ("filters", "nb_row", "nb_col")),
    "Convolution3D": ("Conv3D", ("filters", "kernel_dim1", "kernel_dim2", "kernel_dim3")),
    "Deconvolution2D": ("Conv2DTranspose", ("filters", "nb_row", "nb_col")),
}
KERNEL_PARTS = {"nb_row": 0, "nb_col": 1, "kernel_dim1": 0, "kernel_dim2": 1, "kernel_dim3": 2}


def _legacy_facts(keep_output_dim=False):
    def normalize(facts):
        out = {}
        for k, v in facts.items():
            if k == "output_dim" and keep_output_dim:
                out[k] = v
                continue
            key = LEGACY_KWARGS.get(k, k)
            if key not in out or k == key:
                out[key] = LEGACY_VALUES.get(key, {}).get(v, v) if isinstance(v, str) else v
        parts = sorted((KERNEL_PARTS[k], v) for k, v in facts.items() if k in KERNEL_PARTS)
        if parts and "kernel_size" not in facts:
            out["kernel_size"] = tuple(v for _, v in parts)
        return out
    return normalize


for _name, _spec in KERAS_LAYERS.items():
    _spec.normalize = _legacy_facts(keep_output_dim=_name == "Embedding")
for _old, (_new, _params) in LEGACY_POSITIONAL.items():
    _base = KERAS_LAYERS[_new]
    LAYERS["keras.layers." + _old] = LayerSpec(_params + _base.params[2:], "keras", _base.transfer, None, float_input=False,
                                               normalize=_base.normalize)
register_aliases(
    {"keras.layers." + old: "keras.layers." + new for old, new in LEGACY_NAMES.items() if old not in LEGACY_POSITIONAL},
    {**{"keras.layers." + m: "keras.layers" for m in LEGACY_LAYER_MODULES}, **LEGACY_MODULES},
)


def declared_input_shape(layer) -> tuple | None:
    """`input_shape=(5,)`, `input_dim=5`, `InputLayer(shape=...)` on a Keras layer."""
    if not isinstance(layer, Layer):
        return None
    f = layer.facts
    for key in ("input_shape", "shape"):
        v = f.get(key)
        if isinstance(v, tuple):
            return v
        if S.known_int(v):
            return (v,)
    bis = f.get("batch_input_shape") or f.get("batch_shape")
    if isinstance(bis, tuple) and bis:
        return bis[1:]
    d = f.get("input_dim")
    if S.known_int(d) and layer.short in ("Dense",):
        return (d,)
    if S.known_int(d) and layer.short not in ("Embedding",):
        return (d,)
    return None


def _sequential(call):
    layers = call.arg(0, "layers")
    items = list(layers.items) if isinstance(layers, (Seq, MutableList)) else []
    if isinstance(layers, MutableList) and not layers.exact:
        items = [UNKNOWN] + known_tail(layers)  # grown in a loop: only its last layers are known
    model = Container("keras.Sequential", [], "keras", call.node)
    for layer in items:
        _add(model, layer)
    _built(call, model)
    return model


def _built(call, model: Container) -> None:
    interp = call.interp
    if model.input_shape is not None and model.layers and interp.wants("model"):
        from ..events import ModelBuilt

        interp.emit("model", ModelBuilt(model, call.node))


def _add(model: Container, layer):
    if isinstance(layer, Tensor) and layer.fw == "keras" and not model.layers and model.input_shape is None:
        model.input_shape = tuple(layer.shape[1:]) if layer.shape else None  # keras.Input(...) as the first item
        return
    if not model.layers and model.input_shape is None:
        model.input_shape = declared_input_shape(layer)
    model.layers.append(layer)


def _model(call):
    inputs = call.arg(0, "inputs")
    outputs = call.arg(1, "outputs")
    ins = tuple(inputs.items) if isinstance(inputs, (Seq, MutableList)) else (inputs,) if inputs is not None else ()
    m = Container("keras.Model", [], "keras", call.node, inputs=ins, outputs=outputs)
    if len(ins) == 1 and isinstance(ins[0], Tensor) and ins[0].shape is not None:
        m.input_shape = tuple(ins[0].shape[1:])
    return m


CALLS.update({"keras.Sequential": _sequential, "keras.Model": _model})


def keras_model_call(call, model: Container):
    x = call.args[0]
    interp = call.interp
    if interp.wants("fit"):
        from ..events import FitCall

        interp.emit("fit", FitCall(model, "__call__", x, None, call.node, call.site(x), None))
    return keras_forward(call, model, x)


def keras_forward(call, model, x):
    from . import apply_any

    if isinstance(model, Container) and model.kind == "keras.Model":
        out = model.outputs
        if isinstance(out, Tensor):
            batch = x.dim(0) if isinstance(x, Tensor) and x.rank else None
            shape = (batch,) + tuple(out.shape[1:]) if out.shape and ANY not in out.shape[:1] else None
            return out.with_(shape=shape, fw="tf", node=call.node, depth=call.depth, name=None, origin=call.node,
                             models=out.models | {id(model)}, requires_grad=True,
                             tapes=call.interp.tapes)
        return UNKNOWN
    if not isinstance(x, Tensor):
        # an input not known: the layers still say what comes out (units, activation, rank)
        x = Tensor(shape=None, dtype=None, fw="tf", node=call.node, depth=call.depth)
    v = x.with_(fw="tf") if x.fw == "np" else x
    for layer in getattr(model, "layers", []):
        v = apply_any(call, layer, v)
        if not isinstance(v, Tensor):
            # a layer not modeled: what it makes is not known, the layers after it still apply
            v = Tensor(shape=None, dtype=None, fw="tf", node=call.node, depth=call.depth)
    return v.with_(fw="tf", node=call.node, depth=call.depth, name=None, normalized=True, labels=False, origin=call.node,
                   models=v.models | {id(model)}, tapes=call.interp.tapes)


def _model_add(call, model):
    layer = call.arg(0, "layer")
    if isinstance(model, Container) and model.fw == "keras":
        _add(model, layer if layer is not None else UNKNOWN)
        _built(call, model)
    return Const(None)


def _compile(call, model):
    loss = call.arg(1, "loss")
    interp = call.interp
    if isinstance(model, (Container, Instance)):
        if isinstance(model, Container):
            model.loss = loss
            model.compile_node = call.node
        else:
            model.attrs["__loss__"] = loss if loss is not None else UNKNOWN
    if isinstance(loss, Func):
        interp.use_as_loss(loss.node, "keras")
    if isinstance(loss, Instance) and loss.cls.kind == "keras.loss":
        call_m = loss.cls.lookup("call")
        if isinstance(call_m, Func):
            interp.use_as_loss(call_m.node, "keras")
    if interp.wants("compile"):
        from ..events import CompileCall

        interp.emit("compile", CompileCall(model, loss, call.arg_node(1, "loss"), call.node))
    return Const(None)


def _fit(method):
    def fn(call, model):
        x = call.arg(0, "x")
        y = call.arg(1, "y") if method not in ("predict", "predict_on_batch") else None
        interp = call.interp
        if isinstance(x, Seq) and x.kind == "tuple" and y is None and method != "predict" and len(x.items) == 2:
            x, y = x.items
        elif isinstance(x, Dataset) and x.batched and y is None and method != "predict" and len(x.tensors) == 2:
            x, y = _dataset_batch(call, x)  # a batched tf.data pipeline of (features, labels)
        if interp.wants("fit") and x is not None:
            from ..events import FitCall

            interp.emit("fit", FitCall(model, method, x, y, call.node, call.site(x),
                                       call.site(y) if y is not None else None))
        if method in ("predict", "predict_on_batch") and x is not None:
            out = keras_forward(call, model, x)
            return out.with_(fw="np") if isinstance(out, Tensor) else out
        return UNKNOWN
    return fn


for _m in ("fit", "evaluate", "train_on_batch", "test_on_batch", "predict", "predict_on_batch"):
    OBJECT_METHODS[("*model", _m)] = _fit(_m)
OBJECT_METHODS[("*model", "compile")] = _compile
OBJECT_METHODS[("*model", "add")] = _model_add
OBJECT_METHODS[("*model", "summary")] = lambda call, m: Const(None)


# -- losses -------------------------------------------------------------------------------

def _kloss_call(call, loss):
    interp = call.interp
    args = [call.arg(0, "y_true", UNKNOWN), call.arg(1, "y_pred", UNKNOWN)]
    if interp.wants("loss_call"):
        from ..events import LossCall

        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "keras"))
    tensors = [a for a in args if isinstance(a, Tensor)]
    depth = min([a.depth for a in tensors], default=call.depth)
    from . import grad_of

    return Tensor(shape=(), dtype="float32", fw="tf", node=call.node, depth=min(depth, call.depth),
                  labels=any(a.labels for a in tensors), requires_grad=grad_of(*args),
                  origin=call.node, models=frozenset().union(*(a.models for a in tensors)) if tensors else frozenset(),
                  tapes=recorded(interp, *tensors))


def KL(kind, fn=False):
    return LossSpec("keras", kind, None, kind == "regression", _kloss_call, ("from_logits", "label_smoothing"), is_function=fn)


KERAS_LOSSES = {
    "CategoricalCrossentropy": "categorical", "SparseCategoricalCrossentropy": "sparse_categorical",
    "BinaryCrossentropy": "binary", "MeanSquaredError": "regression", "MeanAbsoluteError": "regression",
    "Huber": "regression", "CategoricalFocalCrossentropy": "categorical", "BinaryFocalCrossentropy": "binary",
    "KLDivergence": "kl",
}
KERAS_LOSS_FUNCTIONS = {
    "categorical_crossentropy": "categorical", "sparse_categorical_crossentropy": "sparse_categorical",
    "binary_crossentropy": "binary", "mean_squared_error": "regression", "mse": "regression",
    "mean_absolute_error": "regression", "mae": "regression", "huber": "regression",
}
for _name, _kind in KERAS_LOSSES.items():
    LOSSES["keras.losses." + _name] = KL(_kind)
for _name, _kind in KERAS_LOSS_FUNCTIONS.items():
    LOSSES["keras.losses." + _name] = KL(_kind, fn=True)
    LOSSES["keras.metrics." + _name] = KL(_kind, fn=True)
    LOSSES["keras.backend." + _name] = KL(_kind, fn=True)


def loss_kind(loss) -> tuple[str | None, bool | None]:
    """(kind, from_logits) of a Keras loss given as a string, a loss object or a loss function."""
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return KERAS_LOSS_FUNCTIONS.get(loss.value), False
    if isinstance(loss, Loss):
        spec = LOSSES.get(loss.kind)
        fl = loss.facts.get("from_logits", False)
        return (spec.kind if spec else None), (fl if isinstance(fl, bool) else None)
    from ..values import Ref

    if isinstance(loss, Ref) and loss.qualname in LOSSES:
        return LOSSES[loss.qualname].kind, False
    return None, None


# -- datasets -----------------------------------------------------------------------------

DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
}


def _load_data(shapes):
    def fn(call):
        xs, ys, xt, yt = shapes
        mk = lambda s, labels: make(call, s, "uint8", "np", labels=labels, magnitude=(None, 255.0) if not labels else None)
        return Seq("tuple", (Seq("tuple", (mk(xs, False), mk(ys, True))), Seq("tuple", (mk(xt, False), mk(yt, True)))))
    return fn


for _name, _shapes in DATASETS.items():
    CALLS[f"keras.datasets.{_name}.load_data"] = _load_data(_shapes)


def _tape(call):
    from ..values import Context

    return Context("tape", call.node, persistent=call.const(0, "persistent", False) is True)


def _tape_gradient(call, tape):
    interp = call.interp
    target = call.arg(0, "target")
    sources = call.arg(1, "sources")
    if interp.wants("tape_gradient"):
        from ..events import TapeGradient

        interp.emit("tape_gradient", TapeGradient(tape, target, sources, call.node))
    return UNKNOWN


def _tape_watch(call, tape):
    tape.__dict__.setdefault("watched", []).extend(call.args)
    return Const(None)


def _keras_optimizer(qual):
    def fn(call):
        return Optimizer(qual, UNKNOWN, call.node)
    return fn


CALLS["tensorflow.GradientTape"] = _tape
OBJECT_METHODS[("Context", "gradient")] = _tape_gradient
OBJECT_METHODS[("Context", "watch")] = _tape_watch
for _name in ("Adam", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "AdamW", "Ftrl", "Lion"):
    CALLS["keras.optimizers." + _name] = _keras_optimizer("keras.optimizers." + _name)


# -- TensorFlow 1 style graph code and the tf.nn / tf.math functions rules look at ---------------

register_aliases({
    "tensorflow.truncated_normal": "tensorflow.random.truncated_normal",
    "tensorflow.nn.softmax_cross_entropy_with_logits_v2": "tensorflow.nn.softmax_cross_entropy_with_logits",
    "tensorflow.math.softmax": "tensorflow.nn.softmax",
    "tensorflow.math.log_softmax": "tensorflow.nn.log_softmax",
    "tensorflow.math.sigmoid": "tensorflow.sigmoid",
    "tensorflow.nn.sigmoid": "tensorflow.sigmoid",
    "tensorflow.linalg.matmul": "tensorflow.matmul",
})


def _tf_unary(activation=None, method=None):
    """Elementwise tf functions: same shape; `activation` names what the result is (None: not
    an output activation any more); `method` is the tensor method rules see it as."""
    def fn(call):
        x = call.arg(0, "x")
        if x is None:
            x = call.arg(0, "logits")
        if not isinstance(x, Tensor):
            # a softmax/sigmoid of something unknown is still a tensor of probabilities
            return _tf(call, None, None, activation=activation) if activation in ("softmax", "sigmoid", "log_softmax") else UNKNOWN
        interp = call.interp
        if method is not None and interp.wants("method_call"):
            from ..events import MethodCall

            interp.emit("method_call", MethodCall(x, method, list(call.args[1:]), call.kwargs, call.node))
        return derive(x, call, param=False, onehot=False, activation=activation)
    return fn


def _tf_matmul(call):
    """tf.matmul(a, b): TF never promotes dtypes; rules check the operands (`matmul` event)."""
    a, b = call.arg(0, "a"), call.arg(1, "b")
    if any(k in call.kwargs for k in ("transpose_a", "transpose_b", "adjoint_a", "adjoint_b")):
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            from . import emit_matmul

            emit_matmul(call.interp, a, b, call.node, "tf.matmul", call.kwargs)
        return derive(a, call, shape=None, param=False, onehot=False, activation=None) if isinstance(a, Tensor) else UNKNOWN
    return _matmul(call)  # the `matmul` event comes with the product


def _tf_loss_event(call, qualname, labels, output, from_logits):
    """Tell the rules about a TensorFlow loss function called on (labels, output)."""
    args = [labels if labels is not None else UNKNOWN, output if output is not None else UNKNOWN]
    interp = call.interp
    if interp.wants("loss_call"):
        from ..events import LossCall

        loss = Loss(qualname, {"from_logits": from_logits}, "keras", call.node)
        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "keras"))
    return args


def _tf_nn_loss(qualname):
    """tf.nn.*_cross_entropy_with_logits(labels=..., logits=...): a per-example loss."""
    def fn(call):
        labels, logits = call.arg(None, "labels"), call.arg(None, "logits")
        if labels is None and logits is None and len(call.args) == 2:
            labels, logits = call.args  # TF2 allows them positionally
        args = _tf_loss_event(call, qualname, labels, logits, True)
        interp = call.interp
        ts = [a for a in args if isinstance(a, Tensor)]
        if not isinstance(logits, Tensor):
            return UNKNOWN
        from . import grad_of

        shape = logits.shape[:-1] if logits.shape and ANY not in logits.shape[:1] and qualname.endswith("softmax_cross_entropy_with_logits") else logits.shape
        return derive(logits, call, shape=shape, param=False, onehot=False, activation=None, requires_grad=grad_of(*args),
                      labels=any(t.labels for t in ts), tapes=recorded(interp, *ts))
    return fn


for _q, _kind in (("tensorflow.nn.softmax_cross_entropy_with_logits", "categorical"),
                  ("tensorflow.nn.sparse_softmax_cross_entropy_with_logits", "sparse_categorical"),
                  ("tensorflow.nn.sigmoid_cross_entropy_with_logits", "binary")):
    LOSSES[_q] = LossSpec("keras", _kind, True, False, None, ("labels", "logits"), is_function=True)
    CALLS[_q] = _tf_nn_loss(_q)

CALLS.update({
    "tensorflow.nn.softmax": _tf_unary("softmax", "softmax"), "keras.activations.softmax": _tf_unary("softmax", "softmax"),
    "tensorflow.nn.log_softmax": _tf_unary("log_softmax"), "tensorflow.sigmoid": _tf_unary("sigmoid"),
    "keras.activations.sigmoid": _tf_unary("sigmoid"), "tensorflow.nn.relu": _tf_unary("relu"),
    "tensorflow.math.log": _tf_unary(None, "log"), "tensorflow.math.exp": _tf_unary(), "tensorflow.exp": _tf_unary(),
    "tensorflow.square": _tf_unary(), "tensorflow.math.square": _tf_unary(), "tensorflow.abs": _tf_unary(),
    "tensorflow.matmul": _tf_matmul,
})


def _announce_cut():
    """`tf.stop_gradient(x)` is seen by rules as the method call `x.stop_gradient()`."""
    from .torch import emitting

    for q in ("tensorflow.stop_gradient",):
        CALLS[q] = emitting("stop_gradient", CALLS[q])


_announce_cut()



# -- tf.data pipelines of (features, labels) ----------------------------------------------------

def _from_tensor_slices(call):
    data = call.arg(0, "tensors")
    if isinstance(data, Seq) and data.kind == "tuple" and len(data.items) == 2 and all(isinstance(t, Tensor) for t in data.items):
        return Dataset(tuple(t.with_(labels=t.labels or i == 1) for i, t in enumerate(data.items)), False, call.node)
    return UNKNOWN


def _dataset_batch(call, ds):
    from . import iterate

    batch = iterate(call.interp, ds)
    if not isinstance(batch, Seq) or len(batch.items) != 2:
        return UNKNOWN, UNKNOWN
    return tuple(b.with_(name=t.name) if isinstance(b, Tensor) and isinstance(t, Tensor) else b for b, t in zip(batch.items, ds.tensors))


CALLS["tensorflow.data.Dataset.from_tensor_slices"] = _from_tensor_slices
OBJECT_METHODS[("Dataset", "batch")] = lambda call, ds: Dataset(ds.tensors, True, call.node)
for _m in ("shuffle", "prefetch", "repeat", "cache"):  # order and timing only: the elements stay what they are
    OBJECT_METHODS[("Dataset", _m)] = lambda call, ds: Dataset(ds.tensors, ds.batched, call.node)
# -- tf.nn convolution, pooling and lookups; tf.losses ------------------------------------------

def _spatial_args(v, n):
    """`strides=[1, 2, 2, 1]` / `ksize=2` / `(2, 2)` of tf.nn ops as the n spatial values (NHWC)."""
    from . import _plain

    p = _plain(v) if v is not None else None
    if S.known_int(p):
        return (p,) * n
    if isinstance(p, tuple) and len(p) == n + 2:
        return tuple(p[1:1 + n])
    if isinstance(p, tuple) and len(p) == n:
        return p
    return (None,) * n


def _tf_conv(n):
    def fn(call):
        x, w = call.arg(0, "input"), call.arg(1, "filters")
        if w is None:
            w = call.arg(None, "filter")
        if not isinstance(x, Tensor):
            return UNKNOWN
        st = _spatial_args(call.arg(2, "strides"), n)
        pad = call.const(3, "padding")
        fmt = call.const(4, "data_format")
        if x.rank != n + 2 or (isinstance(fmt, str) and fmt.startswith("NC")) or fmt is not None and not isinstance(fmt, str):
            return derive(x, call, shape=None, param=False, activation=None)
        k = tuple(w.shape[:n]) if isinstance(w, Tensor) and w.rank == n + 2 else (None,) * n
        out_c = w.dim(-1) if isinstance(w, Tensor) else None
        pad = pad.lower() if isinstance(pad, str) else None
        sp = tuple(S.conv_out(d, kk, ss, pad) if pad in ("same", "valid") else None for d, kk, ss in zip(x.shape[1:1 + n], k, st))
        return derive(x, call, shape=(x.shape[0],) + sp + (out_c,), param=False, activation=None,
                      requires_grad=grad_of(x, w), models=grad_models(x, w))
    return fn


def _tf_pool(n):
    def fn(call):
        x = call.arg(0, "input")
        if x is None:
            x = call.arg(None, "value")
        if not isinstance(x, Tensor):
            return UNKNOWN
        k = _spatial_args(call.arg(1, "ksize"), n)
        st = _spatial_args(call.arg(2, "strides"), n)
        pad = call.const(3, "padding")
        pad = pad.lower() if isinstance(pad, str) else None
        if x.rank != n + 2 or pad not in ("same", "valid"):
            return derive(x, call, shape=None, param=False)
        sp = tuple(S.conv_out(d, kk, ss, pad) for d, kk, ss in zip(x.shape[1:1 + n], k, st))
        return derive(x, call, shape=(x.shape[0],) + sp + (x.shape[-1],), param=False)
    return fn


def _embedding_lookup(call):
    params, ids = call.arg(0, "params"), call.arg(1, "ids")
    if not isinstance(params, Tensor):
        return UNKNOWN
    lead = tuple(ids.shape) if isinstance(ids, Tensor) and ids.shape is not None else (ANY,)
    rest = tuple(params.shape[1:]) if params.shape is not None and ANY not in params.shape[:1] else None
    shape = lead + rest if rest is not None and ANY not in lead else ((ANY,) + rest if rest is not None else None)
    return derive(params, call, shape=shape, param=False, fw="tf", activation=None, onehot=False)


def _tf1_loss(kind, labels_key, logits_key, logits=True):
    """tf.losses.softmax_cross_entropy(onehot_labels, logits) and the other TF1 losses: a
    scalar (mean over the batch) computed from the labels and the logits or predictions."""
    qual = "tensorflow.losses." + kind

    def fn(call):
        args = _tf_loss_event(call, qual, call.arg(0, labels_key), call.arg(1, logits_key), logits)
        interp = call.interp
        ts = [a for a in args if isinstance(a, Tensor)]
        return Tensor(shape=(), dtype="float32", fw="tf", node=call.node, depth=call.depth, origin=call.node,
                      labels=any(t.labels for t in ts), requires_grad=grad_of(*args), models=grad_models(*ts),
                      tapes=recorded(interp, *ts))
    return fn


TF1_LOSSES = {
    "softmax_cross_entropy": ("categorical", "onehot_labels", "logits", True),
    "sparse_softmax_cross_entropy": ("sparse_categorical", "labels", "logits", True),
    "sigmoid_cross_entropy": ("binary", "multi_class_labels", "logits", True),
    "log_loss": ("binary", "labels", "predictions", False),
    "mean_squared_error": ("regression", "labels", "predictions", None),
    "absolute_difference": ("regression", "labels", "predictions", None),
    "huber_loss": ("regression", "labels", "predictions", None),
}
for _name, (_kind, _lk, _ok, _logits) in TF1_LOSSES.items():
    _q = "tensorflow.losses." + _name
    LOSSES[_q] = LossSpec("keras", _kind, _logits, _kind == "regression", None, (_lk, _ok), is_function=True)
    CALLS[_q] = _tf1_loss(_name, _lk, _ok, _logits)
# TF2's tf.losses is Keras's: the classes and the functions of keras.losses
register_aliases({"tensorflow.losses." + n: "keras.losses." + n for n in (*KERAS_LOSSES, *KERAS_LOSS_FUNCTIONS)
                  if "tensorflow.losses." + n not in LOSSES})

CALLS.update({
    "tensorflow.nn.conv1d": _tf_conv(1), "tensorflow.nn.conv2d": _tf_conv(2), "tensorflow.nn.conv3d": _tf_conv(3),
    "tensorflow.nn.max_pool": _tf_pool(2), "tensorflow.nn.max_pool2d": _tf_pool(2), "tensorflow.nn.avg_pool": _tf_pool(2),
    "tensorflow.nn.avg_pool2d": _tf_pool(2), "tensorflow.nn.max_pool1d": _tf_pool(1), "tensorflow.nn.avg_pool1d": _tf_pool(1),
    "tensorflow.nn.embedding_lookup": _embedding_lookup,
    "tensorflow.nn.dropout": _same, "tensorflow.nn.bias_add": _same, "tensorflow.nn.tanh": _tf_unary(),
    "tensorflow.tanh": _tf_unary(), "tensorflow.nn.elu": _tf_unary("elu"), "tensorflow.nn.leaky_relu": _tf_unary(),
})
