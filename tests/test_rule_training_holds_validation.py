"""TL507: fit trains on the data a validation split was taken from (or rows taken from it
directly), not on the split's training part. Written several ways; the look-alikes train on the
training part, on other data, or on a name bound again before fit."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL507",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    # the tensorflow-deep-learning notebook: a 10 % sample of the frame the split was made from
    "frame-sample-with-columns": ("""
        import pandas as pd
        import tensorflow as tf
        from sklearn.model_selection import train_test_split

        train_df = pd.read_csv("train.csv")
        shuffled = train_df.sample(frac=1, random_state=42)
        train_sentences, val_sentences, train_labels, val_labels = train_test_split(
            shuffled["text"].to_numpy(), shuffled["target"].to_numpy(), test_size=0.1, random_state=42)
        subset = shuffled[["text", "target"]].sample(frac=0.1, random_state=42)
        sentences_10 = subset["text"].to_list()
        labels_10 = subset["target"].to_list()
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x=sentences_10, y=labels_10, epochs=5, validation_data=(val_sentences, val_labels))
    """, [14]),
    # numpy arrays: the whole X fitted, its split's test part as validation data
    "whole-array-fitted": ("""
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split

        X = np.load("features.npy")
        y = np.load("labels.npy")
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        history = model.fit(np.asarray(X), y, validation_data=(X_test, y_test), epochs=10)
    """, [10]),
    # keras.utils.split_dataset of a tf.data pipeline, inside a training function
    "split-dataset-in-a-function": ("""
        import keras
        import tensorflow as tf

        def train(model, features, labels):
            ds = tf.data.Dataset.from_tensor_slices((features, labels)).batch(32)
            train_ds, val_ds = keras.utils.split_dataset(ds, left_size=0.8)
            return model.fit(ds, validation_data=val_ds, epochs=3)
    """, [7]),
    # age-gender-estimation's train.py: the shuffled data sliced into training and validation
    # rows, then fitted whole
    "slice-held-out-then-whole-fitted": ("""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense

        def main(images, ages, validation_split=0.2):
            X_data = images
            indexes = np.arange(len(X_data))
            np.random.shuffle(indexes)
            X_data = X_data[indexes]
            y_data = ages[indexes]
            train_num = int(len(X_data) * (1 - validation_split))
            X_train = X_data[:train_num]
            X_test = X_data[train_num:]
            y_test = y_data[train_num:]
            model = Sequential([Dense(1)])
            model.compile(optimizer="sgd", loss="mse")
            model.fit(X_data, y_data, epochs=3, validation_data=(X_test, y_test))
    """, [17]),
    "inline-slice-tf-keras-module-level": ("""
        import numpy as np
        import tensorflow as tf
        x = np.load("x.npy")
        y = np.load("y.npy")
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, validation_data=(x[-500:], y[-500:]), epochs=5)
    """, [7]),
    "slice-of-a-converted-frame-column": ("""
        import pandas as pd
        import keras
        frame = pd.read_csv("prices.csv")
        features = frame[["rooms", "area"]].to_numpy()
        targets = frame["price"].to_numpy()
        val_x, val_y = features[800:], targets[800:]
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(features, targets, validation_data=(val_x, val_y))
    """, [8]),
}

LOOKALIKES = {
    "slices-on-both-sides": """
        import numpy as np
        import tensorflow as tf
        x = np.load("x.npy")
        y = np.load("y.npy")
        n = int(0.8 * len(x))
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.fit(x[:n], y[:n], validation_data=(x[n:], y[n:]))
    """,
    "training-name-rebound-to-its-slice": """
        import numpy as np
        import keras
        x = np.load("x.npy")
        y = np.load("y.npy")
        x_val, y_val = x[900:], y[900:]
        x, y = x[:900], y[:900]
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, validation_data=(x_val, y_val))
    """,
    "slice-of-other-data": """
        import numpy as np
        import keras
        x = np.load("x.npy")
        extra = np.load("extra.npy")
        y = np.load("y.npy")
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, validation_data=(extra[:100], y[:100]))
    """,
    "training-part-fitted": """
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        X, y = np.load("x.npy"), np.load("y.npy")
        X_train, X_val, y_train, y_val = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X_train, y_train, validation_data=(X_val, y_val))
    """,
    "name-bound-to-the-training-part": """
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        X = np.load("x.npy")
        y = np.load("y.npy")
        X, X_val, y, y_val = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X, y, validation_data=(X_val, y_val))
    """,
    "split-of-other-data": """
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        X = np.load("x.npy")
        extra = np.load("extra.npy")
        y = np.load("y.npy")
        E_train, E_val, y_train, y_val = train_test_split(extra, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X, y, validation_data=(E_val, y_val))
    """,
    "rows-filtered-by-a-mask": """
        import pandas as pd
        import keras
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("data.csv")
        train_part, val_part = train_test_split(df[df.year < 2020])
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(df[df.year >= 2020]["x"], validation_data=(val_part["x"], val_part["y"]))
    """,
    "rebound-in-a-branch": """
        import numpy as np
        import keras
        from sklearn.model_selection import train_test_split
        X = np.load("x.npy")
        y = np.load("y.npy")
        X_train, X_val, y_train, y_val = train_test_split(X, y)
        if len(X_train) > 100:
            X = X_train
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X, y_train, validation_data=(X_val, y_val))
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_training_on_the_split_data_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []
