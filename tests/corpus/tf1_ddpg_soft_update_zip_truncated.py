"""A TF1 DDPG whose soft target update zips the actor's and the critic's variable lists together.

Silent: zip stops at the actor's 4 variables, so the critic's fifth target variable is never
updated and keeps its initial value.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
TAU = 0.01


class DDPG(object):
    def __init__(self, a_dim, s_dim):
        self.a_dim, self.s_dim = a_dim, s_dim
        self.S = tf.placeholder(tf.float32, [None, s_dim], "s")
        self.S_ = tf.placeholder(tf.float32, [None, s_dim], "s_")
        with tf.variable_scope("Actor"):
            self.a = self._build_a(self.S, scope="eval", trainable=True)
            a_ = self._build_a(self.S_, scope="target", trainable=False)
        with tf.variable_scope("Critic"):
            q = self._build_c(self.S, self.a, scope="eval", trainable=True)
            q_ = self._build_c(self.S_, a_, scope="target", trainable=False)
        self.ae_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/eval")
        self.at_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/target")
        self.ce_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/eval")
        self.ct_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/target")
        self.soft_replace = [[tf.assign(ta, (1 - TAU) * ta + TAU * ea), tf.assign(tc, (1 - TAU) * tc + TAU * ec)]
                             for ta, ea, tc, ec in zip(self.at_params, self.ae_params, self.ct_params, self.ce_params)]  # expect: TL448
        self.q = q

    def _build_a(self, s, scope, trainable):
        with tf.variable_scope(scope):
            w1 = tf.get_variable("w1", [self.s_dim, 16], trainable=trainable)
            b1 = tf.get_variable("b1", [16], trainable=trainable)
            w2 = tf.get_variable("w2", [16, self.a_dim], trainable=trainable)
            b2 = tf.get_variable("b2", [self.a_dim], trainable=trainable)
            return tf.tanh(tf.matmul(tf.nn.relu(tf.matmul(s, w1) + b1), w2) + b2)

    def _build_c(self, s, a, scope, trainable):
        with tf.variable_scope(scope):
            w1_s = tf.get_variable("w1_s", [self.s_dim, 16], trainable=trainable)
            w1_a = tf.get_variable("w1_a", [self.a_dim, 16], trainable=trainable)
            b1 = tf.get_variable("b1", [1, 16], trainable=trainable)
            w2 = tf.get_variable("w2", [16, 1], trainable=trainable)
            b2 = tf.get_variable("b2", [1], trainable=trainable)
            net = tf.nn.relu(tf.matmul(s, w1_s) + tf.matmul(a, w1_a) + b1)
            return tf.matmul(net, w2) + b2


ddpg = DDPG(1, 3)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    before = sess.run(ddpg.ct_params[-1])
    sess.run(ddpg.soft_replace)
    after = sess.run(ddpg.ct_params[-1])
