"""TL446: a Keras model that standardizes an input with a Normalization layer and also joins
that input, unnormalized, beside its other paths. Written several ways (a functional
wide-and-deep model with a `Concatenate` layer object, the `concatenate` function with the raw
input second, `tf.concat` in a subclassed model's `call`, the CLI on a file); the look-alikes
join the normalized output, normalize two inputs with their own layers, join a layer's output
beside its normalized copy or outputs of other normalizations, or join NumPy arrays outside
any model."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL446",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "model.py", ONLY).findings)


BUGS = {
    "functional-wide-and-deep": ("""
        import numpy as np
        import tensorflow as tf

        X_train, y_train = np.random.rand(500, 8) * 100, np.random.rand(500, 1)
        normalization_layer = tf.keras.layers.Normalization()
        hidden_layer1 = tf.keras.layers.Dense(30, activation="relu")
        concat_layer = tf.keras.layers.Concatenate()
        input_ = tf.keras.layers.Input(shape=X_train.shape[1:])
        normalized = normalization_layer(input_)
        hidden1 = hidden_layer1(normalized)
        concat = concat_layer([input_, hidden1])
        output = tf.keras.layers.Dense(1)(concat)
        model = tf.keras.Model(inputs=[input_], outputs=[output])
        model.compile(loss="mse", optimizer="adam")
        normalization_layer.adapt(X_train)
        model.fit(X_train, y_train, epochs=2)
    """, [11]),
    "concatenate-function-raw-second": ("""
        import keras
        from keras import layers

        inputs = keras.Input(shape=(12,))
        x = layers.Normalization(axis=-1)(inputs)
        x = layers.Dense(64, activation="relu")(x)
        x = layers.Dense(64, activation="relu")(x)
        merged = layers.concatenate([x, inputs])
        outputs = layers.Dense(1)(merged)
        model = keras.Model(inputs, outputs)
    """, [8]),
    "subclassed-model-tf-concat": ("""
        import tensorflow as tf

        class WideAndDeep(tf.keras.Model):
            def __init__(self, units=30, **kwargs):
                super().__init__(**kwargs)
                self.norm = tf.keras.layers.Normalization()
                self.hidden = tf.keras.layers.Dense(units, activation="relu")
                self.out = tf.keras.layers.Dense(1)

            def call(self, inputs):
                deep = self.hidden(self.norm(inputs))
                return self.out(tf.concat([inputs, deep], axis=-1))

        model = WideAndDeep()
        y = model(tf.keras.Input(shape=(8,)))
    """, [12]),
}

LOOKALIKES = {
    "layer-output-normalized-and-joined-raw": """
        from tensorflow import keras

        inputs = keras.Input(shape=(10,))
        features = keras.layers.Dense(16)(inputs)
        scaled = keras.layers.Normalization()(features)
        deep = keras.layers.Dense(8, activation="relu")(scaled)
        both = keras.layers.Concatenate(axis=-1)([deep, features])
        model = keras.Model(inputs, keras.layers.Dense(1)(both))
    """,
    "normalized-output-joined": """
        import tensorflow as tf

        input_ = tf.keras.layers.Input(shape=(8,))
        normalized = tf.keras.layers.Normalization()(input_)
        hidden = tf.keras.layers.Dense(30, activation="relu")(normalized)
        concat = tf.keras.layers.Concatenate()([normalized, hidden])
        model = tf.keras.Model(input_, tf.keras.layers.Dense(1)(concat))
    """,
    "each-input-its-own-normalization": """
        import tensorflow as tf

        input_wide = tf.keras.layers.Input(shape=[5])
        input_deep = tf.keras.layers.Input(shape=[6])
        norm_wide = tf.keras.layers.Normalization()(input_wide)
        norm_deep = tf.keras.layers.Normalization()(input_deep)
        hidden = tf.keras.layers.Dense(30, activation="relu")(norm_deep)
        concat = tf.keras.layers.concatenate([norm_wide, hidden])
        model = tf.keras.Model(inputs=[input_wide, input_deep], outputs=[tf.keras.layers.Dense(1)(concat)])
    """,
    "other-normalizations-and-layer-outputs": """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(16,))
        h = tf.keras.layers.Dense(16)(inputs)
        ln = tf.keras.layers.LayerNormalization()(h)
        bn = tf.keras.layers.BatchNormalization()(inputs)
        joined = tf.keras.layers.Concatenate()([h, ln, bn, inputs])
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(joined))
    """,
    "arrays-outside-a-model": """
        import numpy as np
        import tensorflow as tf

        X_a = np.random.rand(100, 4)
        X_b = np.random.rand(50, 4)
        norm = tf.keras.layers.Normalization()
        norm.adapt(X_a)
        scaled = norm(X_a)
        X_all = np.concatenate([X_a, X_b])
        t = tf.concat([tf.constant(X_a), tf.constant(X_b)], axis=0)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_normalized_input_joined_raw_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_points_at_the_join(tmp_path):
    f = tmp_path / "wide.py"
    f.write_text(textwrap.dedent(BUGS["functional-wide-and-deep"][0]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL446", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "wide.py:11:10: TL446 part 1 of this join is the input that the Normalization layer at line 9" in out.stdout
