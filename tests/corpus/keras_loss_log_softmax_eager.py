"""A custom Keras loss written as -sum(y_true * tf.math.log(tf.nn.softmax(logits))) for a linear output layer.

Silent until the logits grow: softmax underflows to 0, log gives -inf, and 0 * -inf is NaN
(eager execution, nothing rewrites it: the loss of logits [0, 200] with label 1 is NaN).
"""
# runtime: runs
import numpy as np
import tensorflow as tf


def softmax_xent(y_true, logits):
    probs = tf.nn.softmax(logits, axis=-1)
    return -tf.reduce_sum(y_true * tf.math.log(probs), axis=-1)  # expect: TL307


model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=softmax_xent)
x = np.random.rand(24, 8).astype("float32")
y = tf.one_hot(np.random.randint(0, 3, 24), depth=3)
model.fit(x, y, epochs=1, verbose=0)
