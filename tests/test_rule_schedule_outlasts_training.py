"""TL452: a learning-rate schedule that keeps its initial rate past the last step training runs.
Written several ways (tf.keras and Keras 3, a piecewise schedule and staircase decays, keyword
and positional arguments, a Sequential and a subclassed model, a model built and trained in a
helper, `steps_per_epoch` and the rows of the arrays, two fits together), with look-alikes that
stay silent: a schedule that changes in time, one that moves from the first step, a step count
the program does not fix, a fit in a loop, an optimizer also stepped by hand."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def tl452(text: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(text).lstrip("\n"), "t.py", ALL).findings if f.code == "TL452")


DATA = """
import numpy as np
x = np.random.rand(3200, 8).astype("float32")
y = np.random.rand(3200, 1).astype("float32")
"""

TF_MODEL = """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1)])
"""

KERAS3_MODEL = """
import keras
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
"""

SUBCLASSED = """
import tensorflow as tf
class Regressor(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(16, activation="relu")
        self.out = tf.keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

model = Regressor()
"""

# 3200 rows, batch size 32: 100 steps an epoch
SCHEDULES = {
    "piecewise": "lr = {ns}.optimizers.schedules.PiecewiseConstantDecay(boundaries=[5000, 8000], values=[0.01, 0.005, 0.001])",
    "exponential positional": "lr = {ns}.optimizers.schedules.ExponentialDecay(0.01, 5000, 0.5, True)",
    "inverse time keywords": "lr = {ns}.optimizers.schedules.InverseTimeDecay(initial_learning_rate=0.01, decay_steps=5000, "
                             "decay_rate=1.0, staircase=True)",
}


def program(model: str, ns: str, schedule: str, fit: str = "model.fit(x, y, epochs=20)") -> str:
    return "\n".join([DATA, model, SCHEDULES[schedule].format(ns=ns),
                      f"model.compile(optimizer={ns}.optimizers.Adam(learning_rate=lr), loss='mse')", fit])


def schedule_line(text: str) -> int:
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "schedules." in line)


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
@pytest.mark.parametrize("model, ns", [(TF_MODEL, "tf.keras"), (KERAS3_MODEL, "keras"), (SUBCLASSED, "tf.keras")],
                         ids=["tf.keras", "keras3", "subclassed"])
def test_schedule_past_training_is_reported(model, ns, schedule):
    text = program(model, ns, schedule)  # 20 epochs of 100 steps: 2000 < 5000
    assert tl452(text) == [schedule_line(text)]


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
def test_schedule_inside_training_is_silent(schedule):
    text = program(TF_MODEL, "tf.keras", schedule, "model.fit(x, y, epochs=60)")  # 6000 steps pass 5000
    assert tl452(text) == []


@pytest.mark.parametrize("fit, reported", [
    ("model.fit(x, y, epochs=20, batch_size=64)", True),  # 1000 steps
    ("model.fit(x, y, epochs=20, batch_size=1)", False),  # 64000 steps
    ("model.fit(x, y, epochs=100, initial_epoch=60)", True),  # 40 epochs: 4000 steps
    ("model.fit(x, y, epochs=30, validation_split=0.2)", True),  # at most 3000 steps
    ("model.fit(x, y, epochs=20)\nmodel.fit(x, y, epochs=20)", True),  # 4000 steps together
    ("model.fit(x, y, epochs=30)\nmodel.fit(x, y, epochs=30)", False),  # 6000 steps together
    ("model.fit(x, y, epochs=int(sys.argv[1]))", False),  # epochs from the command line
    ("model.fit(x, y, 32, 20)", False),  # batch size and epochs by position: not read
    ("for _ in range(3):\n    model.fit(x, y, epochs=20)", False),  # a fit per pass of a loop
])
def test_steps_counted_from_every_fit(fit, reported):
    text = "import sys\n" + program(TF_MODEL, "tf.keras", "piecewise", fit)
    assert tl452(text) == ([schedule_line(text)] if reported else [])


def test_boundary_at_the_last_step_is_the_edge():
    # 10 epochs of 10 steps: steps 0..99; a boundary of 99 keeps the rate through step 99, 98 does not
    base = """
    import numpy as np
    import tensorflow as tf
    x = np.random.rand(320, 8)
    y = np.random.rand(320, 1)
    lr = tf.keras.optimizers.schedules.PiecewiseConstantDecay([{b}], [0.01, 0.001])
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    model.fit(x, y, epochs=10)
    """
    assert tl452(base.format(b=99)) == [5]
    assert tl452(base.format(b=98)) == []


def test_generator_counts_steps_per_epoch_only_when_given():
    base = """
    import numpy as np
    import tensorflow as tf
    def batches():
        while True:
            yield np.random.rand(32, 8), np.random.rand(32, 1)
    lr = tf.keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=2000, decay_rate=0.5, staircase=True)
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    model.fit(batches(){steps}, epochs=10)
    """
    assert tl452(base.format(steps=", steps_per_epoch=100")) == [6]
    assert tl452(base.format(steps=", steps_per_epoch=500")) == []
    assert tl452(base.format(steps="")) == []


def test_model_built_and_trained_in_a_helper():
    text = """
    import tensorflow as tf
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    x_train, y_train = x_train[:-5000], y_train[:-5000]

    def build_and_train(optimizer):
        model = tf.keras.Sequential([tf.keras.Input((28, 28)), tf.keras.layers.Flatten(),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer)
        return model.fit(x_train, y_train, epochs=10)

    schedule = tf.keras.optimizers.schedules.PiecewiseConstantDecay(
        boundaries=[50_000, 80_000],
        values=[0.01, 0.005, 0.001])
    build_and_train(tf.keras.optimizers.SGD(learning_rate=schedule))
    steps_per_epoch = 1719
    schedule = tf.keras.optimizers.schedules.PiecewiseConstantDecay(
        boundaries=[4 * steps_per_epoch, 8 * steps_per_epoch],
        values=[0.01, 0.005, 0.001])
    build_and_train(tf.keras.optimizers.SGD(learning_rate=schedule))
    """
    assert tl452(text) == [12]


@pytest.mark.parametrize("extra", [
    # the optimizer is also stepped by hand
    "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(model(x) - y))\n"
    "opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))",
    # a second model compiled with the same optimizer trains it for longer
    "other = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
    "other.compile(optimizer=opt, loss='mse')\nother.fit(x, y, epochs=100)",
])
def test_steps_the_fits_do_not_count_keep_it_silent(extra):
    text = "\n".join([DATA, TF_MODEL, SCHEDULES["piecewise"].format(ns="tf.keras"),
                      "opt = tf.keras.optimizers.Adam(learning_rate=lr)", "model.compile(optimizer=opt, loss='mse')",
                      "model.fit(x, y, epochs=20)", extra])
    assert tl452(text) == []


def test_data_of_unknown_length_and_plain_rates_are_silent():
    text = """
    import numpy as np
    import tensorflow as tf
    data = np.load("train.npy")
    lr = tf.keras.optimizers.schedules.PiecewiseConstantDecay([100_000], [0.01, 0.001])
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    model.fit(data[:, :8], data[:, 8], epochs=10)
    x = np.random.rand(320, 8)
    other = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
    other.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    other.fit(x, x[:, :1], epochs=10)
    """
    assert tl452(text) == []


def test_cli_reports_the_boundary(tmp_path):
    path = tmp_path / "train.py"
    text = textwrap.dedent(program(TF_MODEL, "tf.keras", "piecewise")).lstrip("\n")
    path.write_text(text)
    out = subprocess.run([sys.executable, "-m", "tensorlint", "--select", "TL452", str(path)],
                         capture_output=True, text=True).stdout
    assert f"train.py:{schedule_line(text)}:" in out and "TL452" in out
    assert "2000" in out and "5001" in out


def test_keras2_lr_keyword_and_fit_generator():
    text = """
    import numpy as np
    from keras.models import Sequential
    from keras.layers import Dense
    from keras.optimizers import SGD
    from keras.optimizers.schedules import ExponentialDecay

    def batches():
        while True:
            yield np.random.rand(32, 8), np.random.rand(32, 1)

    model = Sequential([Dense(1, input_shape=(8,))])
    model.compile(optimizer=SGD(lr=ExponentialDecay(0.1, decay_steps=10000, decay_rate=0.1, staircase=True)), loss="mse")
    model.fit_generator(batches(), 200, epochs=20)
    """
    assert tl452(text) == [12]


def test_edits_give_what_a_whole_file_analysis_gives():
    from tensorlint.incremental import IncrementalAnalysis

    def key(result):
        return sorted((f.code, f.span.start.line, f.message) for f in result.findings)

    base = textwrap.dedent(program(TF_MODEL, "tf.keras", "piecewise", "model.fit(x, y, epochs=20)\n\nprint('done')")).lstrip("\n")
    edits = (base, base.replace("epochs=20", "epochs=60"), base, base.replace("[5000, 8000]", "[500, 8000]"), base,
             base.replace("print('done')", "model.fit(x, y, epochs=40)"), base)
    inc = IncrementalAnalysis()
    for text in edits:
        got = inc.analyze(text, "m.py", ALL)
        assert key(got) == key(analyze(text, "m.py", ALL))
    assert [f.code for f in got.findings if f.code == "TL452"] == ["TL452"]


def test_an_edit_far_from_the_fit_keeps_the_finding():
    """The fit's chunk is not run again after an edit elsewhere: its steps are kept with it."""
    from tensorlint.incremental import IncrementalAnalysis

    base = textwrap.dedent(program(TF_MODEL, "tf.keras", "piecewise", "model.fit(x, y, epochs=20)\n\nprint('done')")).lstrip("\n")
    inc = IncrementalAnalysis()
    inc.analyze(base, "m.py", ALL)
    got = inc.analyze(base.replace("print('done')", "print('finished')"), "m.py", ALL)
    assert inc.last_run["ran"] < inc.last_run["chunks"]
    assert [f.code for f in got.findings if f.code == "TL452"] == ["TL452"]
