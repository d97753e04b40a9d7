"""The shape check on TensorFlow programs written the way real ones are: TF1 graphs with sessions,
the MNIST helper and tf.contrib; Keras 2 code; keras.datasets loaders without a network; custom
loops with GradientTape. Each run imports tensorflow (seconds): the programs cover several
items at once."""
from __future__ import annotations

TF1_GRAPH = """\
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
from tensorflow.contrib.layers import fully_connected
from tensorflow.contrib.framework import arg_scope

mnist = input_data.read_data_sets("/tmp/data/")
X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
y = tf.placeholder(tf.int64, shape=(None), name="y")
with tf.name_scope("dnn"):
    with arg_scope([fully_connected], weights_regularizer=tf.contrib.layers.l1_regularizer(0.01)):
        hidden1 = fully_connected(X, 100, scope="hidden1")
        unused = tf.layers.dense(X, 50, name="unused")
        logits = fully_connected(hidden1, 10, activation_fn=None, scope="outputs")
with tf.name_scope("loss"):
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    base_loss = tf.reduce_mean(xentropy)
    loss = tf.add(base_loss, reg_losses)
training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
init = tf.global_variables_initializer()

with tf.Session() as sess:
    init.run()
    for epoch in range(10):
        for iteration in range(mnist.train.num_examples // 50):
            X_batch, y_batch = mnist.train.next_batch(50)
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
"""


def test_tf1_graph_step_runs_and_minimize_shows_a_vector_loss_and_an_untrained_layer(tf_python, text_check):
    report = text_check(TF1_GRAPH)
    step = report.call(28, "forward")
    assert step["status"] == "ok" and step["model_type"] == "Session"
    # fed from the MNIST helper's synthetic batches: 50 images of 784 floats, 50 labels
    assert step["inputs"] == [{"shape": [50, 784], "dtype": "float32"}, {"shape": [50], "dtype": "uint8"}]
    assert any("read_data_sets() gave synthetic data" in n for n in report.notes)
    assert report.status == "problems"
    found = {(d.line, d.kind) for d in report.diagnostics()}
    assert (19, "loss") in found  # tf.add(base_loss, reg_losses): a vector of 2, made at line 19
    assert (13, "gradient") in found  # the `unused` layer is trained by nothing
    messages = " ".join(d.message for d in report.diagnostics())
    assert "has shape [2], not a scalar" in messages


def test_tf1_graph_fixed_version_is_ok(tf_python, text_check):
    fixed = TF1_GRAPH.replace("        unused = tf.layers.dense(X, 50, name=\"unused\")\n", "") \
        .replace("tf.add(base_loss, reg_losses)", "tf.add_n([base_loss] + reg_losses)")
    report = text_check(fixed)
    assert report.status == "ok", report.message
    loss = next(c for c in report.calls if c.get("minimized"))
    assert loss["loss"]["shape"] == [] and loss["gradients"]["no_grad"] == []


KERAS_DATASETS = """\
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
model = keras.Sequential([layers.Dense(32, activation="relu", input_shape=(784,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=2)

(c_train, c_labels), _ = keras.datasets.cifar10.load_data()
binary = keras.Sequential([layers.Flatten(input_shape=(32, 32, 3)), layers.Dense(1, activation="sigmoid")])
binary.compile(optimizer="adam", loss="binary_crossentropy")
binary.fit(c_train / 255.0, c_labels, epochs=2)
"""


def test_keras_datasets_are_synthesized_offline_with_their_shapes_and_label_ranges(tf_python, text_check):
    report = text_check(KERAS_DATASETS)
    assert any("mnist.load_data() gave synthetic data (x_train [60000, 28, 28], y_train [60000])" in n
               for n in report.notes)
    assert report.status == "errors"
    diagnostics = report.diagnostics()
    # integer labels with categorical_crossentropy: the fit fails, and the compile line is named
    errors = {d.line for d in diagnostics if d.severity == "error"}
    assert {7, 8} <= errors
    # CIFAR-10's labels 0-9 with binary cross-entropy: reported at the compile line
    warnings = [d for d in diagnostics if d.severity == "warning"]
    assert any(d.line == 12 and "must lie in [0, 1]" in d.message and "to 9" in d.message for d in warnings)


KERAS2 = """\
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Activation
from keras.utils import np_utils
from keras.optimizers import SGD

X = np.random.rand(20, 8)
y = np_utils.to_categorical(np.random.randint(0, 3, 20), 3)
model = Sequential()
model.add(Dense(16, input_dim=8))
model.add(Activation("relu"))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.01, decay=1e-6))
model.fit(X, y, epochs=3)
"""


def test_keras2_program_builds_its_model_under_keras3(tf_python, text_check):
    report = text_check(KERAS2)
    assert report.status == "ok", (report.message, report.setup_errors)
    fit = report.call(14, "forward")
    assert [r["type"] for r in fit["layers"]] == ["Sequential", "Dense", "Activation", "Dense"]
    assert report.call(14, "loss")["gradients"]["no_grad"] == []
    assert any("keras.layers.core" in n for n in report.notes)
    assert any("lr= was passed as learning_rate=" in n for n in report.notes)


TAPE = """\
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
loss_fn = keras.losses.MeanSquaredError()
optimizer = keras.optimizers.SGD(0.01)
x = tf.random.normal((8, 3))
y = tf.random.normal((8, 1))

for step in range(10):
    with tf.GradientTape() as tape:
        {inside}
    {outside}
    loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


def test_the_checks_own_tape_does_not_hide_a_forward_outside_the_programs_tape(tf_python, text_check):
    report = text_check(TAPE.format(inside="pass", outside="pred = model(x)"))
    assert report.status == "problems"
    loss = report.call(14, "loss")
    assert len(loss["gradients"]["no_grad"]) == 4
    assert any("outside every tf.GradientTape" in d.message for d in report.diagnostics())
    # the forward pass inside the tape: every parameter gets its gradient
    report = text_check(TAPE.format(inside="pred = model(x)", outside="pass"))
    assert report.status == "ok", report.message
    assert report.call(14, "loss")["gradients"]["no_grad"] == []


MISSING_DATA = """\
from tensorflow import keras
from my_data_package import load_features

model = keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x, y = load_features("train.csv")
model.fit(x, y, epochs=3)
"""


def test_made_up_inputs_get_targets_the_compiled_loss_accepts_and_are_not_ok(tf_python, text_check):
    report = text_check(MISSING_DATA)
    fit = report.call(7, "forward")
    assert fit["synthesized_input"].startswith("[2, 12]")
    loss = report.call(7, "loss")
    assert loss["status"] == "ok" and "class ids of shape [2]" in loss["synthesized_input"]
    assert loss["gradients"]["no_grad"] == [] and loss["gradients"]["parameters"] == 4
    assert report.status == "could-not-check" and "my_data_package" in report.message


OPS_MODULE = """\
import tensorflow as tf

try:
    merge_summary = tf.merge_summary
except AttributeError:
    merge_summary = tf.summary.merge


def linear(x, units, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [{rows}, units], initializer=tf.random_normal_initializer(stddev=0.02))
        b = tf.get_variable("b", [units], initializer=tf.constant_initializer(0.0))
        return tf.matmul(x, w) + b
"""

TF1_WITH_OPS = """\
import numpy as np
import tensorflow as tf
from ops import linear, merge_summary

X = tf.placeholder(tf.float32, [None, 6])
y = tf.placeholder(tf.float32, [None, 1])
hidden = tf.nn.relu(linear(X, 8, "h1"))
out = linear(hidden, 1, "out")
loss = tf.reduce_mean(tf.square(out - y))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(100):
        sess.run(train_op, feed_dict={X: np.random.rand(16, 6), y: np.random.rand(16, 1)})
"""


def test_a_tf1_programs_own_module_builds_its_graph_under_tf1_too(tf_python, text_check, tmp_path):
    # ops.py's `import tensorflow as tf` gets tf.compat.v1 as the program's does: its
    # tf.get_variable, tf.variable_scope and tf.summary.merge are there
    (tmp_path / "ops.py").write_text(OPS_MODULE.replace("[{rows}, units]", "[int(x.shape[-1]), units]"))
    report = text_check(TF1_WITH_OPS, name="train.py")
    assert report.status == "ok", report.message
    assert any("ops.py, a module of the program's project" in n for n in report.notes)
    # a weight of the wrong height, made in the module: the program's error, at the module's call
    (tmp_path / "ops.py").write_text(OPS_MODULE.replace("{rows}", "4"))
    report = text_check(TF1_WITH_OPS, name="train.py")
    assert report.status == "errors", report.message
    # a package the module imports that is not installed still gets a stub (named in the report)
    (tmp_path / "ops.py").write_text("import plotting_nowhere\n" + OPS_MODULE.replace("[{rows}, units]", "[int(x.shape[-1]), units]"))
    report = text_check(TF1_WITH_OPS, name="train.py")
    assert report.status == "ok", report.message
    assert [s["module"] for s in report.stubs] == ["plotting_nowhere"]
