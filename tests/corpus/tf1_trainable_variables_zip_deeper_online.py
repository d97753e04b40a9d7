"""A TF1 DQN whose target copy zips a three-layer online network with a two-layer target network.

Silent: zip pairs the first four variables and stops; the online network's last layer has no
target counterpart and nothing says so.
"""
# runtime: runs
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


def dense(x, n_in, n_out, name):
    w = tf.get_variable(name + "_w", [n_in, n_out])
    b = tf.get_variable(name + "_b", [n_out])
    return tf.matmul(x, w) + b


def online_net(x):
    h = tf.nn.relu(dense(x, 8, 16, "l1"))
    h = tf.nn.relu(dense(h, 16, 4, "l2"))
    return dense(h, 4, 4, "l3")


def target_net(x):
    h = tf.nn.relu(dense(x, 8, 16, "l1"))
    return dense(h, 16, 4, "l2")


x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("online"):
    q = online_net(x)
with tf.variable_scope("target"):
    q_target = target_net(x)
sync = [tf.assign(t, o) for t, o in zip(tf.trainable_variables(scope="target"), tf.trainable_variables(scope="online"))]  # expect: TL448
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(sync)
