"""A TF1 graph that counts training steps with an assign_add made outside the tf.cond branch that depends on it.

Silent: the counter is meant to move only on training runs, but the op created outside the
branch runs whichever branch is taken, so evaluation runs advance it too.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
x = tf.placeholder(tf.float32, [None, 3])
is_training = tf.placeholder(tf.bool, [])
w = tf.Variable(tf.ones([3, 1]))
steps = tf.Variable(0, trainable=False)
count_step = tf.assign_add(steps, 1)  # expect: TL423


def training_output():
    with tf.control_dependencies([count_step]):
        return tf.nn.dropout(tf.matmul(x, w), rate=0.5)


out = tf.cond(is_training, training_output, lambda: tf.matmul(x, w))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        sess.run(out, feed_dict={x: np.ones((2, 3)), is_training: False})
    counted = sess.run(steps)
