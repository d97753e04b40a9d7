"""A TF1 DDPG whose critic reads the actor's output and minimizes its TD loss without var_list.

Silent: minimize() trains every trainable variable the loss reaches, so each critic step also
moves the actor's weights toward the critic's target, fighting the policy-gradient update.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(0)
S = tf.placeholder(tf.float32, [None, 3])
R = tf.placeholder(tf.float32, [None, 1])
actor_w = tf.Variable(tf.random_normal([3, 2], stddev=0.3))
action = tf.tanh(tf.matmul(S, actor_w))
critic_ws = tf.Variable(tf.random_normal([3, 16], stddev=0.3))
critic_wa = tf.Variable(tf.random_normal([2, 16], stddev=0.3))
critic_out = tf.Variable(tf.random_normal([16, 1], stddev=0.3))
q = tf.matmul(tf.nn.relu(tf.matmul(S, critic_ws) + tf.matmul(action, critic_wa)), critic_out)
td_loss = tf.reduce_mean(tf.square(R - q))
critic_train = tf.train.AdamOptimizer(0.01).minimize(td_loss)  # expect: TL444
action_grads = tf.gradients(q, action)[0]
policy_grads = tf.gradients(action, [actor_w], grad_ys=-action_grads)
actor_train = tf.train.AdamOptimizer(0.001).apply_gradients(zip(policy_grads, [actor_w]))

rng = np.random.RandomState(0)
states, rewards = rng.randn(32, 3).astype(np.float32), rng.randn(32, 1).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    before = sess.run(actor_w)
    sess.run(critic_train, feed_dict={S: states, R: rewards})
    after = sess.run(actor_w)
