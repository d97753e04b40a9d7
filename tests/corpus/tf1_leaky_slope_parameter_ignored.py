"""A TF1 discriminator builder that takes the leaky-ReLU slope as `alpha` but builds its activation with alpha=0.2.

Silent: the caller asks for alpha=0.01 and the graph uses 0.2; every run trains the same model
whatever slope the experiment sets.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def discriminator(x, n_units=16, alpha=0.2):
    w1 = tf.Variable(tf.ones([4, n_units]))
    h1 = tf.nn.leaky_relu(tf.matmul(x, w1), alpha=0.2)  # expect: TL425
    w2 = tf.Variable(tf.ones([n_units, 1]))
    return tf.matmul(h1, w2), h1


x = tf.placeholder(tf.float32, [None, 4])
logits, hidden = discriminator(x, alpha=0.01)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    negative = sess.run(hidden, feed_dict={x: -np.ones((1, 4))})
