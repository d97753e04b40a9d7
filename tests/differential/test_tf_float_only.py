"""The facts TL106 takes about floats whose width the program does not fix, against TensorFlow
run eagerly: every function of `FLOAT_ONLY_OPS` refuses integer tensors, TensorFlow's true
division gives a float or complex tensor for every dtype it accepts, and such a result combined
with an int32 tensor raises. Only this test process imports tensorflow."""
from __future__ import annotations

import pytest

from rules.tl106_tf_operand_dtype_mismatch import FLOAT_ONLY_OPS

tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.differential

# Keras 2's backend wraps these; Keras 3 (installed here) has no `keras.backend.softplus`
KERAS2_BACKEND = {"keras.backend.softplus": "tensorflow.nn.softplus", "keras.backend.elu": "tensorflow.nn.elu"}


def _function(name: str):
    parts = KERAS2_BACKEND.get(name, name).split(".")[1:]
    if len(parts) == 1 and not hasattr(tf, parts[0]):
        parts = ["math"] + parts  # TF 1's top-level spelling (`tf.rsqrt`) of a `tf.math` function
    obj = tf
    for part in parts:
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("name", sorted(FLOAT_ONLY_OPS))
@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_float_only_function_refuses_integers(name, dtype):
    with pytest.raises((tf.errors.InvalidArgumentError, TypeError, ValueError)):
        _function(name)(tf.constant([[1, 2], [3, 4]], dtype=dtype))


@pytest.mark.parametrize("name", sorted(FLOAT_ONLY_OPS))
def test_float_only_result_meets_int32(name):
    out = _function(name)(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert out.dtype.is_floating
    with pytest.raises((tf.errors.InvalidArgumentError, TypeError)):
        out / tf.shape(out)[0]


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64",
                                   "complex64"])
def test_true_division_gives_a_float_that_int32_refuses(dtype):
    a = tf.ones([2, 3], dtype=dtype)
    count = tf.shape(a)[-1]
    for quotient in (a / a, tf.math.truediv(a, a), tf.divide(a, a), a / 2, 2 / a):
        assert quotient.dtype.is_floating or quotient.dtype.is_complex
        with pytest.raises((tf.errors.InvalidArgumentError, TypeError)):
            quotient / count
        with pytest.raises((tf.errors.InvalidArgumentError, TypeError)):
            quotient * count
