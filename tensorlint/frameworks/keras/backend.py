"""The Keras 2 backend module as scripts call it (`from keras import backend as K`,
`tf.keras.backend`): tensor factories whose dtype is Keras' float type unless `dtype=` names
another (`K.variable(0)` is float32 where `tf.Variable(0)` is int32), `K.int_shape`,
`K.batch_flatten`, `K.get_value`, `K.dtype`, `K.eye`. Where the program changes the float type
(`K.set_floatx`), the factories' dtype is not known. Also TensorFlow 1's casts (`tf.to_float`,
`tf.to_int32`...) and logical operators (`tf.logical_and`...)."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, MutableList, Seq, Tensor, is_int_dtype
from ..common import derive, dtype_arg, dtype_given, literal_data, shape_value
from ..methods import size_value
from ..registry import CALLS, register_aliases
from .. import shapes as S
from .tensors import keras_float, tf_tensor
from .tf_ops import arithmetic, unary


def _float(call, index: int) -> str | None:
    """The dtype a factory's `dtype` argument names, Keras' float type when it names none."""
    return dtype_arg(call, index, keras_float(call), "tf")


def variable(call):
    """`K.variable(value, dtype=None)`: a trainable variable of the value's shape, in Keras'
    float type unless `dtype=` names another, whatever the value's own dtype."""
    x = call.arg(0, "value")
    d = _float(call, 1)
    if isinstance(x, Tensor):
        return derive(x, call, fw="tf", dtype=d, param=True, requires_grad=True, onehot=False, classes=False)
    if isinstance(x, Const) and isinstance(x.value, (bool, int, float)):
        return tf_tensor(call, (), d, param=True, requires_grad=True)
    if isinstance(x, (Seq, MutableList)):
        shape, kind, _, _ = literal_data(x)
        if kind is not None:
            return tf_tensor(call, shape, d, param=True, requires_grad=True)
    return tf_tensor(call, None, d, param=True, requires_grad=True)


def filled(call):
    """`K.zeros(shape)`, `K.ones(shape)`: a variable of that shape in Keras' float type."""
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    return tf_tensor(call, shape, _float(call, 1), requires_grad=False)


def constant(call):
    """`K.constant(value, dtype=None, shape=None)`: Keras' float type unless `dtype=` names
    another, whatever the value's own dtype."""
    x = call.arg(0, "value")
    d = _float(call, 1)
    shp = call.arg(2, "shape")
    shape = shape_value(shp) if shp is not None else None
    if isinstance(x, Tensor):
        return derive(x, call, fw="tf", dtype=d, shape=shape if shape is not None else x.shape,
                      requires_grad=False, param=False)
    if shape is None:
        if isinstance(x, Const) and isinstance(x.value, (bool, int, float)):
            shape = ()
        elif isinstance(x, (Seq, MutableList)):
            shape = literal_data(x)[0]
    return tf_tensor(call, shape, d, requires_grad=False)


def placeholder(call):
    """`K.placeholder(shape=None, ndim=None, dtype=None)`: the declared shape (or `ndim` axes of
    unknown size), in Keras' float type unless `dtype=` names another."""
    shp = call.arg(0, "shape")
    shape = shape_value(shp) if shp is not None and not (isinstance(shp, Const) and shp.value is None) else None
    if shape is None:
        ndim = call.const(1, "ndim")
        if S.known_int(ndim) and ndim >= 0:
            shape = (None,) * ndim
    return tf_tensor(call, shape, _float(call, 2), requires_grad=False)


def eye(call):
    """`K.eye(size, dtype=None)`: an identity matrix, `size` square or (rows, columns)."""
    size = call.arg(0, "size")
    dims = shape_value(size) if size is not None else None
    if dims is not None and len(dims) == 1:
        dims = dims * 2
    return tf_tensor(call, dims if dims is not None and len(dims) == 2 else None, _float(call, 1), requires_grad=False)


def int_shape(call):
    """`K.int_shape(x)`: a tuple of the sizes; a size the analysis does not know stays unknown
    (it may be None or a number)."""
    x = call.arg(0, "x")
    if not isinstance(x, Tensor):
        return UNKNOWN
    return size_value(x)


def batch_flatten(call):
    """`K.batch_flatten(x)`: the first axis kept, the others flattened into one."""
    x = call.arg(0, "x")
    if not isinstance(x, Tensor):
        return UNKNOWN
    shape = None
    if x.shape is not None and len(x.shape) >= 1 and ANY not in x.shape[:1]:
        rest = 1
        for d in x.shape[1:]:
            rest = rest * d if rest is not None and S.known_int(d) else None
        shape = (x.shape[0], rest)
    return derive(x, call, shape=shape, param=False, onehot=False)


def get_value(call):
    """`K.get_value(x)`: the variable's value as a NumPy array, off the graph."""
    x = call.arg(0, "x")
    if not isinstance(x, Tensor):
        return UNKNOWN
    return derive(x, call, fw="np", requires_grad=False, param=False)


def dtype_name(call):
    """`K.dtype(x)`: the dtype's name."""
    x = call.arg(0, "x")
    return Const(x.dtype) if isinstance(x, Tensor) and x.dtype else UNKNOWN


CALLS.update({
    "keras.backend.variable": variable, "keras.backend.zeros": filled, "keras.backend.ones": filled,
    "keras.backend.constant": constant, "keras.backend.placeholder": placeholder, "keras.backend.eye": eye,
    "keras.backend.int_shape": int_shape, "keras.backend.batch_flatten": batch_flatten,
    "keras.backend.get_value": get_value, "keras.backend.dtype": dtype_name,
})
register_aliases({
    "keras.backend.greater": "tensorflow.greater", "keras.backend.less": "tensorflow.less",
    "keras.backend.greater_equal": "tensorflow.greater_equal", "keras.backend.less_equal": "tensorflow.less_equal",
    "keras.backend.one_hot": "tensorflow.one_hot",
})


def cast_to(dtype: str):
    """`tf.to_float(x)` and the other TF1 casts: `x` in `dtype` (a value the analysis does not
    know still gives a tensor of that dtype); an integer result has no gradient."""
    def fn(call):
        x = call.arg(0, "x")
        grad = {"requires_grad": False} if is_int_dtype(dtype) else {}
        if isinstance(x, Tensor):
            return derive(x, call, fw="tf" if x.fw == "np" else x.fw, dtype=dtype, param=False, onehot=False, **grad)
        return tf_tensor(call, None, dtype, **grad)
    return fn


CALLS.update({"tensorflow.to_" + _name: cast_to(_dtype) for _name, _dtype in (
    ("float", "float32"), ("double", "float64"), ("int32", "int32"), ("int64", "int64"), ("bfloat16", "bfloat16"))})
CALLS.update({"tensorflow.logical_and": arithmetic("Add", "bool"), "tensorflow.logical_or": arithmetic("Add", "bool"),
              "tensorflow.logical_xor": arithmetic("Add", "bool"), "tensorflow.logical_not": unary("bool")})
register_aliases({"tensorflow.math.logical_" + _name: "tensorflow.logical_" + _name for _name in ("and", "or", "xor", "not")})
