"""TL448 zip-truncates-variable-lists: a `zip` over TF1 variable lists of different lengths (a soft
target update that zips the actor's and the critic's lists together). The variables of each
scope are counted through the methods and functions of the file that build the networks inside
`tf.variable_scope` blocks. Written as a class with `self` methods and `GLOBAL_VARIABLES`
collections, with `tf.compat.v1` and `trainable_variables(scope=...)`, and with concatenated
lists, with the collection key and the scope bound to names first (in the function or at
module level), with the lists held in a dict (built as a literal, or filled key by key) and a
collection named by its string; and the look-alikes that stay silent: the concatenated fix, eval and target networks
built alike, layers made in a loop, a global collection read after an optimizer made its slots,
a scope that reaches into the layers' names, variables made where the count does not reach,
dict entries built alike, a key rebound in a branch or an entry stored under a computed key, a
module name that a parameter hides, lists extended with `+=` and swapped to equal lengths.
Each case marks its expected findings with `# expect: TL448`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

DDPG = """
    import tensorflow as tf

    RATE = 0.02

    class Learner:
        def __init__(self, n_act, n_obs):
            self.n_act, self.n_obs = n_act, n_obs
            self.obs_in = tf.placeholder(tf.float32, [None, n_obs], 'obs_in')
            self.obs_next = tf.placeholder(tf.float32, [None, n_obs], 'obs_next')
            with tf.variable_scope('pi'):
                self.pi = self.make_pi(self.obs_in, scope='main', trainable=True)
                pi_next = self.make_pi(self.obs_next, scope='targ', trainable=False)
            with tf.variable_scope('q'):
                q = self.make_q(self.obs_in, self.pi, scope='main', trainable=True)
                q_next = self.make_q(self.obs_next, pi_next, scope='targ', trainable=False)
            self.pi_main = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='pi/main')
            self.pi_targ = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='pi/targ')
            self.q_main = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='q/main')
            self.q_targ = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='q/targ')
            UPDATE
            self.q_step = tf.train.AdamOptimizer(1e-3).minimize(-tf.reduce_mean(q), var_list=self.q_main)

        def make_pi(self, obs, scope, trainable):
            with tf.variable_scope(scope):
                hidden = tf.layers.dense(obs, 64, activation=tf.nn.relu, name='hidden', trainable=trainable)
                return tf.layers.dense(hidden, self.n_act, activation=tf.nn.tanh, name='out', trainable=trainable)

        def make_q(self, obs, act, scope, trainable):
            with tf.variable_scope(scope):
                w_obs = tf.get_variable('w_obs', [self.n_obs, 64], trainable=trainable)
                w_act = tf.get_variable('w_act', [self.n_act, 64], trainable=trainable)
                bias = tf.get_variable('bias', [1, 64], trainable=trainable)
                hidden = tf.nn.relu(tf.matmul(obs, w_obs) + tf.matmul(act, w_act) + bias)
                return tf.layers.dense(hidden, 1, trainable=trainable)

    learner = Learner(2, 5)
"""
ZIPPED = ("self.sync = [[tf.assign(pt, (1 - RATE) * pt + RATE * pm), tf.assign(qt, (1 - RATE) * qt + RATE * qm)] "
          "for pt, pm, qt, qm in zip(self.pi_targ, self.pi_main, self.q_targ, self.q_main)]  # expect: TL448")
CONCATENATED = ("self.sync = [tf.assign(t, (1 - RATE) * t + RATE * m) "
                "for t, m in zip(self.pi_targ + self.q_targ, self.pi_main + self.q_main)]")

CASES = {
    "class-methods-global-collections": DDPG.replace("UPDATE", ZIPPED),
    "compat-v1-trainable-variables-deeper-eval-net": """
        import tensorflow.compat.v1 as tf

        def q_net(x, n_layers_literal_two):
            h = tf.layers.dense(x, 64, tf.nn.relu)
            h = tf.layers.dense(h, 64, tf.nn.relu)
            return tf.layers.dense(h, 4)

        def small_net(x):
            h = tf.layers.dense(x, 64, tf.nn.relu)
            return tf.layers.dense(h, 4)

        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("online"):
            q = q_net(x, 2)
        with tf.variable_scope("target"):
            q_t = small_net(x)
        sync = [tf.assign(t, o) for t, o in zip(tf.trainable_variables(scope="target"), tf.trainable_variables(scope="online"))]  # expect: TL448
    """,
    "concatenated-lists-one-missing": """
        import tensorflow as tf

        def build(s):
            with tf.variable_scope('pi'):
                h = tf.layers.dense(s, 32)
                pi = tf.layers.dense(h, 2)
            with tf.variable_scope('v'):
                v = tf.layers.dense(s, 1)
            with tf.variable_scope('old_pi'):
                h2 = tf.layers.dense(s, 32)
                old = tf.layers.dense(h2, 2)
            pi_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='pi')
            v_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='v')
            old_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='old_pi')
            return [o.assign(p) for p, o in zip(pi_vars + v_vars, old_vars)]  # expect: TL448
    """,
    "collection-key-bound-to-a-local-name": """
        import tensorflow.compat.v1 as tf

        def actor(s, trainable):
            h = tf.layers.dense(s, 30, tf.nn.relu, trainable=trainable)
            return tf.layers.dense(h, 1, tf.nn.tanh, trainable=trainable)

        def critic(s, a, trainable):
            h = tf.layers.dense(tf.concat([s, a], 1), 30, tf.nn.relu, trainable=trainable)
            h = tf.layers.dense(h, 30, tf.nn.relu, trainable=trainable)
            return tf.layers.dense(h, 1, trainable=trainable)

        def build(s, s2):
            with tf.variable_scope('actor'):
                with tf.variable_scope('online'):
                    a = actor(s, True)
                with tf.variable_scope('frozen'):
                    a2 = actor(s2, False)
            with tf.variable_scope('critic'):
                with tf.variable_scope('online'):
                    q = critic(s, a, True)
                with tf.variable_scope('frozen'):
                    q2 = critic(s2, a2, False)
            key = tf.GraphKeys.GLOBAL_VARIABLES
            a_on, a_off = tf.get_collection(key, 'actor/online'), tf.get_collection(key, 'actor/frozen')
            c_on = tf.get_collection(key, scope='critic/online')
            c_off = tf.get_collection(key, scope='critic/frozen')
            return [[x.assign(y), u.assign(v)] for x, y, u, v in zip(a_off, a_on, c_off, c_on)]  # expect: TL448
    """,
    "module-level-key-and-scope-names": """
        import tensorflow as tf

        WEIGHTS = tf.GraphKeys.TRAINABLE_VARIABLES
        ONLINE, TARGET = 'agent/online', 'agent/target'
        POLICY = 'policy'

        class Agent(object):
            def __init__(self, obs):
                with tf.variable_scope('agent'):
                    with tf.variable_scope('online'):
                        self.q = self.net(obs)
                    with tf.variable_scope('target'):
                        self.q_t = self.net(obs)
                with tf.variable_scope(POLICY):
                    self.pi = tf.layers.dense(obs, 4)
                online = tf.get_collection(WEIGHTS, scope=POLICY)
                target = tf.get_collection(WEIGHTS, scope='agent/target')
                self.sync = [tf.assign(t, o) for t, o in zip(target, online)]  # expect: TL448

            def net(self, x):
                h = tf.layers.dense(x, 64, tf.nn.relu)
                return tf.layers.dense(h, 4)
    """,
    "lists-held-in-a-dict": """
        import tensorflow as tf

        def mlp(x, sizes):
            h = tf.layers.dense(x, 64, tf.nn.relu)
            return tf.layers.dense(h, 2)

        def value(x):
            return tf.layers.dense(x, 1)

        def build(x):
            for_scope = {}
            with tf.variable_scope('main'):
                with tf.variable_scope('pi'):
                    pi = mlp(x, 2)
                with tf.variable_scope('v'):
                    v = value(x)
            with tf.variable_scope('targ'):
                with tf.variable_scope('pi'):
                    pi_t = mlp(x, 2)
            params = {'main': tf.global_variables(scope='main'), 'targ': tf.global_variables(scope='targ')}
            for_scope['v'] = tf.trainable_variables(scope='main/v')
            return tf.group([tf.assign(t, m) for t, m in zip(params['targ'], params["main"])])  # expect: TL448
    """,
    "dict-filled-key-by-key-and-collection-named-by-its-string": """
        import tensorflow as tf

        class Pair:
            def __init__(self, x):
                self.params = {}
                with tf.variable_scope('gen'):
                    g = tf.layers.dense(tf.layers.dense(x, 16), 16)
                with tf.variable_scope('gen_avg'):
                    g_avg = tf.layers.dense(x, 16)
                self.params['gen'] = tf.get_collection('trainable_variables', scope='gen/')
                self.params['avg'] = tf.get_collection('trainable_variables', scope='gen_avg')
                self.ema = [a.assign(0.99 * a + 0.01 * w) for a, w in zip(self.params['avg'], self.params['gen'])]  # expect: TL448
    """,
    # -- silent ----------------------------------------------------------------------------
    "concatenated-fix": DDPG.replace("UPDATE", CONCATENATED),
    "dict-of-lists-built-alike": """
        import tensorflow as tf

        def mlp(x):
            h = tf.layers.dense(x, 64, tf.nn.relu)
            return tf.layers.dense(h, 2)

        def build(x):
            with tf.variable_scope('main'):
                pi = mlp(x)
            with tf.variable_scope('targ'):
                pi_t = mlp(x)
            params = {'main': tf.global_variables(scope='main'), 'targ': tf.global_variables(scope='targ')}
            return tf.group([tf.assign(t, m) for t, m in zip(params['targ'], params['main'])])
    """,
    "key-rebound-in-a-branch-or-entry-by-a-computed-key": """
        import tensorflow as tf

        def build(x, all_vars, names):
            with tf.variable_scope('a'):
                h = tf.layers.dense(tf.layers.dense(x, 8), 8)
            with tf.variable_scope('b'):
                g = tf.layers.dense(x, 8)
            key = tf.GraphKeys.TRAINABLE_VARIABLES
            if all_vars:
                key = tf.GraphKeys.LOCAL_VARIABLES
            first = list(zip(tf.get_collection(key, 'a'), tf.get_collection(key, 'b')))
            lists = {'a': tf.trainable_variables(scope='a'), 'b': tf.trainable_variables(scope='a')}
            for name in names:
                lists[name] = tf.trainable_variables(scope=name)
            return first, list(zip(lists['a'], lists['b']))
    """,
    "module-name-bound-twice-and-lists-extended-to-match": """
        import tensorflow as tf

        SCOPE = 'small'

        def build(x, SCOPE='big'):
            with tf.variable_scope('big'):
                h = tf.layers.dense(tf.layers.dense(x, 8), 8)
            with tf.variable_scope('small'):
                g = tf.layers.dense(x, 8)
            with tf.variable_scope('extra'):
                e = tf.layers.dense(x, 8)
            big = tf.trainable_variables(scope='big')
            small = tf.trainable_variables(scope='small')
            small += tf.trainable_variables(scope='extra')
            first = list(zip(tf.trainable_variables(scope=SCOPE), big))
            small, big = big, small
            return first, list(zip(small, big))
    """,
    "eval-and-target-built-alike": """
        import tensorflow as tf

        def net(s, trainable):
            h = tf.layers.dense(s, 20, trainable=trainable)
            return tf.layers.dense(h, 2, trainable=trainable)

        def build(s, s_):
            with tf.variable_scope('eval_net'):
                q = net(s, True)
            with tf.variable_scope('target_net'):
                q_ = net(s_, False)
            e = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='eval_net')
            t = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='target_net')
            return [tf.assign(a, b) for a, b in zip(t, e)]
    """,
    "layers-made-in-a-loop": """
        import tensorflow as tf

        def build(s, sizes):
            with tf.variable_scope('a'):
                h = s
                for n in sizes:
                    h = tf.layers.dense(h, n)
            with tf.variable_scope('b'):
                g = tf.layers.dense(s, 4)
            return list(zip(tf.trainable_variables(scope='a'), tf.trainable_variables(scope='b')))
    """,
    "global-collection-after-optimizer-slots": """
        import tensorflow as tf

        def build(s):
            with tf.variable_scope('q'):
                q = tf.layers.dense(s, 2)
            with tf.variable_scope('q_next'):
                q_next = tf.layers.dense(s, 2)
            train = tf.train.AdamOptimizer(0.01).minimize(tf.reduce_mean(q))
            e = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='q')
            t = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='q_next')
            return [tf.assign(a, b) for a, b in zip(t, e)]
    """,
    "scope-into-layer-names-and-unreached-variables": """
        import tensorflow as tf

        extra = tf.get_variable('a_extra', [3])

        def build(s):
            with tf.variable_scope('a'):
                h = tf.layers.dense(s, 4, name='l1')
                h = tf.layers.dense(h, 4, name='l2')
            with tf.variable_scope('b'):
                g = tf.layers.dense(s, 4, name='l1')
            first = list(zip(tf.trainable_variables(scope='a/l1'), tf.trainable_variables(scope='b')))
            return first, list(zip(tf.trainable_variables(scope='a'), tf.trainable_variables(scope='b')))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_zip_truncates_variable_lists_written_several_ways(name):
    marked, found = marked_and_found("TL448", name, CASES[name])
    assert found == marked


def test_message_gives_the_lengths():
    f = only_finding("TL448", CASES["class-methods-global-collections"])
    assert "`zip` stops at the shortest list, 4 variables" in f.message
    assert "`self.q_targ` (5), `self.q_main` (5)" in f.message


def test_cli_reports_the_zip(tmp_path):
    path = tmp_path / "ddpg.py"
    path.write_text(textwrap.dedent(CASES["class-methods-global-collections"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "ddpg.py:20:" in run.stdout and "TL448" in run.stdout
