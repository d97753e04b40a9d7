"""TL319: a sigmoid of a sigmoid output, a softmax of a softmax output. Written several ways
(tf.keras, Keras 3, torch; functions, methods, layers, models wrapping models, helper
functions); the look-alikes apply the second activation to values that are not probabilities,
or over another axis."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL319",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "predict.py", ONLY).findings)


BUGS = {
    # the tensorflow/docs transfer-learning tutorial
    "predict-on-batch-flatten-then-sigmoid": ("""
        import tensorflow as tf
        base = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False)
        inputs = tf.keras.Input(shape=(160, 160, 3))
        x = base(inputs, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        outputs = tf.keras.layers.Dense(1, activation='sigmoid')(x)
        model = tf.keras.Model(inputs, outputs)
        predictions = model.predict_on_batch(tf.zeros((8, 160, 160, 3))).flatten()
        predictions = tf.nn.sigmoid(predictions)
        predictions = tf.where(predictions < 0.5, 0, 1)
    """, [9]),
    "keras3-activations-sigmoid-of-model-call": ("""
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input((20,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
        probs = keras.activations.sigmoid(model(keras.random.normal((4, 20))))
    """, [4]),
    "torch-sigmoid-in-a-helper": ("""
        import torch
        import torch.nn as nn

        class Classifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 1)

            def forward(self, x):
                return torch.sigmoid(self.fc(x))

        def predict(model, x):
            with torch.no_grad():
                return (model(x).sigmoid() > 0.5).long()

        labels = predict(Classifier(), torch.randn(5, 10))
    """, [14]),
    "functional-sigmoid-of-sequential": ("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        net = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
        scores = net(torch.randn(16, 8))
        p = F.sigmoid(scores)
    """, [6]),
    "softmax-layer-after-softmax-dense": ("""
        from tensorflow import keras
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(128, activation='relu'),
            keras.layers.Dense(10, activation='softmax'),
            keras.layers.Dropout(0.1),
            keras.layers.Softmax(),
        ])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    """, [7]),
    "probability-model-around-softmax-model": ("""
        import tensorflow as tf
        model = tf.keras.Sequential([
            tf.keras.Input((28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation='softmax'),
        ])
        probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
        predictions = probability_model.predict(tf.zeros((2, 28, 28)))
    """, [7]),
    "tf-softmax-of-predict": ("""
        import numpy as np
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="softmax")])
        scores = model.predict(np.zeros((10, 4), dtype="float32"))
        probs = tf.nn.softmax(scores, axis=-1)
    """, [5]),
    "activation-layer-after-sigmoid-dense": ("""
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        model = Sequential()
        model.add(Dense(1, input_dim=8, activation='sigmoid'))
        model.add(Activation('sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam')
    """, [5]),
}

LOOKALIKES = {
    "sigmoid-of-logits": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
        probs = tf.nn.sigmoid(model.predict(tf.zeros((4, 8))).flatten())
    """,
    "hidden-sigmoid-then-linear-head": """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(8, 4), nn.Sigmoid(), nn.Linear(4, 1))
        p = torch.sigmoid(net(torch.randn(4, 8)))
    """,
    "softmax-then-dense-then-softmax": """
        import keras
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax"),
                                  keras.layers.Dense(3), keras.layers.Softmax()])
        model.compile(loss="categorical_crossentropy")
    """,
    "softmax-over-the-other-axis": """
        import torch
        import torch.nn.functional as F
        scores = torch.randn(4, 6)
        rows = F.softmax(scores, dim=1)
        cols = F.softmax(rows, dim=0)
    """,
    "sigmoid-after-linear-activation": """
        import keras
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="linear"),
                                  keras.layers.Activation("sigmoid")])
        model.compile(loss="binary_crossentropy")
    """,
    "tanh-then-sigmoid": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1, activation="tanh")])
        p = tf.sigmoid(model(tf.zeros((2, 8))))
    """,
    # a sum of probabilities leaves (0, 1)
    "sum-of-sigmoids": """
        import torch
        t = torch.sigmoid(torch.randn(3, 4))
        g = torch.sigmoid(t.sum(dim=1))
        total = tf_total = t.sum()
        h = torch.sigmoid(total)
    """,
    "unknown-model": """
        import tensorflow as tf
        model = tf.keras.models.load_model("clf.keras")
        p = tf.nn.sigmoid(model.predict(tf.zeros((2, 8))))
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_activation_applied_twice_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []
