"""TL418: a TF1 run that executes a train op without feeding the training flag of the dropout or
batch normalization its loss is computed from. Under tf.compat.v1 (legacy Keras layers) a
`tf.layers.dropout(x, 0.5, training=flag)` with `flag = tf.placeholder_with_default(False, ())`
zeroes nothing when a run does not feed `flag`, and about half the units when it feeds True."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL418",))

BUGS = {
    # TF1 style, layers under name scopes, the train op fetched alone in a nested loop
    "dropout-name-scopes": ("""
        import tensorflow as tf

        X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
        y = tf.placeholder(tf.int32, shape=(None), name="y")
        training = tf.placeholder_with_default(False, shape=(), name='training')
        X_drop = tf.layers.dropout(X, 0.5, training=training)
        with tf.name_scope("dnn"):
            hidden1 = tf.layers.dense(X_drop, 300, activation=tf.nn.relu)
            logits = tf.layers.dense(hidden1, 10)
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        with tf.name_scope("train"):
            training_op = tf.train.MomentumOptimizer(0.01, momentum=0.9).minimize(loss)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(20):
                for X_batch, y_batch in batches():
                    sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
    """, [19]),
    # tf.compat.v1, batch normalization, a list of fetches and a feed dict bound to a name
    "compat-batchnorm-named-feed": ("""
        import tensorflow.compat.v1 as tf

        images = tf.placeholder(tf.float32, [None, 64])
        labels = tf.placeholder(tf.float32, [None, 1])
        is_training = tf.placeholder_with_default(False, shape=[])
        h = tf.layers.batch_normalization(tf.layers.dense(images, 32), training=is_training)
        pred = tf.layers.dense(tf.nn.relu(h), 1)
        mse = tf.losses.mean_squared_error(labels, pred)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            step = tf.train.AdamOptimizer(1e-3).minimize(mse)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for i in range(1000):
            feeds = {images: None, labels: None}
            _, cost = sess.run([step, mse], feeds)
    """, [15]),
    # the train op's own run(), gradients applied by hand
    "op-run-apply-gradients": ("""
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 10])
        t = tf.placeholder(tf.float32, [None, 1])
        train_mode = tf.placeholder_with_default(False, ())
        out = tf.layers.dense(tf.layers.dropout(tf.layers.dense(x, 64), rate=0.3, training=train_mode), 1)
        cost = tf.reduce_mean(tf.square(out - t))
        opt = tf.train.GradientDescentOptimizer(0.1)
        train = opt.apply_gradients(opt.compute_gradients(cost))
        with tf.Session().as_default():
            train.run(feed_dict={x: None, t: None})
    """, [11]),
}

LOOKALIKES = {
    "flag-fed-true": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder_with_default(False, shape=())
        h = tf.layers.dropout(tf.layers.dense(X, 8), 0.5, training=training)
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        with tf.Session() as sess:
            sess.run(train_op, feed_dict={X: None, training: True})
            print(sess.run(h, feed_dict={X: None}))
    """,
    "flag-defaults-to-true": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder_with_default(True, shape=())
        h = tf.layers.dropout(tf.layers.dense(X, 8), 0.5, training=training)
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        with tf.Session() as sess:
            sess.run(train_op, feed_dict={X: None})
    """,
    "feeds-unpacked-from-elsewhere": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder_with_default(False, shape=())
        h = tf.layers.dropout(tf.layers.dense(X, 8), 0.5, training=training)
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))
        with tf.Session() as sess:
            sess.run(train_op, feed_dict={X: None, **extra_feeds})
    """,
    "evaluation-run-only": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder_with_default(False, shape=())
        h = tf.layers.dropout(tf.layers.dense(X, 8), 0.5, training=training)
        loss = tf.reduce_mean(h ** 2)
        train_op = tf.train.AdamOptimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {X: None, training: True})
            print(sess.run(loss, {X: None}))
    """,
    "flag-rebound-by-a-later-graph": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 8])
        training = tf.placeholder_with_default(False, shape=())
        h = tf.layers.dropout(tf.layers.dense(X, 8), 0.5, training=training)
        tf.reset_default_graph()
        X = tf.placeholder(tf.float32, [None, 8])
        loss = tf.reduce_mean(tf.layers.dense(X, 1) ** 2)
        train_op = tf.train.AdamOptimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(train_op, {X: None})
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_train_run_without_training_flag_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("False" in f.message and "feed_dict" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
