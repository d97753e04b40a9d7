"""TensorFlow, `keras.backend` and `keras.ops` functions as scripts call them beside the ones
the other modules model: arithmetic with broadcasting (`tf.add`, `tf.maximum`, `K.pow`),
elementwise functions, `tf.transpose` / `K.permute_dimensions`, `tf.expand_dims` /
`tf.squeeze`, `tf.shape`, `tf.range`, `tf.fill`, `tf.where`, `tf.gather`, `tf.tile`, `tf.pad`,
and the backend's spellings of casts, reductions, reshapes and products. TensorFlow never
promotes dtypes between operands; each is checked against TensorFlow in
tests/differential/test_tf_ops.py."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, MutableList, Seq, Tensor, exact_items
from ..registry import CALLS, register_aliases
from .. import shapes as S
from ..common import derive, dtype_arg, shape_value
from ..ops import binary_op
from .tensors import tf_tensor


def _x(call, *names):
    for i, n in enumerate(names or ("x",)):
        v = call.arg(0 if i == 0 else None, n)
        if isinstance(v, Tensor):
            return v
    return None


def _ints(v):
    """A literal int or list of ints (`perm=[1, 0]`, `axis=[2]`), else None."""
    if isinstance(v, Const) and S.known_int(v.value):
        return (v.value,)
    if isinstance(v, (Seq, MutableList)) and all(isinstance(i, Const) and S.known_int(i.value) for i in v.items):
        return tuple(i.value for i in v.items)
    return None


def _shape_known(t):
    return t.shape is not None and ANY not in t.shape[:1]


def arithmetic(op: str, dtype=None):
    """tf.add(x, y) and friends: the broadcast shape; the operands' dtype (TensorFlow does not
    promote); `dtype` for comparisons (bool) and true division of integers (float64)."""
    def fn(call):
        a, b = call.arg(0, "x"), call.arg(1, "y")
        if a is None or b is None:
            return UNKNOWN
        out = binary_op(call.interp, op, a, b, call.node)
        if not isinstance(out, Tensor):
            return out
        ts = [t for t in (a, b) if isinstance(t, Tensor)]
        same_dtype = ts[0].dtype if all(t.dtype == ts[0].dtype for t in ts) else None
        d = dtype
        if d == "truediv":
            d = "float64" if same_dtype in ("int32", "int64") else "float32" if same_dtype in ("int8", "int16", "uint8") else same_dtype
        out = out.with_(dtype=d or same_dtype, fw=ts[0].fw if ts[0].fw in ("tf", "keras") else out.fw)
        if dtype == "bool":
            out = out.with_(requires_grad=False, scale=None, magnitude=None)
        return out
    return fn


def unary(dtype=None, activation=None):
    """Elementwise functions of one tensor; `activation` names what the result is (tanh, softplus)."""
    def fn(call):
        x = _x(call, "x", "features", "t", "input", "tensor")
        if x is None:
            # an activation of something unknown is still a tensor of that activation's range
            return tf_tensor(call, None, dtype, activation=activation) if activation is not None else UNKNOWN
        return derive(x, call, dtype=dtype or x.dtype, param=False, onehot=False, activation=activation, magnitude=None,
                      scale=None)
    return fn


def transpose(call):
    x = _x(call, "a", "x")
    if x is None:
        return UNKNOWN
    perm = call.arg(1, "perm")
    if perm is None:
        perm = call.arg(1, "pattern")
    if not _shape_known(x):
        return derive(x, call, shape=None if perm is not None or x.shape is None else None, param=False)
    if perm is None or isinstance(perm, Const) and perm.value is None:
        return derive(x, call, shape=tuple(reversed(x.shape)), param=False)
    p = _ints(perm)
    if p is None or sorted(q % len(x.shape) for q in p) != list(range(len(x.shape))):
        return derive(x, call, shape=None, param=False)
    return derive(x, call, shape=tuple(x.shape[q] for q in p), param=False)


def expand_dims(default_axis=None):
    def fn(call):
        x = _x(call, "input", "x")
        if x is None:
            return UNKNOWN
        axis = call.const(1, "axis", default_axis)
        if x.shape is None or not S.known_int(axis) or ANY in x.shape[:1]:
            return derive(x, call, shape=None, param=False)
        n = len(x.shape) + 1
        if not -n <= axis < n:
            return derive(x, call, shape=None, param=False)
        i = axis % n
        return derive(x, call, shape=x.shape[:i] + (1,) + x.shape[i:], param=False)
    return fn


def squeeze(call):
    x = _x(call, "input", "x")
    if x is None:
        return UNKNOWN
    axis = call.arg(1, "axis")
    if not _shape_known(x):
        return derive(x, call, shape=None, param=False)
    if axis is None or isinstance(axis, Const) and axis.value is None:
        if all(S.known_int(d) for d in x.shape):
            return derive(x, call, shape=tuple(d for d in x.shape if d != 1), param=False)
        return derive(x, call, shape=None, param=False)
    axes = _ints(axis)
    n = len(x.shape)
    if axes is None or any(not -n <= a < n for a in axes):
        return derive(x, call, shape=None, param=False)
    drop = {a % n for a in axes}
    return derive(x, call, shape=tuple(d for i, d in enumerate(x.shape) if i not in drop), param=False)


def shape_of(call):
    x = _x(call, "input", "x")
    rank = len(x.shape) if x is not None and _shape_known(x) else None
    return tf_tensor(call, (rank,), "int32")


def scalar_int(call):
    return tf_tensor(call, (), "int32")


def _range(names: tuple, cast_default: str | None = None):
    """`tf.range(start, limit, delta)` and Keras 2's `K.arange(start, stop, step, dtype="int32")`,
    which is `tf.range` cast to `dtype` unless that is int32 (float bounds then stay float32)."""
    def fn(call):
        start, limit, delta = (call.arg(i, n) for i, n in enumerate(names))
        if limit is None:
            start, limit = Const(0), start
        vals = [v.value if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool) else None
                for v in (start, limit, delta if delta is not None else Const(1))]
        d = dtype_arg(call, 3 if cast_default else None, cast_default, "tf")
        if d is None or d == cast_default:
            d = "float32" if any(isinstance(v, float) for v in vals) else "int32" if None not in vals else None
        n = None
        if None not in vals and vals[2]:
            import math

            n = max(0, math.ceil((vals[1] - vals[0]) / vals[2]))
        return tf_tensor(call, (n,), d)
    return fn


tf_range = _range(("start", "limit", "delta"))
k_arange = _range(("start", "stop", "step"), "int32")


def fill(call):
    dims = shape_value(call.arg(0, "dims", UNKNOWN))
    value = call.arg(1, "value")
    d = None
    if isinstance(value, Const) and not isinstance(value.value, bool):
        d = "float32" if isinstance(value.value, float) else "int32" if isinstance(value.value, int) else None
    elif isinstance(value, Tensor):
        d = value.dtype
    return tf_tensor(call, dims, d)


def where(call):
    cond, x, y = call.arg(0, "condition"), call.arg(1, "x"), call.arg(2, "y")
    if x is None and y is None:  # the indices of the true elements: [n, rank]
        rank = len(cond.shape) if isinstance(cond, Tensor) and _shape_known(cond) else None
        return tf_tensor(call, (None, rank), "int64")
    ts = [t for t in (cond, x, y) if isinstance(t, Tensor)]
    vals = [t for t in (x, y) if isinstance(t, Tensor)]
    if not vals or len(ts) < 3:
        return derive(vals[0], call, shape=None, param=False) if vals else UNKNOWN
    shape = S.broadcast(S.broadcast(cond.shape, x.shape), y.shape)
    return derive(x, call, shape=shape, dtype=x.dtype if x.dtype == y.dtype else None, param=False, onehot=False,
                  activation=None, magnitude=None, scale=None)


def gather(call):
    x, idx = _x(call, "params"), call.arg(1, "indices")
    if x is None:
        return UNKNOWN
    axis = call.const(2, "axis", 0)
    if not _shape_known(x) or not isinstance(idx, Tensor) or idx.shape is None or ANY in idx.shape[:1] or not S.known_int(axis):
        return derive(x, call, shape=None, param=False, onehot=False)
    n = len(x.shape)
    if not -n <= axis < n:
        return derive(x, call, shape=None, param=False)
    a = axis % n
    return derive(x, call, shape=x.shape[:a] + idx.shape + x.shape[a + 1:], param=False, onehot=False)


def tile(call):
    x = _x(call, "input", "x")
    if x is None:
        return UNKNOWN
    mult = call.arg(1, "multiples")
    m = _ints(mult)
    if not _shape_known(x) or m is None or len(m) != len(x.shape):
        return derive(x, call, shape=None, param=False)
    return derive(x, call, shape=tuple(d * k if S.known_int(d) else None for d, k in zip(x.shape, m)), param=False)


def pad(call):
    x = _x(call, "tensor", "x")
    if x is None:
        return UNKNOWN
    pads = call.arg(1, "paddings")
    rows = pads.items if isinstance(pads, (Seq, MutableList)) else None
    if not _shape_known(x) or rows is None or len(rows) != len(x.shape):
        return derive(x, call, shape=None, param=False)
    out = []
    for d, row in zip(x.shape, rows):
        r = _ints(row)
        out.append(d + r[0] + r[1] if S.known_int(d) and r is not None and len(r) == 2 else None)
    return derive(x, call, shape=tuple(out), param=False)


def k_dot(call):
    return binary_op(call.interp, "MatrixMultiply", call.arg(0, "x"), call.arg(1, "y"), call.node)


def k_flatten(call):
    x = _x(call, "x")
    if x is None:
        return UNKNOWN
    n = None
    if _shape_known(x) and all(S.known_int(d) for d in x.shape):
        n = 1
        for d in x.shape:
            n *= d
    return derive(x, call, shape=(n,), param=False)


def k_concatenate(call):
    from ..ops import concatenate

    out = concatenate(call, call.arg(0, "tensors"), call.const(1, "axis", -1), "K.concatenate")
    return out


def k_cast(call):
    x = _x(call, "x")
    if x is None:
        return UNKNOWN
    d = dtype_arg(call, 1, None, "tf")
    return derive(x, call, dtype=d, param=False)


register_aliases({
    "tensorflow.math.add": "tensorflow.add", "tensorflow.math.subtract": "tensorflow.subtract",
    "tensorflow.math.multiply": "tensorflow.multiply", "tensorflow.math.divide": "tensorflow.divide",
    "tensorflow.div": "tensorflow.divide", "tensorflow.math.truediv": "tensorflow.divide",
    "tensorflow.truediv": "tensorflow.divide", "tensorflow.math.maximum": "tensorflow.maximum",
    "tensorflow.math.minimum": "tensorflow.minimum", "tensorflow.math.pow": "tensorflow.pow",
    "tensorflow.squared_difference": "tensorflow.math.squared_difference", "tensorflow.math.sqrt": "tensorflow.sqrt",
    "tensorflow.math.rsqrt": "tensorflow.rsqrt", "tensorflow.math.sin": "tensorflow.sin",
    "tensorflow.math.cos": "tensorflow.cos", "tensorflow.math.negative": "tensorflow.negative",
    "tensorflow.math.tanh": "tensorflow.tanh", "tensorflow.math.softplus": "tensorflow.nn.softplus",
    "tensorflow.math.greater_equal": "tensorflow.greater_equal", "tensorflow.math.less_equal": "tensorflow.less_equal",
    "tensorflow.math.reduce_prod": "tensorflow.reduce_prod", "tensorflow.math.reduce_any": "tensorflow.reduce_any",
    "tensorflow.math.reduce_all": "tensorflow.reduce_all",
    "keras.backend.square": "tensorflow.square", "keras.backend.exp": "tensorflow.exp",
    "keras.backend.abs": "tensorflow.abs", "keras.backend.log": "tensorflow.math.log",
    "keras.backend.max": "tensorflow.reduce_max", "keras.backend.min": "tensorflow.reduce_min",
    "keras.backend.reshape": "tensorflow.reshape", "keras.backend.permute_dimensions": "tensorflow.transpose",
    "keras.backend.maximum": "tensorflow.maximum", "keras.backend.minimum": "tensorflow.minimum",
    "keras.backend.pow": "tensorflow.pow", "keras.backend.sqrt": "tensorflow.sqrt", "keras.backend.tanh": "tensorflow.tanh",
    "keras.backend.relu": "tensorflow.nn.relu", "keras.backend.sigmoid": "tensorflow.sigmoid",
    "keras.backend.softmax": "tensorflow.nn.softmax", "keras.backend.prod": "tensorflow.reduce_prod",
    "keras.backend.tile": "tensorflow.tile", "keras.backend.equal": "tensorflow.equal",
    "keras.backend.not_equal": "tensorflow.not_equal", "keras.backend.argmax": "tensorflow.argmax",
    "keras.backend.stop_gradient": "tensorflow.stop_gradient", "keras.backend.ones_like": "tensorflow.ones_like",
    "keras.backend.zeros_like": "tensorflow.zeros_like", "keras.backend.transpose": "tensorflow.transpose",
    "keras.backend.squeeze": "tensorflow.squeeze", "keras.backend.shape": "tensorflow.shape",
    "keras.backend.gather": "tensorflow.gather", "keras.backend.clip": "tensorflow.clip_by_value",
})

CALLS.update({
    "tensorflow.add": arithmetic("Add"), "tensorflow.subtract": arithmetic("Subtract"),
    "tensorflow.multiply": arithmetic("Multiply"), "tensorflow.divide": arithmetic("Divide", "truediv"),
    "tensorflow.maximum": arithmetic("Add"), "tensorflow.minimum": arithmetic("Add"),
    "tensorflow.pow": arithmetic("Power"), "tensorflow.math.squared_difference": arithmetic("Subtract"),
    "tensorflow.sqrt": unary(), "tensorflow.rsqrt": unary(), "tensorflow.sin": unary(), "tensorflow.cos": unary(),
    "tensorflow.negative": unary(), "tensorflow.identity": unary(), "tensorflow.ones_like": unary(),
    "tensorflow.zeros_like": unary(), "tensorflow.nn.softplus": unary(activation="softplus"),
    "tensorflow.tanh": unary(activation="tanh"),
    "tensorflow.clip_by_value": unary(), "tensorflow.math.l2_normalize": unary(), "tensorflow.nn.l2_normalize": unary(),
    "tensorflow.transpose": transpose, "tensorflow.expand_dims": expand_dims(), "tensorflow.squeeze": squeeze,
    "tensorflow.shape": shape_of, "tensorflow.size": scalar_int, "tensorflow.rank": scalar_int,
    "tensorflow.range": tf_range, "tensorflow.fill": fill, "tensorflow.where": where, "tensorflow.gather": gather,
    "tensorflow.tile": tile, "tensorflow.pad": pad,
    "keras.backend.expand_dims": expand_dims(-1), "keras.backend.dot": k_dot, "keras.backend.flatten": k_flatten,
    "keras.backend.concatenate": k_concatenate, "keras.backend.cast": k_cast, "keras.backend.arange": k_arange,
})
# comparisons broadcast like arithmetic and give bool without a gradient
for _name in ("greater", "less", "equal", "not_equal", "greater_equal", "less_equal"):
    CALLS["tensorflow." + _name] = CALLS["tensorflow.math." + _name] = arithmetic("Add", "bool")


def stack(call):
    from ..ops import stack_tensors

    out = stack_tensors(call, call.arg(0, "values"), call.const(1, "axis", 0))
    return out


def add_n(call):
    """tf.add_n([a, b, ...]): the sum of tensors of one shape."""
    seq = call.arg(0, "inputs")
    parts = [t for t in seq.items if isinstance(t, Tensor)] if isinstance(seq, (Seq, MutableList)) else []
    if not parts:
        return UNKNOWN
    out = parts[0]
    for t in parts[1:]:
        out = binary_op(call.interp, "Add", out, t, call.node)
    return out if isinstance(out, Tensor) else UNKNOWN


def to_numpy(call):
    x = _x(call, "x")
    return derive(x, call, fw="np", requires_grad=False, param=False) if x is not None else UNKNOWN


def ndim(call):
    x = _x(call, "x")
    return Const(len(x.shape)) if x is not None and _shape_known(x) else UNKNOWN


register_aliases({"tensorflow.optimizers." + n: "keras.optimizers." + n
                  for n in ("SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "AdamW")})
register_aliases({"keras.ops." + n: q for n, q in {
    "cast": "keras.backend.cast", "expand_dims": "tensorflow.expand_dims", "maximum": "tensorflow.maximum",
    "minimum": "tensorflow.minimum", "square": "tensorflow.square", "sqrt": "tensorflow.sqrt", "exp": "tensorflow.exp",
    "matmul": "tensorflow.matmul", "mean": "keras.backend.mean", "sum": "keras.backend.sum",
    "reshape": "tensorflow.reshape", "clip": "tensorflow.clip_by_value", "ones_like": "tensorflow.ones_like",
    "zeros_like": "tensorflow.zeros_like", "where": "tensorflow.where", "transpose": "tensorflow.transpose",
    "squeeze": "tensorflow.squeeze", "tile": "tensorflow.tile", "stack": "tensorflow.stack",
}.items()})
CALLS.update({
    "tensorflow.stack": stack, "keras.backend.stack": stack, "tensorflow.add_n": add_n,
    "keras.ops.convert_to_numpy": to_numpy, "keras.backend.ndim": ndim,
})


def split(call):
    """tf.split(x, n, axis): n tensors, the axis divided by n; with a list of sizes, those."""
    x = _x(call, "value")
    parts = call.arg(1, "num_or_size_splits")
    axis = call.const(2, "axis", 0)
    if x is None or not S.known_int(axis):
        return UNKNOWN
    known = _shape_known(x) and -len(x.shape) <= axis < len(x.shape)
    a = axis % len(x.shape) if known else None
    if isinstance(parts, Const) and S.known_int(parts.value) and parts.value > 0:
        n = parts.value
        size = x.shape[a] // n if known and S.known_int(x.shape[a]) and x.shape[a] % n == 0 else None
        sizes = [size] * n
    else:
        sizes = list(_ints(parts) or ()) if _ints(parts) is not None else None
        if sizes is None:
            return UNKNOWN
    return Seq("list", tuple(derive(x, call, shape=x.shape[:a] + (s,) + x.shape[a + 1:] if known else None, param=False)
                             for s in sizes))


def unstack(call):
    x = _x(call, "value")
    axis = call.const(None, "axis", 0)
    if x is None or not _shape_known(x) or not S.known_int(axis) or not -len(x.shape) <= axis < len(x.shape):
        return UNKNOWN
    a = axis % len(x.shape)
    n = x.shape[a]
    if not S.known_int(n) or n > 256:
        return UNKNOWN
    part = derive(x, call, shape=x.shape[:a] + x.shape[a + 1:], param=False)
    return Seq("list", (part,) * n)


def image_resize(call):
    """tf.image.resize(images, size): the two spatial dims become `size`; float32 out."""
    x = _x(call, "images")
    size = _ints(call.arg(1, "size"))
    if x is None:
        return UNKNOWN
    if x.shape is None or len(x.shape) not in (3, 4) or size is None or len(size) != 2:
        return derive(x, call, shape=None if x.shape is None else x.shape[:-3] + (None, None, x.shape[-1]),
                      dtype="float32", param=False)
    return derive(x, call, shape=x.shape[:-3] + size + (x.shape[-1],), dtype="float32", param=False)


def pad_sequences(call):
    """keras pad_sequences(seqs, maxlen=...): one row per sequence, `maxlen` columns, int32."""
    seqs = call.arg(0, "sequences")
    maxlen = call.const(1, "maxlen")
    d = dtype_arg(call, 2, "int32", "tf")
    rows = None
    if isinstance(seqs, (Seq, MutableList)) and exact_items(seqs) is not None:
        rows = len(seqs.items)
    elif isinstance(seqs, Tensor) and seqs.shape and ANY not in seqs.shape[:1]:
        rows = seqs.shape[0]
    cols = maxlen if S.known_int(maxlen) else None
    from ..common import make

    return make(call, (rows, cols), d, "np")


CALLS.update({
    "tensorflow.split": split, "tensorflow.unstack": unstack, "tensorflow.image.resize": image_resize,
    "keras.preprocessing.sequence.pad_sequences": pad_sequences, "keras.utils.pad_sequences": pad_sequences,
})
