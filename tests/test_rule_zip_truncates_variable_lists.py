"""TL448 zip-truncates-variable-lists: a `zip` over TF1 variable lists of different lengths (a soft
target update that zips the actor's and the critic's lists together). The variables of each
scope are counted through the methods and functions of the file that build the networks inside
`tf.variable_scope` blocks. Written as a class with `self` methods and `GLOBAL_VARIABLES`
collections, with `tf.compat.v1` and `trainable_variables(scope=...)`, and with concatenated
lists; and the look-alikes that stay silent: the concatenated fix, eval and target networks
built alike, layers made in a loop, a global collection read after an optimizer made its slots,
a scope that reaches into the layers' names, variables made where the count does not reach.
Each case marks its expected findings with `# expect: TL448`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

DDPG = """
    import numpy as np
    import tensorflow as tf

    TAU = 0.01

    class DDPG(object):
        def __init__(self, a_dim, s_dim):
            self.memory = np.zeros((100, s_dim * 2 + a_dim + 1), dtype=np.float32)
            self.sess = tf.Session()
            self.a_dim, self.s_dim = a_dim, s_dim
            self.S = tf.placeholder(tf.float32, [None, s_dim], 's')
            self.S_ = tf.placeholder(tf.float32, [None, s_dim], 's_')
            with tf.variable_scope('Actor'):
                self.a = self._build_a(self.S, scope='eval', trainable=True)
                a_ = self._build_a(self.S_, scope='target', trainable=False)
            with tf.variable_scope('Critic'):
                q = self._build_c(self.S, self.a, scope='eval', trainable=True)
                q_ = self._build_c(self.S_, a_, scope='target', trainable=False)
            self.ae_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Actor/eval')
            self.at_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Actor/target')
            self.ce_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Critic/eval')
            self.ct_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Critic/target')
            UPDATE
            self.ctrain = tf.train.AdamOptimizer(0.002).minimize(tf.reduce_mean(q), var_list=self.ce_params)

        def _build_a(self, s, scope, trainable):
            with tf.variable_scope(scope):
                net = tf.layers.dense(s, 30, activation=tf.nn.relu, name='l1', trainable=trainable)
                a = tf.layers.dense(net, self.a_dim, activation=tf.nn.tanh, name='a', trainable=trainable)
                return tf.multiply(a, 2.0, name='scaled_a')

        def _build_c(self, s, a, scope, trainable):
            with tf.variable_scope(scope):
                w1_s = tf.get_variable('w1_s', [self.s_dim, 30], trainable=trainable)
                w1_a = tf.get_variable('w1_a', [self.a_dim, 30], trainable=trainable)
                b1 = tf.get_variable('b1', [1, 30], trainable=trainable)
                net = tf.nn.relu(tf.matmul(s, w1_s) + tf.matmul(a, w1_a) + b1)
                return tf.layers.dense(net, 1, trainable=trainable)

    ddpg = DDPG(1, 3)
"""
ZIPPED = ("self.soft_replace = [[tf.assign(ta, (1 - TAU) * ta + TAU * ea), tf.assign(tc, (1 - TAU) * tc + TAU * ec)] "
          "for ta, ea, tc, ec in zip(self.at_params, self.ae_params, self.ct_params, self.ce_params)]  # expect: TL448")
CONCATENATED = ("self.soft_replace = [tf.assign(t, (1 - TAU) * t + TAU * e) "
                "for t, e in zip(self.at_params + self.ct_params, self.ae_params + self.ce_params)]")

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
    # -- silent ----------------------------------------------------------------------------
    "concatenated-fix": DDPG.replace("UPDATE", CONCATENATED),
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
    assert "`self.ct_params` (5), `self.ce_params` (5)" in f.message


def test_cli_reports_the_zip(tmp_path):
    path = tmp_path / "ddpg.py"
    path.write_text(textwrap.dedent(CASES["class-methods-global-collections"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "ddpg.py:23:" in run.stdout and "TL448" in run.stdout
