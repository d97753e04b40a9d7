"""A Keras model whose output has one axis more than its targets fails in the compiled loss, at
the `fit`; the axis was put there by a layer (a `Reshape` to a shape that holds the number of
samples, a `RepeatVector`). The error is also said at the line that made that layer. An axis the
inputs carry (a recurrent layer's time axis) names no layer. `Dense` sizes given as a NumPy or
TensorFlow integer (`Dense(np.prod(shape))`), which Keras 2 took and Keras 3 refuses, build as
Keras 2 built them."""
from __future__ import annotations

import pytest

SUBCLASSED = """\
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

x_train = np.random.rand(64, 4, 4).astype('float32')
x_test = np.random.rand(50, 4, 4).astype('float32')


class Autoencoder(tf.keras.Model):
    def __init__(self, latent_dim, shape):
        super().__init__()
        self.encoder = tf.keras.Sequential([layers.Flatten(), layers.Dense(latent_dim, activation='relu')])
        self.decoder = tf.keras.Sequential([
            layers.Dense({units}, activation='sigmoid'),
            layers.Reshape(shape)])

    def call(self, x):
        return self.decoder(self.encoder(x))


shape = {shape}
autoencoder = Autoencoder(8, shape)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(x_train, x_train, epochs=1, verbose=0)
"""

SEQUENTIAL = """\
import numpy as np
from tensorflow import keras

images = np.random.rand(40, 6, 6).astype('float32')
model = keras.Sequential()
model.add(keras.Input((6, 6)))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(np.prod({shape})))
model.add(keras.layers.Reshape({shape}))
model.compile(optimizer='sgd', loss='mean_absolute_error')
model.fit(images, images, batch_size=8, epochs=1, verbose=0)
"""

REPEATED = """\
import numpy as np
from tensorflow import keras

inputs = keras.Input(shape=(10,))
hidden = keras.layers.Dense(4)(inputs)
outputs = keras.layers.RepeatVector(3)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='mse')
model.fit(np.random.rand(16, 10), np.random.rand(16, 4), epochs=1, verbose=0)
"""

SEQUENCES = """\
import numpy as np
from tensorflow import keras

model = keras.Sequential([
    keras.Input((20, 8)),
    keras.layers.LSTM(16, return_sequences=True),
    keras.layers.Dense(3),
])
model.compile(optimizer='adam', loss='mse')
model.fit(np.random.rand(32, 20, 8), np.random.rand(32, 3), epochs=1, verbose=0)
"""

CONVOLVED = """\
import numpy as np
from tensorflow import keras

model = keras.Sequential([
    keras.Input((28, 1)),
    keras.layers.Conv1D(8, 3),
    keras.layers.MaxPooling1D(2),
    keras.layers.Dense(10),
])
model.compile(optimizer='adam', loss='mse')
model.fit(np.random.rand(32, 28, 1), np.random.rand(32, 10), epochs=1, verbose=0)
"""


def errors(report):
    return [(d.line, d.message) for d in report.diagnostics() if d.severity == "error"]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


@pytest.mark.parametrize("units", ["tf.math.reduce_prod(shape)", "np.prod(shape)", "int(np.prod(shape))"])
def test_a_reshape_to_a_shape_with_the_sample_count_is_named_at_its_line(installed, text_check, units):
    installed("tensorflow")
    text = SUBCLASSED.format(units=units, shape="x_test.shape")
    found = errors(text_check(text))
    reshape, fit = line_of(text, "layers.Reshape("), line_of(text, "autoencoder.fit(")
    said = [msg for ln, msg in found if ln == reshape]
    assert said, found
    assert "has an axis of 50 that the targets [32, 4, 4] lack" in said[0], said
    assert f"the Reshape layer made at line {reshape}" in said[0] and f"when called from line {fit}" in said[0], said
    assert any(ln == fit for ln, _ in found), found


@pytest.mark.parametrize("units", ["tf.math.reduce_prod(shape)", "np.prod(shape)"])
def test_the_same_model_on_one_sample_shape_runs_with_its_integer_sizes(installed, text_check, units):
    installed("tensorflow")
    report = text_check(SUBCLASSED.format(units=units, shape="x_test.shape[1:]"))
    assert not errors(report), errors(report)
    assert "Received an invalid value for `units`" not in report.to_markdown()
    assert "[32, 4, 4]" in report.to_markdown()


def test_a_sequential_model_with_a_numpy_size_and_a_sample_axis(installed, text_check):
    installed("tensorflow")
    text = SEQUENTIAL.format(shape="images.shape")
    found = errors(text_check(text))
    reshape = line_of(text, "model.add(keras.layers.Reshape(")
    assert any(ln == reshape and "has an axis of 40 that the targets [8, 6, 6] lack" in msg for ln, msg in found), found
    fixed = SEQUENTIAL.format(shape="images.shape[1:]")
    assert not errors(text_check(fixed)), errors(text_check(fixed))


def test_a_repeated_vector_against_targets_of_one_row(installed, text_check):
    installed("tensorflow")
    found = errors(text_check(REPEATED))
    repeat = line_of(REPEATED, "outputs = keras.layers.RepeatVector(")
    assert any(ln == repeat and "the RepeatVector layer made at line" in msg for ln, msg in found), found


@pytest.mark.parametrize("text", [SEQUENCES, CONVOLVED], ids=["time axis of the inputs", "axis only resized"])
def test_an_axis_no_layer_put_in_names_no_layer(installed, text_check, text):
    installed("tensorflow")
    found = errors(text_check(text))
    fit = line_of(text, "model.fit(")
    assert found and {ln for ln, _ in found} <= {fit, line_of(text, "model.compile(")}, found
    assert not any("puts it there" in msg for _, msg in found), found
