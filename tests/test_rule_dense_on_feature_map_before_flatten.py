"""TL236: a Keras Dense layer applied to a 2-D or 3-D convolution's (or pooling's) feature map and
flattened only afterwards. Written several ways: a Keras 1-style `model.add` chain with separate
activations, a `Sequential` list with dropout and batch normalization between, a functional
tf.keras path, a 3-D convolution; and the CLI on a file. The look-alikes flatten first, keep the
per-position Dense as a map (a segmentation head), pool globally or reshape before the Dense,
or work on sequences (Conv1D)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL236",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "model.py", ONLY).findings)


def test_sequential_add_chain_and_list():
    assert _lines("""
        from keras.models import Sequential
        from keras.layers import Activation, BatchNormalization, Conv2D, Conv3D, Dense, Dropout, Flatten, MaxPooling2D

        a = Sequential()
        a.add(Conv2D(32, (3, 3), input_shape=(64, 64, 3)))
        a.add(Activation("relu"))
        a.add(Dense(128))
        a.add(Dropout(0.5))
        a.add(Flatten())
        a.add(Dense(2, activation="softmax"))
        a.compile(loss="categorical_crossentropy", optimizer="sgd")

        b = Sequential([Conv2D(8, 3, input_shape=(32, 32, 1)), MaxPooling2D(), BatchNormalization(),
                        Dense(16, activation="relu"), Dense(16, activation="relu"), Flatten(), Dense(1)])
        b.compile(loss="mse", optimizer="adam")

        c = Sequential([Conv3D(4, 3, input_shape=(8, 16, 16, 1)), Dense(8), Flatten(), Dense(1)])
        c.compile(loss="mse", optimizer="adam")
    """) == [7, 14, 17]


def test_functional_path():
    assert _lines("""
        from tensorflow import keras
        from tensorflow.keras import layers

        inp = keras.Input((48, 48, 3))
        h = layers.MaxPooling2D()(layers.Conv2D(16, 3, activation="relu")(inp))
        h = layers.Dense(64, activation="relu")(h)
        out = layers.Dense(3, activation="softmax")(layers.Flatten()(h))
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    """) == [6]


def test_look_alikes_stay_silent():
    assert _lines("""
        from tensorflow import keras
        from tensorflow.keras import layers

        first = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(32),
                                  layers.Dense(10)])
        first.compile(optimizer="adam", loss="mse")
        seg = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, padding="same"),
                                layers.Dense(5, activation="softmax")])
        seg.compile(optimizer="adam", loss="categorical_crossentropy")
        pooled = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3), layers.GlobalMaxPooling2D(),
                                   layers.Dense(16), layers.Flatten(), layers.Dense(2)])
        pooled.compile(optimizer="adam", loss="mse")
        rows = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Reshape((26, 104)),
                                 layers.Dense(32), layers.Flatten(), layers.Dense(10)])
        rows.compile(optimizer="adam", loss="mse")
        seq = keras.Sequential([keras.Input((100, 8)), layers.Conv1D(16, 3), layers.Dense(8), layers.Flatten(),
                                layers.Dense(1)])
        seq.compile(optimizer="adam", loss="mse")
    """) == []


def test_cli_on_a_file(tmp_path):
    path = tmp_path / "cnn.py"
    path.write_text(textwrap.dedent("""
        from keras import Sequential
        from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D

        model = Sequential()
        model.add(Conv2D(64, (3, 3), activation="relu", input_shape=(150, 150, 1)))
        model.add(MaxPooling2D(pool_size=2))
        model.add(Dense(64, activation="relu"))
        model.add(Flatten())
        model.add(Dense(4))
        model.compile(loss="mean_squared_error", optimizer="adam")
    """).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--no-cache", "--select", "TL236", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{path}:7:" in out.stdout and "TL236" in out.stdout and "Flatten" in out.stdout
