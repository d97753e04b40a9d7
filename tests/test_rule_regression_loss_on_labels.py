"""TL313 regression-loss-on-class-labels (opt-in) on the bug written the ways people write it
(Keras 3 `to_categorical`, legacy `np_utils`, tf.keras literal one-hot rows, scikit-learn class
ids with a percentage loss object, MNIST labels from `load_data`, `np.eye(n)[y]`, PyTorch
`MSELoss`/`l1_loss` on `F.one_hot` rows and class ids) and on correct
look-alikes: regression targets, an autoencoder trained on its input, cross-entropy, labels
mapped to other values by arithmetic. Each case marks its expected findings with
`# expect: TL313`; every other line must stay silent."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras3-to-categorical-softmax-mse": """
        import numpy as np
        import keras
        from keras.utils import to_categorical

        x = np.random.rand(500, 14)
        y = to_categorical(np.random.randint(0, 2, 500))
        model = keras.Sequential([keras.Input((14,)), keras.layers.Dense(64, activation="tanh"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(loss="mean_squared_error", optimizer="sgd")  # expect: TL313
        model.fit(x, y, epochs=20)
    """,
    "legacy-np-utils-mae": """
        from keras.models import Sequential
        from keras.layers.core import Dense
        from keras.utils import np_utils
        from keras.datasets import mnist

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(60000, 784) / 255.0
        Y_train = np_utils.to_categorical(y_train, 10)
        model = Sequential()
        model.add(Dense(10, input_dim=784, activation="softmax"))
        model.compile(loss="mae", optimizer="rmsprop")  # expect: TL313
        model.fit(X_train, Y_train)
    """,
    "tf-keras-literal-one-hot-rows": """
        import numpy as np
        import tensorflow as tf

        data = [[[0, 0]], [[0, 1]], [[1, 0]], [[1, 1]]]
        output = [[1, 0], [0, 1], [0, 1], [1, 0]]
        model = tf.keras.Sequential([tf.keras.Input((1, 2)), tf.keras.layers.LSTM(10), tf.keras.layers.Dense(2)])
        model.compile(loss=tf.keras.losses.MeanAbsoluteError(), optimizer="adam")  # expect: TL313
        model.fit(np.asarray(data), np.asarray(output), epochs=50)
    """,
    "sklearn-class-ids-percentage-loss": """
        from sklearn.datasets import make_classification
        from sklearn.model_selection import train_test_split
        from tensorflow import keras

        X, y = make_classification(1000, 20)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam",  # expect: TL313
                      loss=keras.losses.MeanAbsolutePercentageError())
        model.fit(X_train, y_train)
    """,
    "mnist-ids-and-eye-rows-mse": """
        import numpy as np
        import keras

        (x, y), _ = keras.datasets.mnist.load_data()
        x = x.reshape(-1, 784).astype("float32") / 255
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")  # expect: TL313
        model.fit(x, y)
        wide = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
        wide.compile(optimizer="adam", loss=keras.losses.Huber())  # expect: TL313
        wide.fit(x, np.eye(10)[y])
    """,
    "torch-mse-on-one-hot-and-class-ids": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from sklearn.datasets import make_classification

        X, y = make_classification(500, 10)
        x, labels = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
        model = nn.Sequential(nn.Linear(10, 2), nn.Softmax(dim=1))
        criterion = nn.MSELoss()
        loss = criterion(model(x), F.one_hot(labels, 2).float())  # expect: TL313
        loss2 = F.l1_loss(model(x)[:, 1], labels.float())  # expect: TL313
    """,
    # -- silent ----------------------------------------------------------------------------
    "regression-targets": """
        from sklearn.datasets import make_regression
        import keras

        X, y = make_regression(500, 4)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
    """,
    "autoencoder-on-one-hot-input": """
        import numpy as np
        import keras

        x = keras.utils.to_categorical(np.random.randint(0, 5, 100), 5)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2), keras.layers.Dense(5, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, x)
    """,
    "torch-regression-and-cross-entropy": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        x = torch.randn(64, 10)
        labels = torch.randint(0, 3, (64,))
        net = nn.Linear(10, 3)
        ce = nn.CrossEntropyLoss()(net(x), labels)
        reg = nn.MSELoss()(net(x), torch.randn(64, 3))
    """,
    "cross-entropy-and-mapped-labels": """
        from sklearn.datasets import make_classification
        import keras

        X, y = make_classification(1000, 20)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(X, y)
        margin = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="tanh")])
        margin.compile(optimizer="adam", loss="mse")
        margin.fit(X, y * 2 - 1)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_regression_loss_on_class_labels_written_several_ways(name):
    marked, found = marked_and_found("TL313", name, CASES[name])
    assert found == marked


def test_messages_name_the_labels_and_the_percentage_division():
    f = only_finding("TL313", CASES["sklearn-class-ids-percentage-loss"])
    assert "MeanAbsolutePercentageError is trained on `y_train`" in f.message and "class ids" in f.message
    assert "divides by the target, which is 0 for every sample of class 0" in f.message
    f = only_finding("TL313", CASES["keras3-to-categorical-softmax-mse"])
    assert "mean_squared_error is trained on `y`" in f.message and "one-hot rows" in f.message


def test_opt_in():
    with pytest.raises(ValueError):
        only_finding("TL313", CASES["keras3-to-categorical-softmax-mse"], Config())
