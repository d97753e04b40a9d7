"""Keras 2's loss functions called directly (TL205): `keras.losses.mean_squared_error(y, pred)`
subtracts the two tensors as they are, so an `(N,)` target against an `(N, 1)` prediction
broadcasts to `(N, N)`; Keras 3's functions, and every Keras version's `Loss` classes and
`compile`, align the ranks first. The call is reported only where the program can only run
under Keras 2 (a module only Keras 2 has, a Keras optimizer's `lr=`, `nb_epoch=`). Each case marks
its expected findings with `# expect: CODE`; the look-alikes mark none."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

BUGS = {
    # a DQN training step: the Q-values of the actions taken keep their column
    "tf-keras-dqn-step-lr-spelling": """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        model = keras.models.Sequential([keras.layers.Dense(32, activation="elu", input_shape=[4]),
                                         keras.layers.Dense(2)])
        optimizer = keras.optimizers.Adam(lr=1e-3)
        loss_fn = keras.losses.mean_squared_error

        states = tf.random.normal((32, 4))
        target_q = tf.random.normal((32,))
        mask = tf.one_hot(np.random.randint(0, 2, 32), 2)
        with tf.GradientTape() as tape:
            q = tf.reduce_sum(model(states) * mask, axis=1, keepdims=True)
            loss = tf.reduce_mean(loss_fn(target_q, q))  # expect: TL205
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """,
    # standalone Keras 2 (`keras.layers.core`), the metric spelling of the function, in a helper
    "keras2-core-import-metric-function-in-helper": """
        import numpy as np
        import keras
        from keras.layers.core import Dense
        from keras import backend as K

        def regression_error(model, x, y):
            return K.mean(keras.metrics.mean_absolute_error(y, model(x)))  # expect: TL205

        model = keras.models.Sequential([Dense(1, input_dim=3)])
        x = np.random.rand(64, 3).astype("float32")
        y = x.sum(axis=1)
        err = regression_error(model, x, y)
    """,
    # the targets built with the batch's own sum: a flat vector against the model's column
    "tf-contrib-program-mse-alias": """
        import tensorflow as tf
        from tensorflow.contrib import layers as contrib_layers
        mse = tf.keras.losses.MSE

        net = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(5,)),
                                   tf.keras.layers.Dense(1)])
        features = tf.random.normal((16, 5))
        values = tf.reduce_sum(features, axis=1)
        cost = tf.reduce_mean(mse(values, net(features)))  # expect: TL205
    """,
}

LOOKALIKES = {
    # nothing says Keras 2: Keras 3 (tf.keras since TensorFlow 2.16) aligns the ranks
    "keras3-function-same-shapes": """
        import keras
        import tensorflow as tf

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        optimizer = keras.optimizers.Adam(learning_rate=1e-3)
        x = tf.random.normal((32, 4))
        y = tf.reduce_sum(x, axis=1)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    """,
    # Keras 2's Loss class squeezes the trailing axis itself
    "keras2-loss-class": """
        import tensorflow as tf
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        optimizer = keras.optimizers.Adam(lr=1e-3)
        x = tf.random.normal((32, 4))
        y = tf.reduce_sum(x, axis=1)
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x))
    """,
    # Keras 2, the targets given their column: the shapes agree
    "keras2-targets-reshaped": """
        import tensorflow as tf
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        optimizer = keras.optimizers.RMSprop(lr=1e-3)
        x = tf.random.normal((32, 4))
        y = tf.reshape(tf.reduce_sum(x, axis=1), (-1, 1))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))
    """,
    # Keras 2, a scalar target broadcasts to the prediction's own shape
    "keras2-scalar-target": """
        import tensorflow as tf
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        optimizer = keras.optimizers.SGD(lr=0.01)
        x = tf.random.normal((32, 4))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.mean_squared_error(tf.constant(1.0), model(x)))
    """,
    # `lr=` is torch's own spelling in a file that imports torch: no Keras version is shown
    "torch-lr-beside-keras-function": """
        import torch
        import tensorflow as tf
        from tensorflow import keras

        net = torch.nn.Linear(4, 1)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        head = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        x = tf.random.normal((8, 4))
        loss = tf.reduce_mean(keras.losses.mean_squared_error(tf.reduce_sum(x, axis=1), head(x)))
    """,
}


def _marked(text: str) -> set:
    return {("TL205", i) for i, line in enumerate(text.splitlines(), 1) if "# expect: TL205" in line}


def _found(text: str, name: str) -> set:
    return {(f.code, f.line) for f in analyze(text, f"{name}.py", ALL).findings if f.code == "TL205"}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_keras2_loss_function_broadcast_found(name):
    text = textwrap.dedent(BUGS[name]).lstrip("\n")
    marked = _marked(text)
    assert marked and _found(text, name) == marked


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    text = textwrap.dedent(LOOKALIKES[name]).lstrip("\n")
    assert _found(text, name) == set()


def test_cli_names_keras2_and_the_broadcast_shape(tmp_path):
    path = tmp_path / "dqn.py"
    path.write_text(textwrap.dedent(BUGS["tf-keras-dqn-step-lr-spelling"]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--no-cache", "--select", "TL205", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert "dqn.py:15:" in out.stdout and "[32, 32]" in out.stdout and "Keras 2" in out.stdout, out.stdout + out.stderr
