"""`model.build(input_shape)` on a subclassed Keras model: Keras 2 ran the model's `call` on
placeholders of those shapes, so a shape error in `call` stopped the program there; Keras 3 only
marks the model built. The check runs `call` on symbolic tensors of the shapes the program gave
(no values, nothing made up), so the error is the program's, at the build's line."""
from __future__ import annotations

PAIR = """\
import tensorflow as tf


class Pair(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.a = tf.keras.layers.Dense(4)
        self.b = tf.keras.layers.Dense(4)
        self.merge = tf.keras.layers.Dot(axes={axes})

    def call(self, inputs):
        x, y = inputs
        return self.merge([self.a(x), self.b(y)])


model = Pair()
{build}
model.summary()
"""

SINGLE = """\
from tensorflow import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(8)
        self.out = keras.layers.Dense(1)

    def call(self, x):
        h = self.hidden(x)
        return self.out(keras.layers.Reshape(({width},))(h))


net = Net()
{build}
"""


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_a_subclassed_models_build_runs_its_call_and_reports_the_shape_error_there(tf_python, text_check):
    for build in ("model.build(input_shape=[(None, 10), (None, 10)])", "model.build([(None, 10), (None, 10)])",
                  "model.build(((None, 10), (None, 10)))"):
        report = text_check(PAIR.format(axes=0, build=build))
        found = errors(report)
        assert report.status == "errors", (build, report.message)
        # at the build's line and at the line of `call` that failed
        assert {d.line for d in found} == {13, 17}, (build, report.message)
        assert all("batch_dot over axis 0" in d.message for d in found)
        assert any("`build(input_shape)` ran the subclassed model's `call`" in n for n in report.notes)
    report = text_check(SINGLE.format(width=16, build="net.build((None, 5))"))
    assert report.status == "errors", report.message
    assert 16 in {d.line for d in errors(report)} and "total size" in errors(report)[0].message


def test_a_subclassed_model_whose_build_shapes_fit_is_ok_and_never_run_on_a_made_up_input(tf_python, text_check):
    for build in ("model.build(input_shape=[(None, 10), (None, 10)])", "model.build([(None, 10), (None, 10)])"):
        report = text_check(PAIR.format(axes=1, build=build))
        assert report.status == "ok", (build, report.message)
        call = report.call(17, "forward")
        assert call["status"] == "ok" and call["method"] == "build"
        assert not any(c.get("synthesized_input") for c in report.calls), report.message
    report = text_check(SINGLE.format(width=8, build="net.build(input_shape=(None, 5))"))
    assert report.status == "ok", report.message


def test_a_build_on_shapes_the_program_could_not_make_is_could_not_check(tf_python, text_check):
    # the width comes from a module the check cannot import: the build never runs on an invented shape
    text = SINGLE.format(width=8, build="import helper_data\nnet.build((None, helper_data.load().shape[1]))")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert errors(report) == [], report.message


def test_a_model_with_its_own_build_and_keras_own_builds_are_left_as_they_are(tf_python, text_check):
    own = SINGLE.format(width=16, build="net.build((None, 5))").replace(
        "    def call(self, x):", "    def build(self, input_shape):\n        self.seen = input_shape\n\n    def call(self, x):")
    report = text_check(own)  # Keras 3 calls the program's own build, which runs nothing
    assert errors(report) == [], report.message
    # a model called on the program's data is built by Keras on that call, not by the check
    called = SINGLE.format(width=8, build="import numpy as np\nprint(net(np.zeros((3, 5), 'float32')).shape)")
    report = text_check(called)
    assert report.status == "ok", report.message
    assert not any("`build(input_shape)` ran" in n for n in report.notes)
    # nor is a subclassed model that another model's call (a line of the program) calls first
    nested = called.replace("net = Net()", "class Outer(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                            "        self.inner = Net()\n\n    def call(self, x):\n        return self.inner(x)\n\n\n"
                            "net = Outer()")
    report = text_check(nested)
    assert report.status == "ok", report.message
    assert not any("`build(input_shape)` ran" in n for n in report.notes)
