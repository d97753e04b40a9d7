"""A TensorFlow attention function whose key mask is the sign of the absolute value of a sum.

Silent: real keys whose features sum to 0 get a mask of 0 and are treated as padding.
"""
# runtime: runs
import numpy as np
import tensorflow as tf


def attention(queries, keys):
    outputs = tf.matmul(queries, keys, transpose_b=True)
    key_masks = tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))  # expect: TL232
    key_masks = tf.tile(tf.expand_dims(key_masks, 1), [1, tf.shape(queries)[1], 1])
    paddings = tf.ones_like(outputs) * (-2.0 ** 32 + 1)
    outputs = tf.where(tf.equal(key_masks, 0), paddings, outputs)
    return tf.nn.softmax(outputs)


keys = np.random.randn(2, 6, 8).astype("float32")
keys[:, 5] = 0.0
keys[1, 1] = np.concatenate([np.ones(4), -np.ones(4)]).astype("float32")
weights = attention(tf.constant(np.random.randn(2, 3, 8).astype("float32")), tf.constant(keys))
