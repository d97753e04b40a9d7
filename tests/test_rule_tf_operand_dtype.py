"""TL106: TensorFlow combines tensors of one dtype only. A float tensor divided by `tf.shape(...)[i]`
(int32), `tf.argmax` (int64) compared with int32 labels, an int32 count times 0.5: each raises when
the line runs (keras-examples doodle divides a style loss by `K.shape(x)[-1]`). The look-alikes
cast first, mix NumPy arrays or Python ints (converted to the tensor's dtype), or are torch or
Keras 3 symbolic tensors (both promote)."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL106",))

BUGS = {
    # the batch mean of a loss by the dynamic batch size, in a custom loss function
    "loss-over-shape-in-function": ("""
        import tensorflow as tf

        def sum_squares(y_true, y_pred):
            return tf.reduce_sum(tf.square(y_true - y_pred)) / tf.shape(y_true)[0]

        loss = sum_squares(tf.random.normal([16, 4]), tf.zeros([16, 4]))
    """, [4]),
    # accuracy of an argmax against int32 labels, through names and tf.equal
    "argmax-equal-int32-labels": ("""
        import tensorflow as tf

        logits = tf.random.normal([6, 3])
        labels = tf.constant([0, 1, 2, 0, 1, 2])
        predicted = tf.argmax(logits, axis=1)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
    """, [6]),
    # Keras 2's backend: K.shape is tf.shape; `+=` of an int count into a float total
    "keras-backend-shape-augassign": ("""
        import tensorflow as tf
        from keras import backend as K

        x = tf.random.uniform([5, 7])
        total = tf.reduce_sum(x)
        total += K.shape(x)[1]
    """, [6]),
    # an integer count scaled by a Python float, and tf.maximum of a float and a size
    "count-times-float-and-maximum": ("""
        import tensorflow as tf

        boxes = tf.zeros([10, 4])
        n = tf.size(boxes)
        keep = n * 0.7
        floor = tf.maximum(tf.reduce_mean(boxes), n)
    """, [5, 6]),
}

LOOKALIKES = {
    # the sparse cross-entropy called positionally: TF 0.x's (logits, labels) and TF2's
    # (labels, logits) both give a float loss per example, whichever order the program uses
    "positional-sparse-cross-entropy-either-order": """
        import tensorflow as tf
        x = tf.placeholder(tf.int32, [None])
        y = tf.placeholder(tf.int32, [None])
        logits = tf.matmul(tf.one_hot(x, 50), tf.Variable(tf.zeros([50, 50])))
        cost_old = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(logits, y))
        cost_new = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
        loss = (cost_old + cost_new) / tf.cast(tf.size(x), tf.float32)
    """,
    "cast-first": """
        import tensorflow as tf

        y = tf.random.normal([16, 4])
        loss = tf.reduce_sum(y) / tf.cast(tf.shape(y)[0], tf.float32)
        n = tf.cast(tf.size(y), tf.float32) * 0.5
    """,
    "numpy-and-python-numbers": """
        import numpy as np
        import tensorflow as tf

        x = tf.random.normal([4, 3])
        y = x * np.arange(3) + 1
        z = tf.shape(x)[0] * 2 + tf.shape(x)[1] // 2
    """,
    "same-integer-width": """
        import tensorflow as tf

        logits = tf.random.normal([6, 3])
        labels = tf.constant([0, 1, 2, 0, 1, 2], dtype=tf.int64)
        correct = tf.equal(tf.argmax(logits, 1), labels)
        steps = tf.shape(logits)[0] * tf.shape(logits)[1]
    """,
    "torch-promotes": """
        import torch

        x = torch.randn(8, 3)
        y = x / torch.tensor(x.shape[0]) + torch.arange(3)
    """,
    "keras3-ops-promote": """
        import keras

        inputs = keras.Input((4,))
        h = keras.layers.Dense(4)(inputs)
        out = h * keras.ops.cast(keras.ops.shape(h)[1], "int32")
    """,
    "error-shown-on-purpose": """
        import tensorflow as tf

        try:
            tf.constant(2.0) + tf.constant(40)
        except tf.errors.InvalidArgumentError as ex:
            print(ex)
    """,
    "unknown-dtype": """
        import tensorflow as tf

        def scale(x, n):
            return tf.reduce_sum(x) / n
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_mixed_dtypes_in_a_tensorflow_op_are_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("does not convert dtypes" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
