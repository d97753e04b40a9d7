"""A TF1 block whose value nothing in the graph reads (the next layer is fed the block's input, so
the block is computed and skipped): its weights get no gradient, and the run says where the
block's value stops, at the line that made it, naming the lines of the layers that feed it. A
block the network reads on, and a head nothing trains that only a summary reads, say no such thing."""
from __future__ import annotations

import pytest

LAYERS = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 8, 8, 3])
y = tf.placeholder(tf.float32, [None, 1])

class Net:
    def __init__(self, x, y):
        with tf.variable_scope('net'):
            h1 = tf.layers.conv2d(x, 8, 3, padding='same')
            relu1 = tf.maximum(0.2 * h1, h1)
            h2 = tf.layers.conv2d(relu1, 8, 3, padding='same')
            bn2 = tf.layers.batch_normalization(h2, training=True)
            relu2 = tf.maximum(0.2 * bn2, bn2)
            h3 = tf.layers.conv2d(relu1, 8, 3, padding='same')
            flat = tf.reshape(h3, (-1, 8 * 8 * 8))
            self.out = tf.layers.dense(flat, 1)
        self.loss = tf.reduce_mean(tf.square(self.out - y))
        self.train = tf.train.AdamOptimizer(0.01).minimize(self.loss)

net = Net(x, y)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(net.train, feed_dict={x: np.random.rand(4, 8, 8, 3), y: np.random.rand(4, 1)})
"""

VARIABLES = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 16])
y = tf.placeholder(tf.float32, [None, 1])
w1 = tf.Variable(tf.random_normal([16, 32], stddev=0.1))
h1 = tf.nn.relu(tf.matmul(x, w1))
w2 = tf.Variable(tf.random_normal([32, 32], stddev=0.1))
b2 = tf.Variable(tf.zeros([32]))
h2 = tf.nn.relu(tf.matmul(h1, w2) + b2)
w3 = tf.Variable(tf.random_normal([32, 1], stddev=0.1))
out = tf.matmul(h1, w3)
loss = tf.reduce_mean(tf.square(out - y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train, feed_dict={x: np.random.rand(4, 16), y: np.random.rand(4, 1)})
"""


def line_of(text: str, code: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == code)


def ends(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if "is never read: nothing in the graph uses it" in d.message}


def test_a_skipped_block_of_tf_layers_is_said_where_its_value_stops(tf_python, text_check):
    report = text_check(LAYERS)
    found = ends(report)
    end = line_of(LAYERS, "relu2 = tf.maximum(0.2 * bn2, bn2)")
    assert list(found) == [end], [(d.line, d.message) for d in report.diagnostics()]
    conv, bn = line_of(LAYERS, "h2 = tf.layers.conv2d(relu1, 8, 3, padding='same')"), end - 1
    assert f"the layers that make it (lines {conv}, {bn}) get no gradient from the loss minimized at line " \
        f"{line_of(LAYERS, 'self.train = tf.train.AdamOptimizer(0.01).minimize(self.loss)')}" in found[end]


def test_a_skipped_matmul_of_plain_variables_is_said_where_its_value_stops(tf_python, text_check):
    report = text_check(VARIABLES)
    found = ends(report)
    end = line_of(VARIABLES, "h2 = tf.nn.relu(tf.matmul(h1, w2) + b2)")
    assert list(found) == [end], [(d.line, d.message) for d in report.diagnostics()]
    assert f"(lines {end - 2}, {end - 1})" in found[end]


@pytest.mark.parametrize("program,read_on", [
    (LAYERS, ("h3 = tf.layers.conv2d(relu1, 8, 3, padding='same')", "h3 = tf.layers.conv2d(relu2, 8, 3, padding='same')")),
    (VARIABLES, ("out = tf.matmul(h1, w3)", "out = tf.matmul(h2, w3)")),
])
def test_a_block_the_network_reads_on_says_nothing(tf_python, text_check, program, read_on):
    report = text_check(program.replace(*read_on))
    assert ends(report) == {}, [(d.line, d.message) for d in report.diagnostics()]
    assert not [d for d in report.diagnostics() if d.kind == "gradient"], [(d.line, d.message) for d in report.diagnostics()]


def test_an_untrained_head_read_by_a_summary_is_no_dead_end(tf_python, text_check):
    # the head gets no gradient (said at the minimize line), but its value is summarized, so it
    # does not stop unread
    program = VARIABLES.replace("h2 = tf.nn.relu(tf.matmul(h1, w2) + b2)",
                                "h2 = tf.nn.relu(tf.matmul(h1, w2) + b2)\ntf.summary.histogram('h2', h2)")
    report = text_check(program)
    assert ends(report) == {}, [(d.line, d.message) for d in report.diagnostics()]
    assert any(d.kind == "gradient" and "received no gradient" in d.message for d in report.diagnostics())


# the program differentiates the skipped block itself (a probe of its sensitivity), its gradient
# ops named otherwise than "gradients": they read the block's values without computing the
# network, so the block's value still stops where it was made
@pytest.mark.parametrize("probe", [
    "probe = tf.gradients(h2, w2, name='sensitivity')",
    "with tf.name_scope('analysis'):\n    probe = tf.gradients(h2, w2)",
    "probe = [g for g, v in tf.train.GradientDescentOptimizer(0.1).compute_gradients(h2, [w2])]",
])
def test_the_programs_own_gradient_ops_are_no_readers_whatever_their_name(tf_python, text_check, probe):
    program = VARIABLES.replace("out = tf.matmul(h1, w3)", f"out = tf.matmul(h1, w3)\n{probe}") \
        + "    sess.run(probe, feed_dict={x: np.random.rand(4, 16)})\n"
    report = text_check(program)
    found = ends(report)
    end = line_of(program, "h2 = tf.nn.relu(tf.matmul(h1, w2) + b2)")
    assert end in found and all(line <= end for line in found), [(d.line, d.message) for d in report.diagnostics()]

