"""Label bugs Keras computes through without raising, read from the values the program's own step
feeds: categorical cross-entropy given target rows that are no distribution (all-zero rows of an
unencoded padding, labels rescaled outside [0, 1]), said at the line that compiled or called the
loss; and a softmax over an axis of size 1, which returns 1.0 for every sample, said at the line
that made the layer (it confirms TL305 there)."""
from __future__ import annotations

from tensorlint.runtime.cli import main as shapecheck_main

HEAD = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(64, 8).astype("float32")
ids = np.random.randint(0, 4, 64)
"""

# four spellings of a categorical cross-entropy on the program's targets; {y} is their making
CATEGORICAL = HEAD + """\
{y}
def net():
    return keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"), layers.Dense(4, activation="softmax")])

a = net()
a.compile(loss="categorical_crossentropy", optimizer="adam")
a.fit(x, y, epochs=1, batch_size=64)
b = net()
b.compile(loss=keras.losses.CategoricalCrossentropy(), optimizer="adam")
b.fit(x, y, epochs=1, batch_size=64)
c = net()
loss_fn = tf.keras.losses.CategoricalCrossentropy()
opt = tf.keras.optimizers.Adam()
with tf.GradientTape() as tape:
    out = c(x)
    loss = loss_fn(y, out)
opt.apply_gradients(zip(tape.gradient(loss, c.trainable_variables), c.trainable_variables))
d = net()
d.compile(loss=keras.losses.categorical_crossentropy, optimizer="adam")
d.fit(x, y, epochs=1, batch_size=64)
"""
# lines of the four loss sites: compile, compile, the call under the tape, compile
SITES = (16, 19, 26, 29)

ZERO_ROWS = """\
y = np.zeros((64, 4), dtype="float32")
for i in range(48):
    y[i, ids[i]] = 1.0
"""
RESCALED = """\
y = 2.0 * np.eye(4, dtype="float32")[ids] - 1.0


"""
LOOK_ALIKES = {
    "one-hot rows": "y = keras.utils.to_categorical(ids, 4)\n\n\n",
    "soft targets": "y = np.random.rand(64, 4).astype('float32')\ny = y / y.sum(axis=1, keepdims=True)\n\n",
    "smoothed one-hot": "y = np.eye(4, dtype='float32')[ids] * 0.9 + 0.025\n\n\n",
}


def target_warnings(report):
    return [d for d in report.diagnostics() if d.kind == "loss" and "target" in d.message]


def test_targets_that_are_no_distribution_are_said_at_each_loss(tf_python, text_check):
    for what, y, words in (("zero rows", ZERO_ROWS, "16 of the 64 target rows given to categorical cross-entropy"),
                           ("rescaled", RESCALED, "they range from -1 to 1")):
        report = text_check(CATEGORICAL.format(y=y))
        found = target_warnings(report)
        assert sorted({d.line for d in found}) == list(SITES), (what, report.message)
        assert all(words in d.message for d in found), (what, [d.message for d in found])
        assert report.status == "problems", (what, report.message)


def test_distributions_and_losses_of_other_kinds_stay_silent(tf_python, text_check):
    for what, y in LOOK_ALIKES.items():
        report = text_check(CATEGORICAL.format(y=y))
        assert target_warnings(report) == [], (what, [d.message for d in report.diagnostics()])
        assert report.status == "ok", (what, report.message)
    # a loss of the program's own that skips the zero rows it is given means them as a mask, and so
    # do sample weights that fit() is given beside them
    own = CATEGORICAL.format(y=ZERO_ROWS).replace(
        "a.fit(x, y, epochs=1, batch_size=64)",
        "a.fit(x, y, sample_weight=(y.sum(axis=1) > 0).astype('float32'), epochs=1, batch_size=64)").replace(
        "loss_fn = tf.keras.losses.CategoricalCrossentropy()",
        "def loss_fn(t, p):\n    keep = tf.reduce_sum(t, axis=-1) > 0\n"
        "    return tf.reduce_mean(keras.losses.categorical_crossentropy(t[keep], p[keep]))")
    report = text_check(own)
    at = own.splitlines().index("    loss = loss_fn(y, out)") + 1
    assert sorted({d.line for d in target_warnings(report)}) == [19, 31], [d.message for d in report.diagnostics()]
    assert at == 28


SOFTMAX = HEAD + """\
y = (x.sum(axis=1) > 4).astype("float32")

a = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"), {a}])
a.compile(loss="binary_crossentropy", optimizer="adam")
a.fit(x, y, epochs=1, batch_size=16)

inputs = keras.Input(shape=(8,))
hidden = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
b = keras.Model(inputs, {b}(hidden))
b.compile(loss="mse", optimizer="sgd")
b.fit(x, y, epochs=1, batch_size=16)


class Head(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = {c}

    def call(self, t):
        return self.out(self.hidden(t))


c = Head()
opt = tf.keras.optimizers.SGD(0.1)
with tf.GradientTape() as tape:
    p = c(x)
    loss = tf.reduce_mean(tf.square(p[:, 0] - y))
opt.apply_gradients(zip(tape.gradient(loss, c.trainable_variables), c.trainable_variables))
"""
BUGGY = {"a": "layers.Dense(1, activation='softmax')", "b": "layers.Softmax()",
         "c": "layers.Dense(1, activation=tf.nn.softmax)"}
FIXED = {"a": "layers.Dense(1, activation='sigmoid')", "b": "layers.Activation('sigmoid')",
         "c": "layers.Dense(1, activation='sigmoid')"}


def softmax_facts(report):
    return [d for d in report.diagnostics() if d.kind == "layer" and "softmax over an axis of size 1" in d.message]


def test_a_softmax_over_one_unit_is_said_where_the_layer_is_made(tf_python, text_check):
    report = text_check(SOFTMAX.format(**BUGGY))
    found = softmax_facts(report)
    # a's Dense (line 10), b's Softmax (line 16), Head's output layer (line 25)
    assert sorted({d.line for d in found}) == [10, 16, 25], [d.message for d in report.diagnostics()]
    assert all("returns 1.0 for every sample" in d.message for d in found)


def test_sigmoid_heads_and_softmax_over_several_units_stay_silent(tf_python, text_check):
    for what, spelled in (("sigmoid", FIXED), ("two units", {"a": "layers.Dense(2, activation='softmax')",
                                                              "b": "layers.Activation('linear')",
                                                              "c": "layers.Dense(3, activation='softmax')"})):
        report = text_check(SOFTMAX.format(**spelled))
        assert softmax_facts(report) == [], (what, [d.message for d in report.diagnostics()])


def test_the_static_finding_of_a_single_unit_softmax_is_confirmed_at_its_line(tf_python, tmp_path, capsys):
    path = tmp_path / "single.py"
    path.write_text(SOFTMAX.format(**BUGGY).split("\ninputs =")[0] + "\n", encoding="utf-8")
    shapecheck_main([str(path)])
    out = capsys.readouterr().out
    assert "TL305 line 10: confirmed" in out, out


# a regression loss on targets the output activation cannot take; {y}: the targets, {head}: the last layer
REGRESSION = HEAD + """\
{y}
a = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"), {head}])
a.compile(loss="mse", optimizer="adam")
a.fit(x, y, epochs=1, batch_size=16)

inputs = keras.Input(shape=(8,))
b = keras.Model(inputs, {head}(layers.Dense(16, activation="relu")(inputs)))
b.compile(loss=keras.losses.Huber(), optimizer="adam")
b.fit(x, y, epochs=1, batch_size=16)
"""
UNREACHED = {
    "rescaled to [-1, 1] under a sigmoid": ("y = 2.0 * (x.sum(axis=1) > 4) - 1.0", "layers.Dense(1, activation='sigmoid')"),
    "pixels under a tanh": ("y = np.round(x * 255)", "layers.Dense(8, activation='tanh')"),
    "standardized under a ReLU": ("y = (x[:, 0] - x[:, 0].mean()) / x[:, 0].std()", "layers.Dense(1, activation='relu')"),
}
REACHED = {
    "0/1 under a sigmoid": ("y = (x.sum(axis=1) > 4).astype('float32')", "layers.Dense(1, activation='sigmoid')"),
    "[-1, 1] under a tanh": ("y = 2.0 * x - 1.0", "layers.Dense(8, activation='tanh')"),
    "any value under a linear head": ("y = (x[:, 0] - x[:, 0].mean()) / x[:, 0].std()", "layers.Dense(1)"),
}


def unreached(report):
    return [d for d in report.diagnostics() if d.kind == "loss" and "are never reached" in d.message]


def test_regression_targets_the_output_activation_never_reaches_are_said_at_the_output_layer(tf_python, text_check):
    for what, (y, head) in UNREACHED.items():
        report = text_check(REGRESSION.format(y=y, head=head))
        found = unreached(report)
        # the output layers of a (line 9) and b (line 14)
        assert sorted({d.line for d in found}) == [9, 14], (what, [d.message for d in report.diagnostics()])
        assert report.status == "problems", (what, report.message)


def test_regression_targets_within_the_outputs_range_stay_silent(tf_python, text_check):
    for what, (y, head) in REACHED.items():
        report = text_check(REGRESSION.format(y=y, head=head))
        assert unreached(report) == [], (what, [d.message for d in report.diagnostics()])
        assert report.status == "ok", (what, report.message)
    # a loss of the program's own may compare anything with anything
    own = REGRESSION.format(y=UNREACHED["pixels under a tanh"][0], head=UNREACHED["pixels under a tanh"][1]).replace(
        'loss="mse"', "loss=lambda t, p: tf.reduce_mean(tf.square(t / 127.5 - 1.0 - p))")
    report = text_check(own)
    assert [d.line for d in unreached(report)] == [14], [d.message for d in report.diagnostics()]
