"""TensorFlow tensors: dtypes, factories, casts, reshapes, reductions, `keras.Input`."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, MutableList, Seq, Tensor, is_int_dtype
from ..registry import CALLS, DTYPES, register_aliases
from ..ops import emit_reduce, reduce_shape
from ..common import (
    TextSearch, derive, emit_class_ids, dtype_arg, dtype_given, dtype_of, grad_models, grad_of, literal_data, literal_span, make, normal_span, shape_value, uniform_span,
)
from .. import shapes as S



# whether a file changes Keras' float type (`keras.backend.set_floatx("float64")`: the dtype of its
# inputs and weights) or its precision policy too (`mixed_float16`: the dtype layers compute in)
floatx_changed = TextSearch(r"set_floatx\s*\(\s*(?![\"']float32[\"']\s*\))")
policy_changed = TextSearch(r"set_floatx\s*\(\s*(?![\"']float32[\"']\s*\))|mixed_precision|set_global_policy|set_dtype_policy")


def keras_float(call, computed: bool = False) -> str | None:
    """Keras' float dtype where `call` runs: float32, None where the file changes the float type
    (`computed`: or the precision policy, for what a layer computes)."""
    changed = policy_changed if computed else floatx_changed
    return None if changed(getattr(call.interp, "text", None) or "") else "float32"


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


def tf_tensor(call, shape, dtype, **kw) -> Tensor:
    return make(call, shape, dtype, "tf", **kw)


def _random(default="float32", mag_key=None, normal=None):
    def fn(call):
        shape = shape_value(call.arg(0, "shape", UNKNOWN))
        d = dtype_arg(call, None, default, "tf")
        span = normal_span(shape, normal) if normal else None
        return tf_tensor(call, shape, d, requires_grad=False, span=span)  # fresh data: no variable behind it
    return fn


def _uniform(call):
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    d = dtype_arg(call, 3, "float32", "tf")
    if is_int_dtype(d):
        return tf_tensor(call, shape, d, requires_grad=False)
    # floats from [minval, maxval): [0, 1) unless given
    low = call.const(1, "minval") if call.arg(1, "minval") is not None else 0.0
    high = call.const(2, "maxval") if call.arg(2, "maxval") is not None else 1.0
    known = all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (low, high)) and high > low
    source = f"tf.random.uniform({low:g}, {high:g})" if known else "tf.random.uniform"
    return tf_tensor(call, shape, d, requires_grad=False, span=uniform_span(low, high, shape, source) if known else None,
                     draws=(float(low), float(high), source) if known else None)


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
    return tf_tensor(call, shape, d, nan=nan, magnitude=mag, requires_grad=False, span=literal_span(data))


def _convert(call):
    data = call.arg(0, "value", UNKNOWN)
    if isinstance(data, Tensor):
        return derive(data, call, fw="tf", dtype=dtype_arg(call, 1, data.dtype, "tf"))
    return _constant(call)


def _filled(call):
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    d = dtype_arg(call, 1, "float32", "tf")
    return tf_tensor(call, shape, d, requires_grad=False)


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


def _argmax(call):
    """tf.argmax(input, axis) / tf.argmin: the axis is reduced away; int64 (or `output_type`), no
    gradient. Without an axis the default differs (tf: 0, keras.backend: -1): the shape is unknown."""
    x = call.arg(0, "input")
    if not isinstance(x, Tensor):
        return UNKNOWN
    axis = call.const(1, "axis", None)
    if axis is None:
        axis = call.const(None, "dimension", None)
    shape = reduce_shape(x.shape, axis, False) if isinstance(axis, int) and not isinstance(axis, bool) else None
    dtype = dtype_arg(call, None, "int64", "tf", name="output_type")
    return derive(x, call, shape=shape, dtype=dtype, requires_grad=False, param=False, onehot=False, activation=None,
                  magnitude=None, scale=None)


def _reshape(call):
    x = call.arg(0, "tensor")
    target = shape_value(call.arg(1, "shape", UNKNOWN))
    if not isinstance(x, Tensor):
        return _reshaped_unknown(call, x, target)
    interp = call.interp
    if interp.wants("reshape"):
        from ...events import MethodCall

        interp.emit("reshape", MethodCall(x, "reshape", call.args[1:], call.kwargs, call.node))
    return derive(x, call, shape=S.reshape(x.shape, target) if target is not None else None)


def _reshaped_unknown(call, x, target):
    """tf.reshape of a value the analysis does not know (a parameter, a call outside the file):
    whatever it held, the result is a tensor of the target's rank, with the target's literal
    sizes (a `-1` left unknown). A target that is not a list of sizes, or that no tensor can
    take (two `-1`, another negative size), leaves it unknown; so does a value known to be
    something other than data (a number, a string, None)."""
    if target is None or type(x) is not type(UNKNOWN):
        return UNKNOWN
    if sum(d == -1 for d in target) > 1 or any(d is not None and d < -1 for d in target):
        return UNKNOWN
    return tf_tensor(call, tuple(None if d == -1 else d for d in target), None)


def _one_hot(call):
    x = call.arg(0, "indices")
    depth = call.const(1, "depth")
    emit_class_ids(call, "tensorflow.one_hot", x, depth)
    d = dtype_arg(call, None, "float32", "tf")
    if isinstance(x, Tensor):
        shape = x.shape + (depth if S.known_int(depth) else None,) if x.shape is not None else _classes_last(depth)
        return derive(x, call, shape=shape, dtype=d, onehot=True)
    if isinstance(x, (Seq, MutableList)):
        shape, _, _, _ = literal_data(x)
        shape = shape + (depth if S.known_int(depth) else None,) if shape is not None else _classes_last(depth)
        return tf_tensor(call, shape, d, onehot=True)
    return tf_tensor(call, _classes_last(depth), d, onehot=True)


def _classes_last(n):
    """The shape of a one-hot encoding of labels whose shape is not known: whatever the labels'
    rank, the encoding ends in an axis of one entry per class."""
    return (ANY, n) if S.known_int(n) and n > 0 else None


def _to_categorical(call):
    y = call.arg(0, "x")
    n = call.const(1, "num_classes")
    emit_class_ids(call, "keras.utils.to_categorical", y, n)
    if isinstance(y, Tensor):
        base = y.shape
        if base is not None and ANY not in base[:1] and len(base) >= 2 and base[-1] == 1:
            base = base[:-1]
        shape = base + (n if S.known_int(n) else None,) if base is not None else _classes_last(n)
        return derive(y, call, shape=shape, dtype="float32" if y.fw != "np" else "float64", onehot=True, fw=y.fw)
    return make(call, _classes_last(n), "float64", "np", onehot=True)


def _reduce(dtype=None, op=""):
    def fn(call):
        x = call.arg(0, "input_tensor")
        if not isinstance(x, Tensor):
            return UNKNOWN
        axis = call.arg(1, "axis")
        if axis is None:  # TF1 spellings
            axis = call.kwargs.get("reduction_indices")
        keep = call.const(2, "keepdims", False) or bool(call.kwargs.get("keep_dims") == Const(True))
        d = None if axis is None or (isinstance(axis, Const) and axis.value is None) else (axis.value if isinstance(axis, Const) else "?")
        shape = reduce_shape(x.shape, d, bool(keep)) if d != "?" else None
        out = derive(x, call, shape=shape, dtype=dtype or x.dtype, param=False, onehot=False, magnitude=None)
        return emit_reduce(call, x, out, op)
    return fn


def same(call):
    x = call.arg(0)
    return derive(x, call, param=False, onehot=False) if isinstance(x, Tensor) else UNKNOWN


def _concat(call):
    from ..ops import concatenate

    out = concatenate(call, call.arg(0, "values"), call.const(1, "axis", 0), "tf.concat")
    if not isinstance(out, Tensor):
        return out
    parts = call.arg(0, "values").items
    return out.with_(fw="tf", requires_grad=grad_of(*parts), models=grad_models(*parts))


def matmul(call):
    from ..ops import binary_op

    return binary_op(call.interp, "MatrixMultiply", call.arg(0, "a"), call.arg(1, "b"), call.node)


def _variable(call):
    """`tf.Variable(initial_value, ..., dtype=...)`: the initial value's shape and dtype (a
    Python int makes an int32 variable, a float a float32 one, a bool a bool one) unless `dtype=`
    names another; of an initial value the analysis does not know, the dtype is not known."""
    x = call.arg(0, "initial_value")
    trainable = call.const(None, "trainable", True)
    given = dtype_given(call, None)
    d = dtype_arg(call, None, fw="tf")
    if isinstance(x, Tensor):
        return derive(x, call, fw="tf", param=bool(trainable), requires_grad=bool(trainable),
                      **({"dtype": d} if given else {}))
    if isinstance(x, Const) and isinstance(x.value, (bool, int, float)):  # tf.Variable(0.0): a float32 scalar
        own = "bool" if isinstance(x.value, bool) else "int32" if isinstance(x.value, int) else "float32"
        return tf_tensor(call, (), d if given else own, param=bool(trainable), requires_grad=bool(trainable))
    return tf_tensor(call, None, d if given else None, param=True, requires_grad=True)


def _placeholder(call):
    """A TF1 placeholder as declared; in the walk that knows what the program feeds it, the
    placeholder given those values (see `graph`)."""
    d = dtype_arg(call, 0, fw="tf")
    shape = shape_value(call.arg(1, "shape", UNKNOWN)) if call.arg(1, "shape") is not None else None
    interp = call.interp
    declared = tf_tensor(call, shape, d)
    interp.placeholders[id(call.node)] = declared
    fed = interp.fed.get(id(call.node))
    if fed is None and interp.refed is not None:  # a changed chunk's: as the call it replaced
        fed = interp.refed.refined(call, declared)
    return fed.with_(depth=call.depth, tapes=declared.tapes) if fed is not None else declared


def _input(call):
    shape = call.arg(0, "shape")
    if shape is None:
        bs = call.arg(None, "batch_shape")
        full = shape_value(bs) if bs is not None else None
    else:
        s = shape_value(shape)
        full = ("B",) + s if s is not None else None
    d = dtype_arg(call, None, keras_float(call), "tf")
    return make(call, full, d, "keras")


CALLS.update({
    "tensorflow.random.normal": _random(normal="tf.random.normal"), "tensorflow.random.truncated_normal": _random(),
    "tensorflow.random.uniform": _uniform,
    "tensorflow.constant": _constant, "tensorflow.convert_to_tensor": _convert,
    "tensorflow.zeros": _filled, "tensorflow.ones": _filled,
    "tensorflow.cast": _cast, "tensorflow.reshape": _reshape,
    "tensorflow.one_hot": _one_hot, "keras.utils.to_categorical": _to_categorical,
    "tensorflow.reduce_mean": _reduce(op="mean"), "tensorflow.reduce_sum": _reduce(op="sum"), "tensorflow.math.reduce_mean": _reduce(op="mean"),
    "tensorflow.math.reduce_sum": _reduce(op="sum"), "tensorflow.argmax": _argmax, "tensorflow.math.argmax": _argmax,
    "tensorflow.argmin": _argmax, "tensorflow.math.argmin": _argmax,
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
    "tensorflow.nn.softmax": same, "tensorflow.nn.sigmoid": same, "tensorflow.sigmoid": same, "tensorflow.nn.relu": same,
    "tensorflow.math.log": same, "tensorflow.math.exp": same, "tensorflow.exp": same, "tensorflow.square": same,
    "tensorflow.math.square": same, "tensorflow.abs": same, "keras.activations.softmax": same,
    "tensorflow.concat": _concat, "tensorflow.matmul": matmul, "tensorflow.linalg.matmul": matmul,
    "tensorflow.Variable": _variable, "tensorflow.placeholder": _placeholder,
    "keras.Input": _input, "keras.layers.Input": _input,
})
