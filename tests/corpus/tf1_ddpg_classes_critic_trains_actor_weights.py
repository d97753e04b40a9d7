"""A TF1 actor-critic written as classes: the critic keeps the actor's action as its input and its optimizer has no var_list.

Silent: the critic's Adam step updates the actor's layer too (the actor is meant to move only
through its own chained policy gradient), so the policy drifts with every TD update.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(1)


class Actor(object):
    def __init__(self, s):
        with tf.variable_scope('actor'):
            self.w = tf.get_variable('w', [4, 2], initializer=tf.random_normal_initializer(0., 0.3))
            self.a = tf.tanh(tf.matmul(s, self.w))

    def add_policy_update(self, a_grads):
        grads = tf.gradients(ys=self.a, xs=[self.w], grad_ys=-a_grads)
        self.train_op = tf.train.GradientDescentOptimizer(0.01).apply_gradients(zip(grads, [self.w]))


class Critic(object):
    def __init__(self, s, r, a):
        self.a = a
        with tf.variable_scope('critic'):
            w_s = tf.get_variable('w_s', [4, 8], initializer=tf.random_normal_initializer(0., 0.3))
            w_a = tf.get_variable('w_a', [2, 8], initializer=tf.random_normal_initializer(0., 0.3))
            w_q = tf.get_variable('w_q', [8, 1], initializer=tf.random_normal_initializer(0., 0.3))
            self.q = tf.matmul(tf.nn.relu(tf.matmul(s, w_s) + tf.matmul(self.a, w_a)), w_q)
        self.loss = tf.reduce_mean(tf.squared_difference(r, self.q))
        self.train_op = tf.train.GradientDescentOptimizer(0.1).minimize(self.loss)  # expect: TL444
        self.a_grads = tf.gradients(self.q, a)[0]


S = tf.placeholder(tf.float32, [None, 4])
R = tf.placeholder(tf.float32, [None, 1])
actor = Actor(S)
critic = Critic(S, R, actor.a)
actor.add_policy_update(critic.a_grads)

rng = np.random.RandomState(1)
batch = {S: rng.randn(16, 4).astype(np.float32), R: rng.randn(16, 1).astype(np.float32)}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    before = sess.run(actor.w)
    sess.run(critic.train_op, feed_dict=batch)
    after = sess.run(actor.w)
