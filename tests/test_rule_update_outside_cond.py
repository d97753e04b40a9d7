"""TL423: a tf.cond branch depends (tf.control_dependencies) on an update op created outside
it. Under tf.compat.v1 such an op runs whichever branch is taken: the moving mean of a batch
norm moved from ~0.5 to ~50 after one run with phase_train False, and a step counter advanced on
evaluation runs (tests/corpus/tf1_*_outside_cond.py). The look-alikes make the update inside the
branch or use no cond."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL423",))

BUGS = {
    # the pkmital batch norm: control_flow_ops.cond inside a variable scope of a helper
    "ema-apply-in-a-helper": ("""
        import tensorflow as tf
        from tensorflow.python.ops import control_flow_ops

        def batch_norm(x, phase_train, scope='bn'):
            with tf.variable_scope(scope):
                batch_mean, batch_var = tf.nn.moments(x, [0, 1, 2], name='moments')
                ema = tf.train.ExponentialMovingAverage(decay=0.9)
                ema_apply_op = ema.apply([batch_mean, batch_var])
                ema_mean, ema_var = ema.average(batch_mean), ema.average(batch_var)

                def mean_var_with_update():
                    with tf.control_dependencies([ema_apply_op]):
                        return tf.identity(batch_mean), tf.identity(batch_var)
                mean, var = control_flow_ops.cond(phase_train, mean_var_with_update,
                                                  lambda: (ema_mean, ema_var))
            return tf.nn.batch_normalization(x, mean, var, None, None, 1e-3)
    """, [8]),
    # module level, keyword branches, an assign op
    "assign-with-keyword-branches": ("""
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 3])
        training = tf.placeholder(tf.bool, [])
        running = tf.Variable(tf.zeros([3]), trainable=False)
        update_running = tf.assign(running, 0.9 * running + 0.1 * tf.reduce_mean(x, 0))

        def train_branch():
            with tf.control_dependencies([update_running]):
                return tf.identity(x)

        def test_branch():
            return x - running

        out = tf.cond(training, true_fn=train_branch, false_fn=test_branch)
    """, [6]),
}

LOOKALIKES = {
    "update-made-inside-the-branch": """
        import tensorflow as tf

        def batch_norm(x, phase_train):
            batch_mean, batch_var = tf.nn.moments(x, [0])
            ema = tf.train.ExponentialMovingAverage(decay=0.9)

            def mean_var_with_update():
                ema_apply_op = ema.apply([batch_mean, batch_var])
                with tf.control_dependencies([ema_apply_op]):
                    return tf.identity(batch_mean), tf.identity(batch_var)
            return tf.cond(phase_train, mean_var_with_update,
                           lambda: (ema.average(batch_mean), ema.average(batch_var)))
    """,
    "dependency-on-a-value-not-an-update": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 3])
        flag = tf.placeholder(tf.bool, [])
        check = tf.debugging.assert_all_finite(x, 'bad input')

        def branch():
            with tf.control_dependencies([check]):
                return tf.identity(x)

        out = tf.cond(flag, branch, lambda: x)
    """,
    "update-outside-any-cond": """
        import tensorflow as tf

        loss = tf.reduce_sum(tf.Variable(tf.ones([2])))
        train_op = tf.train.AdamOptimizer().minimize(loss)
        with tf.control_dependencies([train_op]):
            report = tf.identity(loss)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_update_outside_the_branch_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("whichever branch is taken" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
