"""A TF1 actor-critic agent whose Polyak update pairs the policy's and the value network's variable lists in one zip.

Silent: zip stops at the policy's 4 variables, so the value network's fifth target variable is
never moved toward its online copy and keeps its initial value.
"""
# runtime: runs
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
POLYAK = 0.005


class Agent:
    def __init__(self, obs_size, act_size):
        self.obs_size, self.act_size = obs_size, act_size
        self.obs = tf.placeholder(tf.float32, [None, obs_size], "obs")
        self.next_obs = tf.placeholder(tf.float32, [None, obs_size], "next_obs")
        with tf.variable_scope("policy"):
            self.action = self.policy_net(self.obs, "online", True)
            next_action = self.policy_net(self.next_obs, "frozen", False)
        with tf.variable_scope("value"):
            self.value = self.value_net(self.obs, self.action, "online", True)
            self.next_value = self.value_net(self.next_obs, next_action, "frozen", False)
        policy_online = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="policy/online")
        policy_frozen = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="policy/frozen")
        value_online = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="value/online")
        value_frozen = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="value/frozen")
        pairs = zip(policy_frozen, policy_online, value_frozen, value_online)  # expect: TL448
        self.polyak = [tf.group(tf.assign(pf, POLYAK * po + (1 - POLYAK) * pf), tf.assign(vf, POLYAK * vo + (1 - POLYAK) * vf))
                       for pf, po, vf, vo in pairs]

    def policy_net(self, obs, name, trainable):
        with tf.variable_scope(name):
            hidden_w = tf.get_variable("hidden_w", [self.obs_size, 32], trainable=trainable)
            hidden_b = tf.get_variable("hidden_b", [32], trainable=trainable)
            out_w = tf.get_variable("out_w", [32, self.act_size], trainable=trainable)
            out_b = tf.get_variable("out_b", [self.act_size], trainable=trainable)
            hidden = tf.nn.relu(tf.matmul(obs, hidden_w) + hidden_b)
            return tf.tanh(tf.matmul(hidden, out_w) + out_b)

    def value_net(self, obs, action, name, trainable):
        with tf.variable_scope(name):
            obs_w = tf.get_variable("obs_w", [self.obs_size, 32], trainable=trainable)
            act_w = tf.get_variable("act_w", [self.act_size, 32], trainable=trainable)
            hidden_b = tf.get_variable("hidden_b", [32], trainable=trainable)
            out_w = tf.get_variable("out_w", [32, 1], trainable=trainable)
            out_b = tf.get_variable("out_b", [1], trainable=trainable)
            hidden = tf.nn.relu(tf.matmul(obs, obs_w) + tf.matmul(action, act_w) + hidden_b)
            return tf.matmul(hidden, out_w) + out_b


agent = Agent(3, 1)
last_frozen = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="value/frozen")[-1]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    before = sess.run(last_frozen)
    sess.run(agent.polyak)
    after = sess.run(last_frozen)
