"""A TF1 hand-written batch norm whose moving-average update is created outside the tf.cond training branch.

Silent: the update op runs whichever branch the cond takes, so evaluating with phase_train False
still moves the moving mean toward the test batches.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def batch_norm(x, phase_train):
    batch_mean, batch_var = tf.nn.moments(x, [0], name="moments")
    ema = tf.train.ExponentialMovingAverage(decay=0.5)
    ema_apply_op = ema.apply([batch_mean, batch_var])  # expect: TL423
    ema_mean, ema_var = ema.average(batch_mean), ema.average(batch_var)

    def mean_var_with_update():
        with tf.control_dependencies([ema_apply_op]):
            return tf.identity(batch_mean), tf.identity(batch_var)

    mean, var = tf.cond(phase_train, mean_var_with_update, lambda: (ema_mean, ema_var))
    return tf.nn.batch_normalization(x, mean, var, None, None, 1e-3), ema_mean


x = tf.placeholder(tf.float32, [None, 4])
phase_train = tf.placeholder(tf.bool, [])
normed, moving_mean = batch_norm(x, phase_train)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        sess.run(normed, feed_dict={x: np.random.rand(16, 4), phase_train: True})
    before = sess.run(moving_mean)
    sess.run(normed, feed_dict={x: np.full((16, 4), 100.0), phase_train: False})
    after = sess.run(moving_mean)
