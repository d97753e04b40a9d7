"""TL419: TensorFlow ops built on every pass of a loop that runs a TF1 session. Under
tf.compat.v1 each pass of such a loop adds nodes to the default graph (the operation count grows
by the same amount per pass); the look-alikes build their ops once or start a fresh graph."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL419",))

BUGS = {
    # accuracy ops built per test batch, after a session run in the same loop
    "accuracy-per-batch": ("""
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [128, 784])
        w = tf.Variable(tf.zeros([784, 10]))
        logits = tf.matmul(X, w)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            total = 0
            for i in range(100):
                X_batch, Y_batch = next_batch()
                logits_batch = sess.run(logits, feed_dict={X: X_batch})
                preds = tf.nn.softmax(logits_batch)
                correct = tf.equal(tf.argmax(preds, 1), tf.argmax(Y_batch, 1))
                total += sess.run(tf.reduce_sum(tf.cast(correct, tf.float32)))
    """, [12, 13, 14]),
    # tf.compat.v1, a session made by assignment, a while loop assigning a new value each step
    "assign-in-while": ("""
        import tensorflow.compat.v1 as tf
        tf.disable_eager_execution()

        v = tf.Variable(0.0)
        sess = tf.InteractiveSession()
        sess.run(tf.global_variables_initializer())
        step = 0
        while step < 1000:
            sess.run(tf.assign(v, step * 0.5))
            step += 1
    """, [9]),
}

LOOKALIKES = {
    "ops-built-before-the-loop": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 784])
        Y = tf.placeholder(tf.float32, [None, 10])
        correct = tf.equal(tf.argmax(tf.layers.dense(X, 10), 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session() as sess:
            for i in range(100):
                print(sess.run(accuracy, feed_dict={X: None, Y: None}))
    """,
    "layers-built-in-a-loop-before-the-session": """
        import tensorflow as tf

        h = tf.placeholder(tf.float32, [None, 32])
        for units in [128, 64, 32]:
            h = tf.layers.dense(h, units, activation=tf.nn.relu)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(10):
                sess.run(h, feed_dict={})
    """,
    "fresh-graph-per-run": """
        import tensorflow as tf

        for lr in [0.1, 0.01, 0.001]:
            with tf.Graph().as_default():
                x = tf.Variable(3.0)
                train = tf.train.AdamOptimizer(lr).minimize(tf.square(x))
                with tf.Session() as sess:
                    sess.run(tf.global_variables_initializer())
                    sess.run(train)
    """,
    "eager-tf2-loop": """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
        for x, y in dataset:
            preds = tf.nn.softmax(model(x))
            acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(preds, 1), y), tf.float32))
    """,
    "numpy-in-the-session-loop": """
        import numpy as np
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 4])
        out = tf.layers.dense(X, 3)
        sess = tf.Session()
        for i in range(10):
            preds = np.argmax(sess.run(out, {X: np.ones((2, 4))}), 1)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_ops_built_in_a_session_loop_are_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("every pass" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
