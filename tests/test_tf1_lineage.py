"""What a TF1 graph tensor is computed from (`tensorlint.lineage`) and the checks it enables:
`tf.gradients(ys, xs)` where ys reads a source only through `tf.stop_gradient` (TL402), and a
`minimize(loss)` without `var_list` whose loss reads the output of a network updated with its own
chained gradients (TL444), and a target branch behind `tf.stop_gradient` that reads a placeholder
while another, declared alike and fed in the same run, is used by no op (TL445), written
the ways programs write it (functions, classes, `tf.compat.v1`, layer functions and hand-made
variables), and the correct look-alikes that must stay silent. Each case runs the command
line on a file; `# expect: CODE` marks the lines that must be flagged, every other line must
stay silent for the codes of this file."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main
from test_variants import _expected

CODES = {"TL402", "TL444", "TL445"}

CASES = {
    "stopped-input-module-level": """
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [None, 4])
        a = tf.placeholder(tf.float32, [None, 2])
        w = tf.get_variable("w", [6, 1])
        inp = tf.concat([x, tf.stop_gradient(a)], axis=1)
        q = tf.matmul(inp, w)
        g = tf.gradients(q, a)[0]  # expect: TL402
    """,
    "stopped-actor-output-through-function": """
        import tensorflow as tf

        def critic(s, a):
            h = tf.layers.dense(s, 30, activation=tf.nn.relu) + tf.layers.dense(a, 30)
            return tf.layers.dense(h, 1)

        s = tf.placeholder(tf.float32, [None, 3])
        act = tf.layers.dense(s, 2, activation=tf.nn.tanh)
        q = critic(s, tf.stop_gradient(act))
        a_grads = tf.gradients(q, act)[0]  # expect: TL402
    """,
    "stopped-input-in-class": """
        import tensorflow as tf

        class Critic(object):
            def __init__(self, s, a):
                self.a = tf.stop_gradient(a)
                self.q = self.build(s, self.a)
                self.a_grads = tf.gradients(ys=self.q, xs=a)[0]  # expect: TL402

            def build(self, s, a):
                w_s = tf.get_variable('w_s', [3, 16])
                w_a = tf.get_variable('w_a', [2, 16])
                net = tf.nn.relu(tf.matmul(s, w_s) + tf.matmul(a, w_a))
                return tf.layers.dense(net, 1)

        S = tf.placeholder(tf.float32, [None, 3])
        A = tf.layers.dense(S, 2)
        critic = Critic(S, A)
    """,
    "critic-step-moves-actor-in-classes": """
        import tensorflow as tf

        class Actor(object):
            def __init__(self, s):
                with tf.variable_scope('actor'):
                    h = tf.layers.dense(s, 30, activation=tf.nn.relu)
                    self.a = tf.layers.dense(h, 2, activation=tf.nn.tanh)
                self.params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='actor')

            def add_grad_to_graph(self, a_grads):
                self.policy_grads = tf.gradients(ys=self.a, xs=self.params, grad_ys=a_grads)
                self.train_op = tf.train.AdamOptimizer(-1e-3).apply_gradients(zip(self.policy_grads, self.params))

        class Critic(object):
            def __init__(self, s, r, a):
                self.a = a
                w_s = tf.get_variable('w_s', [3, 30])
                w_a = tf.get_variable('w_a', [2, 30])
                net = tf.nn.relu(tf.matmul(s, w_s) + tf.matmul(self.a, w_a))
                self.q = tf.layers.dense(net, 1)
                self.loss = tf.reduce_mean(tf.squared_difference(r, self.q))
                self.train_op = tf.train.AdamOptimizer(1e-3).minimize(self.loss)  # expect: TL444
                self.a_grads = tf.gradients(self.q, a)[0]

        def build_agent(state_dim):
            states = tf.placeholder(tf.float32, [None, state_dim])
            actor = Actor(states)
            critic = Critic(states, tf.placeholder(tf.float32, [None, 1]), actor.a)
            actor.add_grad_to_graph(critic.a_grads)
            return actor, critic

        agent = build_agent(3)
    """,
    "critic-step-moves-actor-chained-first": """
        import tensorflow.compat.v1 as tf
        s = tf.placeholder(tf.float32, [None, 3])
        r = tf.placeholder(tf.float32, [None, 1])
        a_grad_in = tf.placeholder(tf.float32, [None, 2])
        w1 = tf.Variable(tf.random_normal([3, 2]))
        act = tf.tanh(tf.matmul(s, w1))
        actor_grads = tf.gradients(act, [w1], a_grad_in)
        q = tf.layers.dense(tf.concat([s, act], 1), 1)
        critic_loss = tf.reduce_mean(tf.square(r - q))
        critic_train = tf.train.GradientDescentOptimizer(0.01).minimize(critic_loss)  # expect: TL444
    """,
    "dqn-target-net-on-current-state-in-class": """
        import numpy as np
        import tensorflow as tf

        class DQN(object):
            def __init__(self, n_features, n_actions):
                self.s = tf.placeholder(tf.float32, [None, n_features], name='s')
                self.s_ = tf.placeholder(tf.float32, [None, n_features], name='s_')
                self.r = tf.placeholder(tf.float32, [None, ], name='r')
                self.a = tf.placeholder(tf.int32, [None, ], name='a')
                with tf.variable_scope('eval_net'):
                    e1 = tf.layers.dense(self.s, 20, tf.nn.relu)
                    self.q_eval = tf.layers.dense(e1, n_actions)
                with tf.variable_scope('target_net'):
                    t1 = tf.layers.dense(self.s, 20, tf.nn.relu)  # expect: TL445
                    self.q_next = tf.layers.dense(t1, n_actions)
                q_target = self.r + 0.9 * tf.reduce_max(self.q_next, axis=1)
                self.q_target = tf.stop_gradient(q_target)
                a_indices = tf.stack([tf.range(tf.shape(self.a)[0], dtype=tf.int32), self.a], axis=1)
                self.q_eval_wrt_a = tf.gather_nd(params=self.q_eval, indices=a_indices)
                self.loss = tf.reduce_mean(tf.squared_difference(self.q_target, self.q_eval_wrt_a))
                self.train_op = tf.train.RMSPropOptimizer(0.01).minimize(self.loss)
                self.sess = tf.Session()

            def learn(self, batch):
                _, cost = self.sess.run([self.train_op, self.loss], feed_dict={
                    self.s: batch[:, :4], self.a: batch[:, 4], self.r: batch[:, 5], self.s_: batch[:, -4:]})
                return cost

        agent = DQN(4, 2)
        agent.learn(np.zeros((32, 10)))
    """,
    "dqn-weights-dict-target-on-current-state": """
        import numpy as np
        import tensorflow.compat.v1 as tf

        online = {'h': tf.Variable(tf.random_normal([4, 16])), 'out': tf.Variable(tf.random_normal([16, 2]))}
        target_net = {'h': tf.Variable(tf.random_normal([4, 16])), 'out': tf.Variable(tf.random_normal([16, 2]))}
        obs = tf.placeholder(tf.float32, [None, 4])
        next_obs = tf.placeholder(tf.float32, [None, 4])
        rew = tf.placeholder(tf.float32, [None])
        hidden = tf.nn.relu(tf.matmul(obs, online['h']))
        q = tf.matmul(hidden, online['out'])
        hidden_tp1 = tf.nn.relu(tf.matmul(obs, target_net['h']))  # expect: TL445
        target = tf.stop_gradient(rew + 0.99 * tf.reduce_max(tf.matmul(hidden_tp1, target_net['out']), 1))
        loss = tf.reduce_mean(tf.square(target - tf.reduce_max(q, 1)))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        sess = tf.Session()
        feed = {obs: np.zeros((8, 4)), next_obs: np.zeros((8, 4)), rew: np.zeros(8)}
        sess.run(train, feed_dict=feed)
    """,
    # -- look-alikes that must stay silent ---------------------------------------------------
    "ok-dqn-target-net-on-next-state": """
        import numpy as np
        import tensorflow.compat.v1 as tf

        def q_net(x, scope):
            with tf.variable_scope(scope):
                w = tf.get_variable('w', [4, 2])
                return tf.matmul(x, w)

        obs = tf.placeholder(tf.float32, [None, 4])
        next_obs = tf.placeholder(tf.float32, [None, 4])
        rew = tf.placeholder(tf.float32, [None])
        q = q_net(obs, 'online')
        y = rew + 0.99 * tf.stop_gradient(tf.reduce_max(q_net(next_obs, 'target'), 1))
        loss = tf.reduce_mean(tf.square(y - tf.reduce_max(q, 1)))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        sess = tf.Session()
        sess.run(train, feed_dict={obs: np.zeros((8, 4)), next_obs: np.zeros((8, 4)), rew: np.zeros(8)})
    """,
    "ok-next-state-read-by-another-op": """
        import numpy as np
        import tensorflow.compat.v1 as tf
        obs = tf.placeholder(tf.float32, [None, 4])
        next_obs = tf.placeholder(tf.float32, [None, 4])
        w = tf.get_variable('w', [4, 2])
        q = tf.matmul(obs, w)
        q_next_eval = tf.matmul(next_obs, w)
        y = tf.stop_gradient(tf.reduce_max(tf.matmul(obs, w), 1))
        loss = tf.reduce_mean(tf.square(y - tf.reduce_max(q, 1)))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        sess = tf.Session()
        sess.run(train, feed_dict={obs: np.zeros((8, 4)), next_obs: np.zeros((8, 4))})
    """,
    "ok-unused-placeholder-declared-otherwise": """
        import numpy as np
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [None, 4])
        keep_prob = tf.placeholder(tf.float32)
        w = tf.get_variable('w', [4, 1])
        pred = tf.matmul(x, w)
        target = tf.stop_gradient(tf.matmul(x, w) * 0.5)
        loss = tf.reduce_mean(tf.square(target - pred))
        train = tf.train.AdamOptimizer().minimize(loss)
        sess = tf.Session()
        sess.run(train, feed_dict={x: np.zeros((8, 4)), keep_prob: 0.5})
    """,
    "ok-critic-reads-stopped-action": """
        import tensorflow.compat.v1 as tf
        s = tf.placeholder(tf.float32, [None, 3])
        r = tf.placeholder(tf.float32, [None, 1])
        act = tf.layers.dense(s, 2, activation=tf.nn.tanh)
        q = tf.layers.dense(tf.concat([s, tf.stop_gradient(act)], 1), 1)
        critic_train = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(r - q)))
        q_for_actor = tf.layers.dense(tf.concat([s, act], 1), 1, name='q2')
        actor_grads = tf.gradients(act, tf.trainable_variables(), grad_ys=tf.gradients(q_for_actor, act)[0])
    """,
    "ok-critic-step-names-its-variables": """
        import tensorflow.compat.v1 as tf
        s = tf.placeholder(tf.float32, [None, 3])
        r = tf.placeholder(tf.float32, [None, 1])
        act = tf.layers.dense(s, 2, activation=tf.nn.tanh, name='actor')
        q = tf.layers.dense(tf.concat([s, act], 1), 1, name='critic')
        c_vars = [v for v in tf.trainable_variables() if v.name.startswith('critic')]
        critic_train = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(r - q)), var_list=c_vars)
        actor_grads = tf.gradients(act, tf.trainable_variables(), grad_ys=tf.gradients(q, act)[0])
    """,
    "ok-joint-loss-and-clipped-gradients": """
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        h = tf.layers.dense(x, 8)
        recon = tf.reduce_mean(tf.square(tf.layers.dense(h, 3) - x))
        pred = tf.reduce_mean(tf.square(tf.layers.dense(h, 1) - y))
        grads, _ = tf.clip_by_global_norm(tf.gradients(recon, tf.trainable_variables()), 5.0)
        train = tf.train.AdamOptimizer().minimize(recon + pred)
    """,
    "ok-gan-with-var-lists": """
        import tensorflow as tf

        def generator(z):
            with tf.variable_scope('gen'):
                return tf.layers.dense(tf.layers.dense(z, 16, tf.nn.relu), 4)

        def discriminator(x, reuse=False):
            with tf.variable_scope('disc', reuse=reuse):
                return tf.layers.dense(tf.layers.dense(x, 16, tf.nn.relu), 1)

        z = tf.placeholder(tf.float32, [None, 2])
        real = tf.placeholder(tf.float32, [None, 4])
        fake = generator(z)
        d_real, d_fake = discriminator(real), discriminator(fake, reuse=True)
        d_loss = -tf.reduce_mean(tf.log(tf.sigmoid(d_real)) + tf.log(1 - tf.sigmoid(d_fake)))
        g_loss = -tf.reduce_mean(tf.log(tf.sigmoid(d_fake)))
        t_vars = tf.trainable_variables()
        d_train = tf.train.AdamOptimizer().minimize(d_loss, var_list=[v for v in t_vars if 'disc' in v.name])
        g_train = tf.train.AdamOptimizer().minimize(g_loss, var_list=[v for v in t_vars if 'gen' in v.name])
    """,
    "ok-gradient-of-the-stopped-tensor": """
        import tensorflow as tf

        def q_value(state, action):
            joined = tf.concat([state, action], axis=-1)
            return tf.layers.dense(tf.nn.relu(tf.layers.dense(joined, 64)), 1)

        s = tf.placeholder(tf.float32, [None, 3])
        stopped = tf.stop_gradient(tf.layers.dense(s, 2, activation=tf.nn.tanh))
        a_grads = tf.gradients(q_value(s, stopped), stopped)[0]
    """,
    "ok-stop-gradient-only-on-the-target": """
        import tensorflow as tf

        def critic(s, a):
            h = tf.layers.dense(s, 30, activation=tf.nn.relu) + tf.layers.dense(a, 30)
            return tf.layers.dense(h, 1)

        s = tf.placeholder(tf.float32, [None, 3])
        r = tf.placeholder(tf.float32, [None, 1])
        act = tf.layers.dense(s, 2, activation=tf.nn.tanh)
        target = tf.stop_gradient(r + 0.9 * critic(s, act))
        loss = tf.reduce_mean(tf.square(target - critic(s, act)))
        grads = tf.gradients(loss, act)
        grads_list = tf.gradients(critic(s, act), [act])
    """,
    "ok-input-read-both-ways": """
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [None, 4])
        w = tf.Variable(tf.zeros([4, 1]))
        y = tf.matmul(x, w) + tf.stop_gradient(x[:, :1])
        g = tf.gradients(y, x)
    """,
    "ok-unknown-op-on-the-way": """
        import tensorflow as tf
        import mystery
        x = tf.placeholder(tf.float32, [None, 4])
        h = mystery.transform(tf.stop_gradient(x), x)
        y = tf.reduce_sum(tf.layers.dense(h, 1))
        g = tf.gradients(y, x)
    """,
}


def _findings(tmp_path, text: str) -> set:
    path = tmp_path / "prog.py"
    path.write_text(text)
    out = tmp_path / "out.json"
    try:
        main(["check", "--no-cache", "--output-format", "json", "--output-file", str(out), str(path)])
    except SystemExit:
        pass
    return {(f["code"], f["location"]["row"]) for f in json.loads(out.read_text()) if f["code"] in CODES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tf1_lineage(tmp_path, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    assert _findings(tmp_path, text) == _expected(text)
