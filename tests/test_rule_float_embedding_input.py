"""TL105 float-input-to-embedding on the bug written the ways people write it (legacy Keras 2
paths with `keras.utils.normalize`, tf.keras with a scikit-learn scaler and a split, Keras 3 with
a scaler fitted then applied, raw `make_classification` features, a functional model's Input, an
Embedding applied to NumPy data) and on correct look-alikes: integer ids, whole-number ids read
as floats, ids cast to float, normalized features into a Dense-first model. Each case marks its
expected findings with `# expect: TL105`; every other line must stay silent."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "legacy-keras-utils-normalize": """
        from keras.utils import normalize
        from keras import Sequential
        from keras.layers import Embedding, LSTM, Dense
        from sklearn.datasets import make_classification
        from sklearn.model_selection import train_test_split

        X, y = make_classification(1000, 100)
        X = normalize(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)
        model = Sequential([
            Embedding(1000, 64, input_length=100),  # expect: TL105
            LSTM(32),
            Dense(1, activation='sigmoid'),
        ])
        model.compile('rmsprop', loss='binary_crossentropy')
        model.fit(X_train, y_train, epochs=5, validation_data=(X_test, y_test))
    """,
    "tf-keras-standard-scaler-add": """
        import numpy as np
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler

        table = np.random.normal(50.0, 10.0, size=(500, 13))
        features = StandardScaler().fit_transform(table[:, :12])
        model = tf.keras.Sequential()
        model.add(tf.keras.layers.InputLayer(input_shape=(12,)))
        model.add(tf.keras.layers.Embedding(500, 16))  # expect: TL105
        model.add(tf.keras.layers.Flatten())
        model.add(tf.keras.layers.Dense(1))
        model.compile(optimizer="adam", loss="mse")
        model.fit(features, table[:, 12], epochs=3)
    """,
    "keras3-scaler-fit-then-transform": """
        import numpy as np
        import keras
        from sklearn.preprocessing import MinMaxScaler

        raw = np.random.randint(0, 5000, size=(256, 20))
        scaler = MinMaxScaler()
        scaler.fit(raw)
        x = scaler.transform(raw)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Embedding(5000, 32),  # expect: TL105
                                  keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, np.random.randint(0, 2, size=(256,)))
    """,
    "raw-make-classification-features": """
        from sklearn.datasets import make_classification
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Embedding, GRU, Dense

        X, y = make_classification(2000, 50)
        model = Sequential([Embedding(100, 8), GRU(8), Dense(1, activation="sigmoid")])  # expect: TL105
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X, y)
    """,
    "embedding-applied-to-numpy-data": """
        import numpy as np
        import tensorflow as tf

        emb = tf.keras.layers.Embedding(100, 4)  # expect: TL105
        vectors = emb(np.random.randn(8, 10))
    """,
    "functional-model-input": """
        import tensorflow as tf
        from sklearn.preprocessing import MinMaxScaler
        from sklearn.datasets import make_classification

        X, y = make_classification(800, 30)
        X = MinMaxScaler().fit_transform(X)
        tokens = tf.keras.Input(shape=(30,))
        h = tf.keras.layers.Embedding(2000, 16)(tokens)  # expect: TL105
        h = tf.keras.layers.GlobalAveragePooling1D()(h)
        out = tf.keras.layers.Dense(1, activation="sigmoid")(h)
        model = tf.keras.Model(tokens, out)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, y)
    """,
    # -- silent ----------------------------------------------------------------------------
    "integer-ids": """
        import numpy as np
        import keras

        x = np.random.randint(1, 1000, size=(500, 40))
        model = keras.Sequential([keras.Input((40,)), keras.layers.Embedding(1000, 16),
                                  keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, np.random.randint(0, 2, size=(500,)))
        model.fit(x.astype("float32"), np.random.randint(0, 2, size=(500,)))
    """,
    "whole-number-ids-read-as-floats": """
        import numpy as np
        import keras

        x = np.loadtxt("ids.csv", delimiter=",")
        y = np.loadtxt("labels.csv")
        model = keras.Sequential([keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y)
    """,
    "ids-predicted-by-a-model-in-a-decoding-loop": """
        import tensorflow as tf

        class Decoder(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.embedding = tf.keras.layers.Embedding(1000, 32)
                self.dense = tf.keras.layers.Dense(1000)

            def call(self, x):
                return self.dense(self.embedding(x))

        decoder = Decoder()
        decoder_in = tf.expand_dims(tf.constant([1]), axis=0)
        for step in range(20):
            pred = decoder(decoder_in)
            decoder_in = tf.argmax(pred, axis=-1)
    """,
    "normalized-features-into-dense": """
        from sklearn.datasets import make_classification
        from sklearn.preprocessing import MinMaxScaler
        import keras

        X, y = make_classification(1000, 20)
        X = MinMaxScaler().fit_transform(X)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, y)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float_input_to_embedding_written_several_ways(name):
    marked, found = marked_and_found("TL105", name, CASES[name])
    assert found == marked


def test_message_names_the_data_and_points_at_the_fit():
    f = only_finding("TL105", CASES["legacy-keras-utils-normalize"], Config())
    assert "`X_train`" in f.message and "scaled or normalized real values" in f.message
    assert any(r.span.start.line == 16 for r in f.related), "the fit call is a related location"
