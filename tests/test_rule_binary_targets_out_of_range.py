"""TL328: a binary cross-entropy given targets the program shows to lie outside [0, 1]. Written
several ways (data sets of more than two classes, literal class ids, -1/1 labels, Keras and
PyTorch, compile and direct loss calls); the look-alikes give it two classes, one-hot rows, a
binary question asked of a multi-class set, or labels whose values the file does not show."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL328",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    "cifar100-coarse-labels-one-unit": ("""
        from tensorflow import keras
        (x, y), (xt, yt) = keras.datasets.cifar100.load_data(label_mode="coarse")
        model = keras.Sequential()
        model.add(keras.layers.Flatten(input_shape=(32, 32, 3)))
        model.add(keras.layers.Dense(1))
        model.add(keras.layers.Activation("sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, y, validation_data=(xt, yt))
    """, [5]),
    "three-generated-classes-functional-model": ("""
        import tensorflow as tf
        from sklearn.datasets import make_classification
        X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3)
        inp = tf.keras.Input(shape=(6,))
        out = tf.keras.layers.Dense(1, activation="sigmoid")(inp)
        model = tf.keras.Model(inp, out)
        model.compile(loss=tf.keras.losses.BinaryCrossentropy(), optimizer="sgd")
        model.fit(X, y, epochs=3)
    """, [5]),
    "literal-class-ids-evaluate": ("""
        import numpy as np
        import keras
        x = np.array([[0.1, 0.2], [0.3, 0.1], [0.9, 0.4], [0.5, 0.5]])
        y = np.array([0, 1, 2, 1])
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.evaluate(x, y)
    """, [5]),
    "keras-loss-object-called-directly": ("""
        import numpy as np
        import tensorflow as tf
        bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        y_true = np.array([[1.0], [-1.0], [1.0]])
        y_pred = tf.zeros((3, 1))
        value = bce(y_true, y_pred)
    """, [6]),
    "torch-functional-bce-on-randint-classes": ("""
        import torch
        import torch.nn.functional as F
        net = torch.nn.Linear(8, 1)
        labels = torch.randint(0, 10, (64, 1)).float()
        loss = F.binary_cross_entropy_with_logits(net(torch.randn(64, 8)), labels)
    """, [5]),
    "torch-bceloss-on-signed-labels": ("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())
        signs = torch.randint(2, (100, 1)) * 2.0 - 1
        criterion = nn.BCELoss()
        loss = criterion(model(torch.randn(100, 4)), signs)
    """, [6]),
}

LOOKALIKES = {
    "two-generated-classes": """
        from sklearn.datasets import make_classification
        from tensorflow import keras
        X, y = make_classification(200, 8)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X, y)
    """,
    "classes-with-skewed-weights-unknown-extent": """
        from sklearn.datasets import make_classification
        from tensorflow import keras
        X, y = make_classification(200, 8, n_classes=3, n_informative=4, weights=[0.5, 0.5, 0.0])
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X, y)
    """,
    "one-hot-rows-with-sigmoids": """
        import keras
        (x, y), _ = keras.datasets.mnist.load_data()
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, keras.utils.to_categorical(y, 10))
    """,
    "binary-question-of-ten-classes": """
        import keras
        (x, y), _ = keras.datasets.mnist.load_data()
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, (y == 7).astype("float32"))
    """,
    "signed-labels-mapped-to-zero-one": """
        import torch
        import torch.nn as nn
        signs = torch.randint(0, 2, (64, 1)).float() * 2 - 1
        loss = nn.BCEWithLogitsLoss()(nn.Linear(3, 1)(torch.randn(64, 3)), (signs + 1) / 2)
    """,
    "ten-classes-with-sparse-loss": """
        import keras
        (x, y), _ = keras.datasets.cifar10.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x, y)
    """,
    "class-ids-regressed-with-mse": """
        import numpy as np
        import keras
        x = np.random.rand(50, 3)
        y = np.random.randint(0, 4, 50)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(loss="mse", optimizer="adam")
        model.fit(x, y)
    """,
    "float-labels-truncated-to-int-unknown": """
        import torch
        import torch.nn as nn
        noisy = (torch.rand(32, 1) * 1.9).long().float()
        loss = nn.BCEWithLogitsLoss()(nn.Linear(3, 1)(torch.randn(32, 3)), noisy)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_targets_outside_zero_one_are_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_the_message_names_the_classes_and_the_remedy():
    src = textwrap.dedent(BUGS["cifar100-coarse-labels-one-unit"][0]).lstrip("\n")
    (finding,) = analyze(src, "train.py", ONLY).findings
    assert "values up to 19" in finding.message and "20 softmax units" in finding.message


def test_a_sample_of_draws_claims_no_exact_class_count():
    # 64 draws from 0..9 are only known to reach 8: the advice must not say the ids are of 9 classes
    src = ("import numpy as np\nimport keras\nx = np.random.rand(64, 3)\ny = np.random.randint(0, 10, 64)\n"
           "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation='sigmoid')])\n"
           "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(x, y)\n")
    (finding,) = analyze(src, "train.py", ONLY).findings
    assert "values up to 8" in finding.message
    assert "at least 9 classes" in finding.message and "one softmax unit per class" in finding.message
