"""A TF1 DQN agent class whose target net reads self.s while self.s_ (the next state) is fed and never used.

Silent: the TD target is computed from the current states, so the learned Q values ignore where
an action leads; the fed next states change nothing.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(3)


class DeepQNetwork(object):
    def __init__(self, n_features, n_actions):
        self.s = tf.placeholder(tf.float32, [None, n_features], name='s')
        self.s_ = tf.placeholder(tf.float32, [None, n_features], name='s_')
        self.r = tf.placeholder(tf.float32, [None, ], name='r')
        self.a = tf.placeholder(tf.int32, [None, ], name='a')
        init = tf.random_normal_initializer(0., 0.3)
        with tf.variable_scope('eval_net'):
            w_eval = tf.get_variable('w', [n_features, n_actions], initializer=init)
            self.q_eval = tf.matmul(self.s, w_eval)
        with tf.variable_scope('target_net'):
            w_target = tf.get_variable('w', [n_features, n_actions], initializer=init)
            self.q_next = tf.matmul(self.s, w_target)  # expect: TL445
        self.q_target = tf.stop_gradient(self.r + 0.9 * tf.reduce_max(self.q_next, axis=1))
        self.q_eval_wrt_a = tf.reduce_sum(self.q_eval * tf.one_hot(self.a, n_actions), axis=1)
        self.loss = tf.reduce_mean(tf.squared_difference(self.q_target, self.q_eval_wrt_a))
        self.train_op = tf.train.RMSPropOptimizer(0.01).minimize(self.loss)
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())

    def learn(self, s, a, r, s_):
        _, cost = self.sess.run([self.train_op, self.loss],
                                feed_dict={self.s: s, self.a: a, self.r: r, self.s_: s_})
        return cost


rng = np.random.RandomState(3)
agent = DeepQNetwork(4, 2)
s, s_next = rng.randn(16, 4).astype(np.float32), rng.randn(16, 4).astype(np.float32)
a, r = rng.randint(0, 2, 16), rng.randn(16).astype(np.float32)
agent.learn(s, a, r, s_next)
loss_a = agent.sess.run(agent.loss, feed_dict={agent.s: s, agent.a: a, agent.r: r, agent.s_: s_next})
loss_b = agent.sess.run(agent.loss, feed_dict={agent.s: s, agent.a: a, agent.r: r, agent.s_: s_next * 10 + 5})
