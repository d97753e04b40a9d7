"""A TF1 classifier with tf.layers.batch_normalization whose train op ignores the update ops.

Silent under TensorFlow 1.x: the moving mean and variance are never updated, so the model
evaluated with training=False normalizes with the initial statistics (0 and 1). TensorFlow 2.16+
with Keras 3 no longer has tf.layers, so there the program stops at the first layer.
"""
# runtime: raises AttributeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.int64, [None])
training = tf.placeholder_with_default(False, shape=())
h = tf.layers.dense(x, 128)
h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
logits = tf.layers.dense(h, 10)
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)  # expect: TL417

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        sess.run(train_op, feed_dict={x: np.random.rand(32, 784), y: np.random.randint(0, 10, 32), training: True})
