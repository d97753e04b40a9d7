"""A TF1 GAN whose sigmoid cross-entropy wrapper computes the loss but never returns it.

Every loss built from the wrapper is `tf.reduce_mean(None)`: graph construction fails before
the first training step.
"""
# runtime: raises ValueError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
z = tf.placeholder(tf.float32, [None, 16])
x = tf.placeholder(tf.float32, [None, 8])
w_g = tf.Variable(tf.random_normal([16, 8], stddev=0.1))
w_d = tf.Variable(tf.random_normal([8, 1], stddev=0.1))
fake = tf.tanh(tf.matmul(z, w_g))
d_logits_real = tf.matmul(x, w_d)
d_logits_fake = tf.matmul(fake, w_d)


def sigmoid_xent(logits, labels):
    tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=labels)


d_loss = tf.reduce_mean(sigmoid_xent(d_logits_real, tf.ones_like(d_logits_real)))  # expect: TL421
g_loss = tf.reduce_mean(sigmoid_xent(d_logits_fake, tf.ones_like(d_logits_fake)))  # expect: TL421
d_step = tf.train.AdamOptimizer(0.001).minimize(d_loss, var_list=[w_d])
g_step = tf.train.AdamOptimizer(0.001).minimize(g_loss, var_list=[w_g])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        sess.run(d_step, feed_dict={x: np.random.rand(32, 8), z: np.random.rand(32, 16)})
        sess.run(g_step, feed_dict={z: np.random.rand(32, 16)})
