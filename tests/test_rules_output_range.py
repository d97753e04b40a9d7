"""TL310 output-range-mismatch on the bug written the ways people write it (Keras Sequential and
functional, `activation=` and `Activation` layers, tf.keras, torch modules and functions) and on
correct look-alikes: targets scaled into the output's range, 0/1 labels with binary
cross-entropy, targets whose range the program does not establish. Each case marks its expected
findings with `# expect: TL310`; every other line must stay silent."""
from __future__ import annotations

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    # each row of several signed targets divided by its own sum: the values keep both signs
    "keras-sigmoid-on-rows-divided-by-their-sum": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_regression

        X, Y = make_regression(1000, 28, n_targets=6)
        for row_index in range(0, len(Y)):
            Y[row_index] = Y[row_index] / float(sum(Y[row_index]))
        model = Sequential()
        model.add(Dense(20, input_dim=28, activation='relu'))
        model.add(Dense(6, activation='sigmoid'))  # expect: TL310
        model.compile(optimizer="adam", loss='mae')
        model.fit(X, Y, epochs=20)
    """,
    "tf-keras-relu-on-targets-over-a-scalar-of-their-own": """
        import numpy as np
        import tensorflow as tf
        from sklearn.datasets import make_regression

        X, y = make_regression(400, 8, n_targets=2)
        y = y / np.linalg.norm(y)
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(2, activation='relu')])  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """,
    # one target per row divided by its own sum is 1; a product with an unknown number may be 0
    "one-target-per-row-over-its-sum-and-an-unknown-factor": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_regression

        X, Y = make_regression(1000, 28)
        Y = Y.reshape(-1, 1)
        for i in range(len(Y)):
            Y[i] = Y[i] / np.sum(Y[i])
        model = Sequential([Dense(1, input_dim=28, activation='sigmoid')])
        model.compile(optimizer="adam", loss='mae')
        model.fit(X, Y)
        X2, Y2 = make_regression(100, 4, n_targets=3)
        Y2 = Y2 * weight_of(Y2)
        model2 = Sequential([Dense(3, input_dim=4, activation='sigmoid')])
        model2.compile(optimizer="adam", loss='mse')
        model2.fit(X2, Y2)
    """,
    "keras-sigmoid-on-make-regression-split": """
        from keras import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_regression
        from sklearn.model_selection import train_test_split

        X, y = make_regression(1000, 5, random_state=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)
        model = Sequential()
        model.add(Dense(4, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))  # expect: TL310
        model.compile('sgd', loss=['mse'])
        model.fit(X_train, y_train, epochs=10)
    """,
    "tf-keras-functional-softmax-poisson-several-targets": """
        from tensorflow import keras
        from sklearn.datasets import make_regression

        X, y = make_regression(500, n_features=10, n_targets=3)
        inputs = keras.Input(shape=(10,))
        h = keras.layers.Dense(32, activation='relu')(inputs)
        outputs = keras.layers.Dense(3, activation='softmax')(h)  # expect: TL310
        model = keras.Model(inputs, outputs)
        model.compile(optimizer='adam', loss='poisson')
        model.fit(X, y)
    """,
    "keras-relu-activation-layer-on-labels-mapped-to-minus-one": """
        import numpy as np
        import keras
        labels = np.array([0, 1, 1, 0, 1, 0, 0, 1])
        y = labels * 2 - 1
        x = np.random.rand(8, 3)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1), keras.layers.Activation('relu')])  # expect: TL310
        model.compile(optimizer='adam', loss=keras.losses.MeanSquaredError())
        model.fit(x, y)
    """,
    "keras-tanh-on-values-up-to-four": """
        import numpy as np
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense
        outputs = np.array([[3, 3, 1, 0], [3, 3, 4, 0]])
        model = Sequential()
        model.add(Dense(4, input_dim=5, activation='tanh'))  # expect: TL310
        model.compile(loss='mean_absolute_error', optimizer='adam')
        model.fit(np.ones((2, 5)), outputs)
    """,
    "keras-relu-autoencoder-on-minmax-range-below-zero": """
        from keras import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_classification
        from sklearn.preprocessing import MinMaxScaler
        X, _ = make_classification(200, 20)
        X = MinMaxScaler(feature_range=(-1, 1)).fit_transform(X)
        model = Sequential([Dense(8, activation='relu', input_shape=(20,)), Dense(20, activation='relu')])  # expect: TL310
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, X)
    """,
    "torch-sigmoid-module-mse-on-literal-targets": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
        x = torch.tensor([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]])
        y = torch.tensor([[0.0], [5.0], [9.0]])
        criterion = nn.MSELoss()
        pred = model(x)  # expect: TL310
        loss = criterion(pred, y)
    """,
    "torch-functional-sigmoid-l1-on-randn": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        lin = nn.Linear(4, 1)
        x = torch.randn(64, 4)
        target = torch.randn(64, 1)
        out = torch.sigmoid(lin(x))  # expect: TL310
        loss = F.l1_loss(out, target)
    """,
    # -- look-alikes ------------------------------------------------------------------------------
    "scaled-targets-into-sigmoid-range": """
        import numpy as np
        from sklearn.preprocessing import MinMaxScaler
        import keras
        y = np.array([[10.0], [20.0], [40.0], [80.0]])
        y = MinMaxScaler().fit_transform(y)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((4, 1)), y)
    """,
    "targets-divided-into-range": """
        import numpy as np
        import keras
        y = np.array([[1.0], [2.0], [4.0]]) / 4.0
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((3, 1)), y)
    """,
    "binary-labels-bce": """
        import numpy as np
        import keras
        from sklearn.datasets import make_classification
        X, y = make_classification(500, 7)
        model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        model.fit(X, y)
    """,
    "binary-labels-mse-sigmoid": """
        import numpy as np
        import keras
        y = np.array([0, 1, 1, 0])
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((4, 2)), y)
    """,
    "unknown-csv-targets": """
        import numpy as np
        import pandas as pd
        import keras
        df = pd.read_csv('prices.csv')
        y = df['price'].values
        x = np.loadtxt('x.csv')
        model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(x, y)
    """,
    "relu-on-positive-targets": """
        import numpy as np
        import keras
        y = np.array([[1.0], [2.5], [7.0]])
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='relu')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((3, 1)), y)
    """,
    "clipped-targets": """
        import numpy as np
        import torch
        import torch.nn as nn
        y = torch.randn(64, 1)
        y = torch.clamp(y, 0, 1)
        out = torch.sigmoid(nn.Linear(3, 1)(torch.randn(64, 3)))
        loss = nn.MSELoss()(out, y)
    """,
    "few-normal-draws-prove-nothing": """
        import numpy as np
        import keras
        y = np.random.randn(1)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((1, 1)), y)
    """,
    "literal-slice-may-drop-the-extremes": """
        import numpy as np
        import keras
        data = np.array([[0.2, 9.0], [0.5, 3.0]])
        y = data[:, 0]
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(np.ones((2, 1)), y)
    """,
    "rows-rescaled-in-a-loop-keep-their-range": """
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.datasets import make_regression

        X, Y = make_regression(1000, 28, n_targets=6)
        for row in range(len(Y)):
            Y[row] = Y[row] * 0.5
        model = Sequential()
        model.add(Dense(20, input_dim=28, activation='relu'))
        model.add(Dense(6, activation='sigmoid'))  # expect: TL310
        model.compile(optimizer="adam", loss='mae')
        model.fit(X, Y, epochs=20)
    """,
    "negative-targets-overwritten-by-index": """
        from sklearn.datasets import make_regression
        import keras

        X, y = make_regression(1000, 5)
        y[y < 0] = 0
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1, activation='relu')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """,
    "targets-overwritten-row-by-row": """
        import numpy as np
        import keras

        X = np.random.randn(500, 3)
        y = np.random.randn(500)
        for i in range(len(y)):
            y[i] = abs(y[i])
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation='relu')])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """,
    "linear-output-regression": """
        from sklearn.datasets import make_regression
        import keras
        X, y = make_regression(1000, 5)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_range_written_several_ways(name):
    marked, found = marked_and_found("TL310", name, CASES[name])
    assert found == marked


def test_message_names_the_activation_and_the_targets():
    f = only_finding("TL310", CASES["keras-tanh-on-values-up-to-four"])
    assert "tanh, in (-1, 1)" in f.message and "`outputs` (line 4) holds values up to 4" in f.message
    assert any(r.span.start.line == 8 for r in f.related), "the fit call is a related location"
