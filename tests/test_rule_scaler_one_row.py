"""TL217: a per-feature scaler fitted on one sample (scikit-learn scalers, Keras Normalization).
Written several ways; the look-alikes fit on many rows, transform one sample with a scaler
fitted on many, or reduce over the whole array."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL217",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    # the Stack Overflow program of the deepmufl set: labels wrapped in a list
    "minmax-of-wrapped-labels": ("""
        import keras
        from sklearn import preprocessing
        y = preprocessing.LabelEncoder().fit_transform(labels)
        scaler_y = preprocessing.MinMaxScaler(feature_range=(-1, 1))
        y = scaler_y.fit_transform([y])[0]
        model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
    """, [5]),
    "standard-scaler-reshape-one-row": ("""
        import numpy as np
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler
        prices = np.loadtxt("prices.csv")
        prices = StandardScaler().fit_transform(prices.reshape(1, -1))
    """, [5]),
    "robust-scaler-in-a-function-new-axis": ("""
        import numpy as np
        import torch
        from sklearn.preprocessing import RobustScaler

        def scale(values):
            scaler = RobustScaler()
            scaler.fit(values[np.newaxis, :])
            return scaler
    """, [7]),
    "keras-normalization-adapted-on-one-row": ("""
        import numpy as np
        import tensorflow as tf
        targets = np.random.rand(500)
        norm = tf.keras.layers.Normalization(axis=-1)
        norm.adapt(targets.reshape((1, -1)))
    """, [5]),
}

LOOKALIKES = {
    "a-column": """
        import numpy as np
        import keras
        from sklearn.preprocessing import MinMaxScaler
        y = np.random.rand(100)
        y = MinMaxScaler().fit_transform(y.reshape(-1, 1)).ravel()
    """,
    "one-sample-transformed": """
        import numpy as np
        import keras
        from sklearn.preprocessing import StandardScaler
        X = np.random.rand(100, 4)
        scaler = StandardScaler()
        scaler.fit(X)
        print(scaler.transform([X[0]]), scaler.transform(X[0].reshape(1, -1)))
    """,
    "normalization-over-the-whole-array": """
        import numpy as np
        import keras
        y = np.random.rand(100)
        norm = keras.layers.Normalization(axis=None)
        norm.adapt(y.reshape(1, -1))
        per_row = keras.layers.Normalization(axis=0)
        per_row.adapt(y.reshape(1, -1))
    """,
    "keras-adapt-on-a-wrapped-name": """
        import numpy as np
        import keras
        X = np.random.rand(100, 4)
        norm = keras.layers.Normalization()
        norm.adapt(np.array([X]))
    """,
    "rows-in-a-list": """
        import keras
        from sklearn.preprocessing import MinMaxScaler
        scaler = MinMaxScaler()
        scaler.fit([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    """,
    "another-kind-of-object": """
        import keras
        from sklearn.linear_model import LinearRegression
        model = LinearRegression()
        model.fit([x], [y])
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_scaler_fitted_on_one_row_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []
