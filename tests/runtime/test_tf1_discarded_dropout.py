"""A TF1 graph dropout whose output nothing reads while its input reaches the loss by another way
(`h_drop = tf.nn.dropout(h, keep)`, then `h` read on): the network trains without that dropout,
a layer that takes no part. The run says so at the dropout's line; a dropout the graph reads, or
one on a branch the loss never sees, stays silent."""
from __future__ import annotations

PROGRAM = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 16])
y = tf.placeholder(tf.float32, [None, 1])
keep = tf.placeholder(tf.float32)
training = tf.placeholder_with_default(False, [])

w1 = tf.Variable(tf.random_normal([16, 32], stddev=0.1))
h1 = tf.nn.relu(tf.matmul(x, w1))
h1_drop = tf.nn.dropout(h1, keep)
w2 = tf.Variable(tf.random_normal([32, 32], stddev=0.1))
h2 = tf.nn.relu(tf.matmul(h1, w2))
h2 = tf.nn.dropout(h2, keep_prob=keep)
h3 = tf.layers.dense(h2, 32, activation=tf.nn.relu)
tf.layers.dropout(h3, rate=0.5, training=training)
out = tf.layers.dense(h3, 1)
side = tf.nn.dropout(tf.nn.relu(tf.matmul(x, w1) + 1.0), keep)
loss = tf.reduce_mean(tf.square(out - y))
train = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    xs = np.random.rand(8, 16).astype(np.float32)
    ys = np.random.rand(8, 1).astype(np.float32)
    sess.run(train, feed_dict={x: xs, y: ys, keep: 0.5, training: True})
"""

FIRST = "h1_drop = tf.nn.dropout(h1, keep)"
SECOND = "tf.layers.dropout(h3, rate=0.5, training=training)"


def line_of(text: str, code: str) -> int:
    return text.splitlines().index(code) + 1


def dropout_findings(report) -> list[int]:
    return sorted(d.line for d in report.diagnostics() if d.kind == "layer" and "dropout" in d.message)


def test_a_dropout_nothing_reads_is_said_at_its_line(tf_python, text_check):
    report = text_check(PROGRAM)
    assert report.status == "problems", report.message
    # the dropout the graph reads (`h2 = tf.nn.dropout(h2, ...)`) and the one on a branch the loss never
    # sees (`side`) say nothing
    assert dropout_findings(report) == [line_of(PROGRAM, FIRST), line_of(PROGRAM, SECOND)], \
        [(d.line, d.message) for d in report.diagnostics()]
    message = next(d.message for d in report.diagnostics() if d.line == line_of(PROGRAM, FIRST))
    assert "never read" in message and f"line {line_of(PROGRAM, 'train = tf.train.AdamOptimizer(0.01).minimize(loss)')}" \
        in message


def test_dropouts_the_network_reads_are_ok(tf_python, text_check):
    fixed = PROGRAM.replace("h2 = tf.nn.relu(tf.matmul(h1, w2))", "h2 = tf.nn.relu(tf.matmul(h1_drop, w2))") \
        .replace(SECOND, "h3 = " + SECOND)
    report = text_check(fixed)
    assert report.status == "ok", (report.message, [(d.line, d.message) for d in report.diagnostics()])
    assert dropout_findings(report) == []
