"""Correct Keras and TF1 programs the check must not blame (see test_correct_programs_not_blamed.py).

- A TF1 graph's nodes found by their names (`sess.run(['train', 'cost:0'], feed_dict={'targets:0':
  y})`) are built, although no statement reads the names they are bound to; a helper whose
  `return` is inside `with tf.name_scope(...)` gives its value to the caller.
- Keras 2 code that Keras 3 refuses inside a model's own call (a TensorFlow function on the
  symbolic input in `compute_mask`) and a text folder that is not here are "could not check".
A real error of the same programs stays an error.
"""
from __future__ import annotations

import pytest

TF1_NAMED = """\
import numpy as np
import tensorflow as tf

g = tf.Graph()
with g.as_default():
    x = tf.placeholder(tf.float32, [None, 8], name='inputs')
    y = tf.placeholder(tf.float32, [None{label_axis}], name='targets')
    w = tf.Variable(tf.zeros([8, 1]))
    out = tf.reshape(tf.matmul(x, w), [-1{label_axis}])
    cost = tf.reduce_mean(tf.square(out - {target}), name='cost')
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost, name='train')

with tf.Session(graph=g) as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        batch_x, batch_y = np.random.rand(16, 8), np.random.rand({rows})
        _, c = sess.run(['train', 'cost:0'], feed_dict={{'inputs:0': batch_x, 'targets:0': batch_y}})
"""

TF1_SCOPED_HELPER = """\
import numpy as np
import tensorflow as tf


def dense(inputs, size, name, activation=tf.identity):
    with tf.name_scope(name):
        w = tf.Variable(tf.truncated_normal([inputs.get_shape().as_list()[1], size], stddev=0.1))
        b = tf.Variable(tf.zeros([size]))
        out = activation(tf.matmul(inputs, w) + b)
        return out


x = tf.placeholder(tf.float32, [None, 12])
y = tf.placeholder(tf.float32, [None, 3])
hidden = dense(x, {hidden}, 'hidden', activation=tf.nn.relu)
logits = dense(hidden, 3, 'logits')
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
step = tf.train.AdamOptimizer(0.01).minimize(cost)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(step, feed_dict={{x: np.random.rand(10, 12), y: np.eye(3)[np.random.randint(0, 3, {rows})]}})
"""


def errors(report):
    return [(d.line, d.message) for d in report.diagnostics() if d.severity == "error"]


@pytest.mark.parametrize("label_axis,target", [("", "y"), (", 1", "tf.identity(y)")], ids=["targets", "targets, a column"])
def test_graph_nodes_found_by_their_names_are_built(installed, text_check, label_axis, target):
    installed("tensorflow")
    rows = "16" if not label_axis else "16, 1"
    report = text_check(TF1_NAMED.format(label_axis=label_axis, target=target, rows=rows))
    assert not errors(report), errors(report)
    assert report.status == "ok", report.message
    assert any(c.get("method") == "run" and c.get("status") == "ok" and "'train'" in c.get("text", "") for c in report.calls)


def test_a_wrong_feed_by_name_is_still_an_error(installed, text_check):
    installed("tensorflow")
    report = text_check(TF1_NAMED.format(label_axis="", target="y", rows="16, 3"))
    assert any("targets" in msg or "shape" in msg for _, msg in errors(report)), errors(report)


def test_a_helper_returning_inside_a_name_scope(installed, text_check):
    installed("tensorflow")
    report = text_check(TF1_SCOPED_HELPER.format(hidden=20, rows=10))
    assert not errors(report), errors(report)
    assert report.status == "ok", report.message
    bad = text_check(TF1_SCOPED_HELPER.format(hidden=20, rows=7))  # 7 label rows for 10 inputs
    assert errors(bad), bad.message


KERAS_MASK = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Embedded(layers.Layer):
    def __init__(self, vocab, dim, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab, dim)

    def call(self, inputs):
        return self.embed(inputs)

    def compute_mask(self, inputs, mask=None):
        return {mask}


inputs = keras.Input(shape=(None,), dtype="int64")
x = Embedded(100, 16)(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(np.random.randint(1, 100, (64, 12)), np.random.randint(0, {classes}, 64), epochs=1, verbose=0)
"""


def test_keras2_mask_code_keras3_refuses_is_not_the_programs_error(installed, text_check):
    installed("tensorflow")
    report = text_check(KERAS_MASK.format(mask="tf.math.not_equal(inputs, 0)", classes=3))
    assert not errors(report), errors(report)
    assert report.status == "could-not-check" and "KerasTensor cannot be used" in report.message, report.message


def test_the_keras3_mask_runs_and_a_label_past_the_classes_is_an_error(installed, text_check):
    installed("tensorflow")
    ok = text_check(KERAS_MASK.format(mask="keras.ops.not_equal(inputs, 0)", classes=3))
    assert not errors(ok) and ok.status == "ok", (errors(ok), ok.message)
    bad = text_check(KERAS_MASK.format(mask="keras.ops.not_equal(inputs, 0)", classes=5))
    assert errors(bad), bad.message


TEXT_FOLDER = """\
import tensorflow as tf
from tensorflow import keras

dataset = keras.utils.text_dataset_from_directory(directory="aclImdb", label_mode=None, batch_size=32)
vectorize = keras.layers.TextVectorization(max_tokens=1000, output_sequence_length=20)
vectorize.adapt(dataset)
model = keras.Sequential([keras.Input((20,)), keras.layers.Embedding(1000, 8), keras.layers.GlobalAveragePooling1D(),
                          keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(dataset.map(lambda x: (vectorize(x), tf.zeros([tf.shape(x)[0], 1]))), epochs=1)
"""


def test_a_text_folder_that_is_not_here(installed, text_check):
    installed("tensorflow")
    report = text_check(TEXT_FOLDER)
    assert not errors(report), errors(report)
    assert "the data set is empty: the files it lists are not here" in report.to_markdown()


TF1_SHADOWED = """\
import numpy as np
import tensorflow as tf

X = tf.placeholder(tf.float32, shape=[None, 20])
z = tf.placeholder(tf.float32, shape=[None, 4])
E_W = tf.Variable(tf.random_normal([20, 4], stddev=0.1))
G_W = tf.Variable(tf.random_normal([4, 20], stddev=0.1))


G_b = tf.Variable(tf.zeros(shape=[20]))


def encoder(x):
    E_h = tf.nn.relu(tf.matmul(x, E_W))
    return E_h


def generator(z):
    G_h = tf.nn.relu(tf.matmul(z, G_W) + G_b)
    G_prob = tf.nn.sigmoid(G_h)
    return G_prob


G_sample = generator(z)
G_sample_reg = generator(encoder(X))
loss = tf.reduce_mean(tf.square(X - G_sample_reg)) + tf.reduce_mean(G_sample)
solver = tf.train.AdamOptimizer(1e-3).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
_, value = sess.run([solver, loss], feed_dict={{X: np.random.rand(8, 20), z: np.random.rand({rows}, 4)}})
"""


def test_a_function_parameter_named_like_a_placeholder(installed, text_check):
    installed("tensorflow")
    report = text_check(TF1_SHADOWED.format(rows=8))
    assert not errors(report), errors(report)
    assert report.status == "ok", report.message


TF1_RESTORED = """\
import numpy as np
import tensorflow as tf

X = tf.placeholder(tf.float32, shape=[None, 6])
W = tf.Variable(tf.zeros([6, 1]))
loss = tf.reduce_mean(tf.square(tf.matmul(X, W)))
step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, "./pretrained_{name}.ckpt")
    sess.run(step, feed_dict={{X: np.random.rand(4, 6)}})
"""


def test_a_checkpoint_saved_by_an_earlier_run_is_a_missing_file(installed, text_check):
    installed("tensorflow")
    report = text_check(TF1_RESTORED.format(name="layers"))
    assert not errors(report), errors(report)
    assert "a file the program reads is not here" in report.to_markdown()
