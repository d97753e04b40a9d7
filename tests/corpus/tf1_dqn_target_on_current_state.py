"""A TF1 DQN whose target network is built on the current-state placeholder instead of the next-state one.

Silent: the bootstrapped target is max Q(s) instead of max Q(s'), and the next states fed to every
training run are read by no op, so changing them changes nothing.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(2)


def q_net(x, scope):
    with tf.variable_scope(scope):
        w = tf.get_variable('w', [4, 2], initializer=tf.random_normal_initializer(0., 0.3))
        b = tf.get_variable('b', [2], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


obs = tf.placeholder(tf.float32, [None, 4])
next_obs = tf.placeholder(tf.float32, [None, 4])
rew = tf.placeholder(tf.float32, [None])
act = tf.placeholder(tf.int32, [None])
q = q_net(obs, 'online')
q_tp1 = q_net(obs, 'target')  # expect: TL445
y = rew + 0.99 * tf.stop_gradient(tf.reduce_max(q_tp1, 1))
q_sa = tf.reduce_sum(q * tf.one_hot(act, 2), 1)
loss = tf.reduce_mean(tf.square(y - q_sa))
train = tf.train.AdamOptimizer(1e-3).minimize(loss)

rng = np.random.RandomState(2)
b_obs, b_next = rng.randn(8, 4).astype(np.float32), rng.randn(8, 4).astype(np.float32)
b_rew, b_act = rng.randn(8).astype(np.float32), rng.randint(0, 2, 8)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {obs: b_obs, next_obs: b_next, rew: b_rew, act: b_act}
    sess.run(train, feed_dict=feed)
    loss_a = sess.run(loss, feed_dict=feed)
    loss_b = sess.run(loss, feed_dict={obs: b_obs, next_obs: b_next * 10 + 5, rew: b_rew, act: b_act})
