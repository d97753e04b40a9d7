"""Keras 2 modules Keras 3 removed but whose names it keeps elsewhere: `keras.engine.topology`
(`Layer`, `InputSpec`, `get_source_inputs`), `keras.utils.data_utils` (`get_file`) and the
applications' private `_obtain_input_shape` (with Keras 2.0's `include_top=` or the later
`require_flatten=`). A program importing them builds the model it means, so its own shape errors
are found; without the shim the imports were stubs and the model was never built."""
from __future__ import annotations

import pytest


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


CUSTOM_LAYER = """\
import numpy as np
from keras import backend as K
from keras.engine.topology import Layer, InputSpec
from keras.layers import Dense, Input
from keras.models import Model


class Scale(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(6,), initializer="ones", name="gamma")

    def call(self, x):
        return x * self.gamma


inputs = Input(shape=(6,))
outputs = Dense(1, activation="sigmoid")(Scale()(inputs))
model = Model(inputs, outputs)
model.compile(loss="binary_crossentropy", optimizer="adam")
x = np.random.rand(32, {width}).astype("float32")
y = np.random.randint(0, 2, (32, 1))
model.fit(x, y, epochs=1)
"""


def test_a_layer_from_keras_engine_topology_builds_and_a_mismatched_fit_fails(tf_python, text_check):
    text = CUSTOM_LAYER.format(width=7)
    report = text_check(text)
    assert report.status == "errors", report.message
    assert line_of(text, "model.fit(") in [d.line for d in errors(report)], report.message
    assert "expected shape=(None, 6)" in errors(report)[0].message, errors(report)[0].message
    assert any("`keras.engine.topology` is a Keras 2 module" in n for n in report.notes), report.notes


def test_the_same_layer_of_the_right_size_is_ok(tf_python, text_check):
    report = text_check(CUSTOM_LAYER.format(width=6))
    assert errors(report) == [], report.message
    assert report.status == "ok", report.message


INPUT_SHAPE = """\
import numpy as np
from keras import backend as K
from keras.applications.imagenet_utils import _obtain_input_shape
from keras.layers import Conv2D, Dense, GlobalAveragePooling2D, Input
from keras.models import Model


def small_net(input_shape=None, classes=10):
    input_shape = _obtain_input_shape(input_shape, default_size=32, min_size=8,
                                      data_format=K.image_data_format(), {flag}=True)
    img = Input(shape=input_shape)
    x = GlobalAveragePooling2D()(Conv2D(8, 3, padding="same")(img))
    return Model(img, Dense(classes, activation="softmax")(x))


model = small_net()
model.compile(loss="categorical_crossentropy", optimizer="sgd")
x = np.random.rand(16, {side}, {side}, 3).astype("float32")
y = np.eye(10)[np.random.randint(0, 10, 16)]
model.fit(x, y, epochs=1)
"""


@pytest.mark.parametrize("flag", ["include_top", "require_flatten"])
def test_obtain_input_shape_gives_the_application_s_input_and_a_mismatched_fit_fails(tf_python, text_check, flag):
    text = INPUT_SHAPE.format(flag=flag, side=28)
    report = text_check(text)
    assert report.status == "errors", report.message
    assert line_of(text, "model.fit(") in [d.line for d in errors(report)], report.message
    assert "expected shape=(None, 32, 32, 3)" in errors(report)[0].message, errors(report)[0].message
    assert any("`_obtain_input_shape` (Keras 2) ran as Keras 3's `obtain_input_shape`" in n for n in report.notes)


@pytest.mark.parametrize("flag", ["include_top", "require_flatten"])
def test_obtain_input_shape_with_images_of_its_size_is_ok(tf_python, text_check, flag):
    report = text_check(INPUT_SHAPE.format(flag=flag, side=32))
    assert errors(report) == [], report.message
    assert report.status == "ok", report.message
