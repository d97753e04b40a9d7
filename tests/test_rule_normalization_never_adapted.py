"""TL505 normalization-never-adapted, written the ways people write it: a tf.keras
`Normalization` applied to the features that go to `fit` at module level, inside a
keras-tuner `HyperModel.fit` method, under the TF 2.3-2.5 `experimental.preprocessing` path with
the call inlined into `fit`, and before `predict`. The look-alikes adapt it (before or after the
call), give it its mean and variance, build it into a functional model, return it, or keep it
as an attribute. Each case marks its expected findings with `# expect: TL505`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "module-level-tf-keras": """
    import numpy as np
    import tensorflow as tf

    X_train = np.random.rand(200, 8) * 1000
    y_train = np.random.rand(200)
    normalizer = tf.keras.layers.Normalization(axis=-1)  # expect: TL505
    X_train_n = normalizer(X_train)
    model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu'), tf.keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(X_train_n, y_train, epochs=3)
    """,
    "hypermodel-fit-method": """
    import keras_tuner as kt
    import tensorflow as tf

    class MyHyperModel(kt.HyperModel):
        def build(self, hp):
            model = tf.keras.Sequential([tf.keras.layers.Dense(hp.Int('units', 8, 64)), tf.keras.layers.Dense(1)])
            model.compile(optimizer='adam', loss='mse')
            return model

        def fit(self, hp, model, X, y, **kwargs):
            if hp.Boolean('normalize'):
                norm_layer = tf.keras.layers.Normalization()  # expect: TL505
                X = norm_layer(X)
            return model.fit(X, y, **kwargs)
    """,
    "experimental-path-inlined": """
    import numpy as np
    from tensorflow.keras.layers.experimental.preprocessing import Normalization
    from tensorflow import keras

    features = np.random.rand(64, 4) * 100
    labels = np.random.randint(0, 2, 64)
    model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    scale = Normalization()  # expect: TL505
    model.fit(x=scale(features), y=labels)
    """,
    "before-predict-in-a-function": """
    import keras

    def score(model, rows):
        norm = keras.layers.Normalization()  # expect: TL505
        scaled = norm(rows)
        return model.predict(scaled)
    """,
    "ok-adapted-before": """
    import numpy as np
    import tensorflow as tf

    X = np.random.rand(100, 3) * 50
    norm = tf.keras.layers.Normalization()
    norm.adapt(X)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(norm(X), X[:, 0])
    """,
    "ok-functional-model-adapted-after": """
    import numpy as np
    import keras

    X = np.random.rand(100, 3) * 50
    inputs = keras.Input(shape=(3,))
    norm = keras.layers.Normalization()
    x = norm(inputs)
    out = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, out)
    norm.adapt(X)
    model.compile(optimizer='adam', loss='mse')
    model.fit(X, X[:, 0])
    """,
    "ok-statistics-given": """
    import numpy as np
    import keras

    X = np.random.rand(100, 3)
    norm = keras.layers.Normalization(mean=[0.5, 0.5, 0.5], variance=[0.08, 0.08, 0.08])
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(norm(X), X[:, 0])
    """,
    "ok-layer-kept-on-the-object-or-returned": """
    import keras

    class Scaler:
        def __init__(self):
            self.norm = keras.layers.Normalization()

        def __call__(self, x):
            return self.norm(x)

    def make_norm(data):
        norm = keras.layers.Normalization()
        return norm
    """,
    "ok-applied-but-not-fed-to-training": """
    import numpy as np
    import keras

    X = np.random.rand(100, 3)
    norm = keras.layers.Normalization()
    preview = norm(X[:5])
    print(preview)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_normalization_never_adapted(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code == "TL505"}
    assert found == _expected(text)
