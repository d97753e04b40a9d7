"""TF1 recurrent cells (`tf.contrib.rnn`, `tf.nn.rnn_cell`) in graph programs under TensorFlow 2:
both paths are gone or need Keras 2 there, and the check rebuilds them on `get_variable`. A bug
in the program's sizes fails at its line; a correct program runs its training step and is ok."""
from __future__ import annotations

STACKED = """\
import numpy as np
import tensorflow as tf

inputs_ = tf.placeholder(tf.float32, [None, 20, 300], name="inputs")
labels_ = tf.placeholder(tf.float32, [None, 1], name="labels")
keep_prob = tf.placeholder(tf.float32, name="keep_prob")
lstm = tf.contrib.rnn.BasicLSTMCell(64)
drop = tf.contrib.rnn.DropoutWrapper(lstm, output_keep_prob=keep_prob)
cell = tf.contrib.rnn.MultiRNNCell([drop] * 2)
initial_state = cell.zero_state(8, tf.float32)
outputs, final_state = tf.nn.dynamic_rnn(cell, inputs_, initial_state=initial_state)
predictions = tf.contrib.layers.fully_connected(outputs[:, -1], 1, activation_fn=tf.sigmoid)
cost = tf.losses.mean_squared_error(labels_, predictions)
optimizer = tf.train.AdamOptimizer(0.001).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    x = np.random.rand(8, 20, 300).astype(np.float32)
    y = np.random.randint(0, 2, size=(8, 1)).astype(np.float32)
    sess.run(optimizer, feed_dict={inputs_: x, labels_: y, keep_prob: 0.5})
"""


def test_one_cell_stacked_twice_fails_at_the_rnn_line(tf_python, text_check):
    # the cell's weights are made for 300-wide inputs; its second use gets 64-wide ones
    report = text_check(STACKED)
    assert report.status == "errors", report.message
    errors = [d for d in report.diagnostics() if d.severity == "error"]
    assert errors and errors[0].line == 11, [(d.line, d.message) for d in report.diagnostics()]
    assert any("tf.contrib.rnn cells rebuilt" in n for n in report.notes)


def test_a_new_cell_per_layer_is_ok(tf_python, text_check):
    fixed = STACKED.replace(
        "cell = tf.contrib.rnn.MultiRNNCell([drop] * 2)",
        "cell = tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.BasicLSTMCell(64),"
        " output_keep_prob=keep_prob) for _ in range(2)])")
    report = text_check(fixed)
    assert report.status == "ok", report.message
    step = next(c for c in report.calls if c.get("minimized"))
    assert step["loss"]["shape"] == [] and step["gradients"]["no_grad"] == []


RNN_CELL_PATH = """\
import numpy as np
import tensorflow as tf
from tensorflow.contrib.rnn import GRUCell, LSTMStateTuple

X = tf.placeholder(tf.float32, [None, 28, 28])
y = tf.placeholder(tf.int64, [None])
cell = tf.nn.rnn_cell.LSTMCell(32, use_peepholes=True, num_proj=16)
outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
gru_out, gru_state = tf.nn.dynamic_rnn(GRUCell(16), outputs, dtype=tf.float32, scope="gru")
logits = tf.layers.dense(gru_state, 10)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer().minimize(loss)

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    sess.run(train_op, feed_dict={X: np.random.rand(4, 28, 28), y: np.arange(4)})
"""


def test_rnn_cell_path_lstm_with_projection_and_gru_is_ok(tf_python, text_check):
    report = text_check(RNN_CELL_PATH)
    assert report.status == "ok", report.message
    step = next(c for c in report.calls if c.get("minimized"))
    assert step["gradients"]["no_grad"] == []


def test_rnn_cell_path_state_is_a_tuple_and_its_misuse_fails_at_its_line(tf_python, text_check):
    # an LSTM's final state is (c, h): a dense layer on the tuple stacks c and h into a [2, batch, 16]
    # input, and the labels of a batch no longer match the logits
    bad = RNN_CELL_PATH.replace("logits = tf.layers.dense(gru_state, 10)",
                                "lstm_last = states\nlogits = tf.layers.dense(tf.stack(lstm_last), 10)")
    report = text_check(bad)
    assert report.status == "errors", report.message
    assert any(d.severity == "error" and d.line in (11, 12) for d in report.diagnostics()), \
        [(d.line, d.message) for d in report.diagnostics()]


STATIC = """\
import numpy as np
import tensorflow as tf
from tensorflow.contrib import rnn

x = tf.placeholder("float", [None, 28, 28])
y = tf.placeholder("float", [None, 10])
weights = tf.Variable(tf.random_normal([128, 10]))
inputs = tf.unstack(x, 28, 1)
lstm_cell = rnn.BasicLSTMCell(128, forget_bias=1.0)
outputs, states = rnn.static_rnn(lstm_cell, inputs, dtype=tf.float32)
logits = tf.matmul(outputs[-1], weights)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, feed_dict={x: np.random.rand(5, 28, 28), y: np.eye(10)[np.arange(5)]})
"""


def test_static_rnn_from_contrib_import_is_ok(tf_python, text_check):
    report = text_check(STATIC)
    assert report.status == "ok", report.message


def test_static_rnn_output_width_mismatch_fails_at_the_matmul(tf_python, text_check):
    report = text_check(STATIC.replace("rnn.BasicLSTMCell(128,", "rnn.BasicLSTMCell(64,"))
    assert report.status == "errors", report.message
    assert any(d.severity == "error" and d.line == 11 for d in report.diagnostics()), \
        [(d.line, d.message) for d in report.diagnostics()]
