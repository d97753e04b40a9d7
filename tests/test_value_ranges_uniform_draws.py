"""Value ranges of uniform draws (`np.random.rand`, `random`, `uniform(low, high)`,
`tf.random.uniform`, `torch.rand`), moved by literal numbers and written element by element in
a counted loop, read by TL310 (bounded outputs) and TL328 (binary cross-entropy targets). Each
case marks its expected findings with `# expect: CODE`; every other line must stay silent: the
draws inside the output's range, too few draws to reach outside it, and writes the loop may skip
or repeat."""
from __future__ import annotations

import pytest

from corpus_support import marked_and_found

CASES = {
    "keras-sigmoid-on-rand-mapped-to-minus-one": ("TL310", """
        import numpy as np
        import keras
        X = np.random.rand(1000, 4)
        y = np.random.rand(1000) * 2 - 1
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """),
    "tf-keras-relu-on-uniform-of-both-signs": ("TL310", """
        import numpy as np
        from tensorflow import keras
        X = np.random.randn(500, 8)
        y = np.random.uniform(-1, 1, size=(500, 1))
        model = keras.Sequential([keras.layers.Dense(16, activation='relu', input_shape=(8,)),
                                  keras.layers.Dense(1, activation='relu')])  # expect: TL310
        model.compile(optimizer='adam', loss='mae')
        model.fit(X, y, epochs=3)
    """),
    "tf-binary-crossentropy-on-tf-uniform": ("TL328", """
        import tensorflow as tf
        x = tf.random.normal((256, 8))
        y = tf.random.uniform((256, 1), minval=-2.0, maxval=2.0)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid')])  # expect: TL328
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(x, y)
    """),
    "torch-bce-on-rand-shifted": ("TL328", """
        import torch
        import torch.nn as nn
        net = nn.Linear(8, 1)
        x = torch.randn(64, 8)
        target = torch.rand(64, 1) * 2 - 1
        loss = nn.BCELoss()(torch.sigmoid(net(x)), target)  # expect: TL328
    """),
    "keras-targets-written-per-pass-from-a-fresh-draw": ("TL310", """
        import numpy as np
        from tensorflow.keras import layers, models
        n = 2000
        xs = np.zeros((n, 30))
        ys = np.zeros(n)
        for i in range(n):
            vec = (np.random.random(30) * 2) - 1
            xs[i] = vec
            ys[i] = vec[1]
        model = models.Sequential()
        model.add(layers.Dense(1, activation="sigmoid", input_shape=(30,)))  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(xs, ys)
    """),
    "keras-scalar-draw-written-per-pass": ("TL310", """
        import numpy as np
        import keras
        xs = np.random.rand(300, 2)
        ys = np.zeros((300, 1))
        for k in range(0, 300):
            ys[k] = np.random.uniform(-3, 3)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation='tanh')])  # expect: TL310
        model.compile(optimizer='sgd', loss='mse')
        model.fit(xs, ys)
    """),
    "keras-loop-over-len-of-the-targets": ("TL310", """
        import numpy as np
        from tensorflow import keras
        X = np.random.rand(1000, 2)
        y = np.zeros(1000)
        for i in range(len(y)):
            y[i] = np.random.uniform(-1, 1)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation='sigmoid')])  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """),
    "tf-keras-training-part-of-a-split": ("TL328", """
        import numpy as np
        import tensorflow as tf
        from sklearn.model_selection import train_test_split
        X = np.random.rand(1000, 2)
        y = np.random.rand(1000) * 2 - 1
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1, activation='sigmoid')])  # expect: TL328
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(X_train, y_train)
    """),
    "keras-first-rows-of-draws-written-per-pass": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(2000)
        for i in range(2000):
            ys[i] = np.random.rand() * 4 - 2
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='relu')])  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(500, 1), ys[:500])
    """),
    # look-alikes
    "two-rows-of-the-draws": ("TL310", """
        import numpy as np
        import keras
        y = np.random.rand(1000) * 2 - 1
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(2, 2), y[:2])
    """),
    "some-rows-written-rest-left-zero-then-sliced": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(2000)
        for i in range(1000):
            ys[i] = np.random.rand() * 2 - 1
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys[1000:])
    """),
    "index-moved-inside-the-body": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(1000)
        for i in range(1000):
            i = i % 2
            ys[i] = np.random.rand() * 2 - 1
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "len-rebound-in-the-file": ("TL310", """
        import numpy as np
        import keras
        def len(a):
            return 1
        ys = np.zeros(1000)
        for i in range(len(ys)):
            ys[i] = np.random.rand() * 2 - 1
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "sigmoid-on-rand-in-range": ("TL310", """
        import numpy as np
        import keras
        X = np.random.rand(1000, 4)
        y = np.random.rand(1000)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """),
    "tanh-on-uniform-in-range": ("TL310", """
        import numpy as np
        from tensorflow import keras
        X = np.random.rand(1000, 4)
        y = np.random.uniform(-1, 1, 1000)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='tanh')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """),
    "too-few-draws-to-reach-below-zero": ("TL328", """
        import numpy as np
        import tensorflow as tf
        x = np.random.rand(3, 2)
        y = np.random.uniform(-0.05, 1.0, size=3)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(x, y)
    """),
    "write-under-a-condition": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(1000)
        for i in range(1000):
            v = np.random.rand() * 2 - 1
            if v > 0:
                ys[i] = v
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "loop-that-may-stop-early": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(1000)
        for i in range(1000):
            ys[i] = np.random.rand() * 2 - 1
            if ys[i] < 0:
                break
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "one-draw-before-the-loop-written-every-pass": ("TL310", """
        import numpy as np
        import keras
        v = np.random.rand(30) * 2 - 1
        ys = np.zeros(1000)
        for i in range(1000):
            ys[i] = v[1]
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "written-then-folded-into-range": ("TL310", """
        import numpy as np
        import keras
        ys = np.zeros(1000)
        for i in range(1000):
            ys[i] = np.random.rand() * 2 - 1
            ys[i] = abs(ys[i])
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.random.rand(1000, 1), ys)
    """),
    "picked-by-value": ("TL328", """
        import numpy as np
        import keras
        u = np.random.uniform(-1, 1, 5000)
        y = u[u > 0]
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(np.random.rand(len(y), 2), y)
    """),
    "torch-bce-on-rand": ("TL328", """
        import torch
        import torch.nn as nn
        net = nn.Linear(8, 1)
        target = torch.rand(64, 1)
        loss = nn.BCEWithLogitsLoss()(net(torch.randn(64, 8)), target)
    """),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_uniform_draw_ranges(name):
    code, text = CASES[name]
    marked, found = marked_and_found(code, name, text)
    assert found == marked


def test_message_says_where_the_values_come_from():
    from corpus_support import only_finding
    f = only_finding("TL310", CASES["keras-targets-written-per-pass-from-a-fresh-draw"][1])
    assert "written one row per pass of a loop" in f.message and "holds values down to -0.9" in f.message
