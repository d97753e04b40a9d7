"""A TF1 DDPG critic that reads the action through tf.stop_gradient and then asks for dQ/da of the unstopped action.

Silent: tf.gradients returns [None] for the action, and the actor's update built with grad_ys=None
follows the gradient of the sum of its own outputs instead of the critic's Q.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
state = tf.placeholder(tf.float32, [None, 3])
actor_w = tf.Variable(tf.random_normal([3, 2], stddev=0.3))
action = tf.tanh(tf.matmul(state, actor_w))
critic_w = tf.Variable(tf.random_normal([5, 1], stddev=0.3))
q = tf.matmul(tf.concat([state, tf.stop_gradient(action)], axis=1), critic_w)
a_grads = tf.gradients(q, action)[0]  # expect: TL402
policy_grads = tf.gradients(action, [actor_w], grad_ys=a_grads)
actor_train = tf.train.GradientDescentOptimizer(0.01).apply_gradients(zip(policy_grads, [actor_w]))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(actor_train, feed_dict={state: np.ones((4, 3), dtype=np.float32)})
