"""Min-max scaling as a value range: `(y - y.min()) / (y.max() - y.min())` holds 0 (at the least
value of `y`) and 1 (at its greatest) once the program shows `y` holds two different values, with
the least and greatest values taken by the builtins, NumPy functions or array and tensor methods;
moved to [-1, 1] by literal numbers it reaches outside a sigmoid's range (TL310) and outside
binary cross-entropy's targets (TL328). Look-alikes stay silent: scaling into [0, 1], the extremes
of another array or of each column, data whose values the program does not show, and a random
part of the scaled array, which need not keep either end."""
from __future__ import annotations

import pytest

from corpus_support import marked_and_found

CASES = {
    "keras-builtin-min-max-to-minus-one": ("TL328", """
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_regression
        X, y = make_regression(5000, 16)
        hi = max(y)
        lo = min(y)
        y = 2 * ((y - lo) / (hi - lo)) - 1
        model = Sequential()
        model.add(Dense(16, input_dim=16, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))  # expect: TL328
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(X, y, epochs=3)
    """),
    "tf-keras-array-methods-then-affine": ("TL310", """
        import numpy as np
        from tensorflow import keras
        X = np.random.randn(1000, 8)
        y = np.random.randn(1000) * 3 + 2
        y = (y - y.min()) / (y.max() - y.min()) * 2 - 1
        model = keras.Sequential([keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1, activation='sigmoid')])  # expect: TL310
        model.compile(loss='mse', optimizer='adam')
        model.fit(X, y)
    """),
    "numpy-amin-amax-names-bound-first": ("TL310", """
        import numpy as np
        import tensorflow as tf
        feats = np.random.rand(800, 4)
        target = np.random.randn(800)
        t_min, t_max = np.amin(target), np.amax(target)
        scaled = (target - t_min) / (t_max - t_min) - 0.5
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='relu')])  # expect: TL310
        model.compile(optimizer='adam', loss='mae')
        model.fit(feats, scaled)
    """),
    "torch-scaled-shift-before-the-division": ("TL328", """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
        x = torch.randn(500, 8)
        t = torch.randn(500, 1)
        t = 2 * (t - t.min()) / (t.max() - t.min()) - 1
        loss = nn.BCELoss()(net(x), t)  # expect: TL328
    """),
    # look-alikes
    "scaled-into-zero-one": ("TL328", """
        import numpy as np
        from tensorflow import keras
        X = np.random.randn(1000, 8)
        y = np.random.randn(1000)
        y = (y - np.min(y)) / (np.max(y) - np.min(y))
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(X, y)
    """),
    "extremes-of-another-array": ("TL310", """
        import numpy as np
        import keras
        X = np.random.randn(1000, 8)
        y = np.random.randn(1000)
        ref = np.random.randn(1000)
        y = 2 * (y - ref.min()) / (ref.max() - ref.min()) - 1
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(loss='mse', optimizer='adam')
        model.fit(X, y)
    """),
    "per-column-extremes": ("TL310", """
        import numpy as np
        import keras
        X = np.random.randn(1000, 8)
        Y = np.random.randn(1000, 3)
        Y = 2 * (Y - Y.min(axis=0)) / (Y.max(axis=0) - Y.min(axis=0)) - 1
        model = keras.Sequential([keras.layers.Dense(3, activation='sigmoid')])
        model.compile(loss='mse', optimizer='adam')
        model.fit(X, Y)
    """),
    "values-read-from-a-file": ("TL328", """
        import numpy as np
        import keras
        data = np.loadtxt('data.csv', delimiter=',')
        X, y = data[:, :-1], data[:, -1]
        y = 2 * (y - y.min()) / (y.max() - y.min()) - 1
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(X, y)
    """),
    "random-part-of-the-scaled-targets": ("TL328", """
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        X = np.random.randn(1000, 8)
        y = np.random.randn(1000)
        y = 2 * (y - y.min()) / (y.max() - y.min()) - 1
        X_tr, X_te, y_tr, y_te = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(X_tr, y_tr)
    """),
    "shifted-then-added-before-dividing": ("TL310", """
        import numpy as np
        import keras
        X = np.random.randn(1000, 8)
        y = np.random.randn(1000)
        y = ((y - y.min()) + 5) / (y.max() - y.min())
        model = keras.Sequential([keras.layers.Dense(1, activation='tanh')])
        model.compile(loss='mse', optimizer='adam')
        model.fit(X, y)
    """),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_min_max_scaling_ranges(name):
    code, text = CASES[name]
    marked, found = marked_and_found(code, name, text)
    assert found == marked
