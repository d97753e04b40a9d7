"""TL221: a Keras model's fit/evaluate/predict/train_on_batch given a Python list of numbers,
which Keras 3 rejects ('Unrecognized data type'). Written several ways (tf.keras, Keras 3,
Sequential, functional and subclassed models, through variables and helpers); the look-alikes
pass arrays, lists of arrays (a multi-input model), lists grown by a loop, or are Keras 2
programs."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL221",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    # the Udacity course notebook in tensorflow/examples
    "predict-one-celsius-value": ("""
        import numpy as np
        import tensorflow as tf
        celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
        fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)
        l0 = tf.keras.layers.Dense(units=1, input_shape=[1])
        model = tf.keras.Sequential([l0])
        model.compile(loss='mean_squared_error', optimizer=tf.keras.optimizers.Adam(0.1))
        model.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
        print(model.predict([100.0]))
    """, [9]),
    "fit-on-list-variables": ("""
        import keras
        xs = [1.0, 2.0, 3.0, 4.0]
        ys = [3.0, 5.0, 7.0, 9.0]
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(xs, ys, epochs=10)
    """, [6]),
    "evaluate-nested-lists-in-a-helper": ("""
        import keras

        def score(model, rows, labels):
            return model.evaluate(rows, labels, verbose=0)

        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
        model.compile(loss="binary_crossentropy")
        print(score(model, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]))
    """, [9]),
    "train-on-batch-subclassed-model": ("""
        import numpy as np
        import tensorflow as tf

        class Regressor(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.out = tf.keras.layers.Dense(1)

            def call(self, x):
                return self.out(x)

        model = Regressor()
        model.compile(optimizer="adam", loss="mse")
        model.train_on_batch(np.ones((2, 3), dtype="float32"), [1.0, 2.0])
    """, [14]),
}

LOOKALIKES = {
    "arrays": """
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile(loss="mse")
        model.fit(np.array([1.0, 2.0]), np.array([2.0, 4.0]))
        model.predict(np.array([[100.0]]))
    """,
    "list-of-arrays-for-two-inputs": """
        import numpy as np
        import keras
        a, b = keras.Input((4,)), keras.Input((2,))
        model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
        model.compile(loss="mse")
        model.fit([np.zeros((8, 4)), np.zeros((8, 2))], np.zeros((8, 1)))
    """,
    "list-grown-by-a-loop-of-unknown-length": """
        import numpy as np
        import keras
        rows = []
        for line in open("data.csv"):
            rows.append(float(line))
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.predict(np.array(rows))
    """,
    "keras2-module-import": """
        from keras.models import Sequential
        from keras.layers.core import Dense
        model = Sequential()
        model.add(Dense(1, input_dim=1))
        model.compile(loss="mse", optimizer="sgd")
        model.fit([1, 2, 3], [2, 4, 6], epochs=10)
    """,
    "keras2-optimizer-spelling": """
        from keras import optimizers
        from keras.layers import Dense
        from keras.models import Sequential
        model = Sequential([Dense(1, input_dim=1)])
        model.compile(loss="mse", optimizer=optimizers.SGD(lr=0.1))
        model.fit([1, 2, 3, 4], [0, -1, -2, -3], epochs=200)
    """,
    "user-class-with-fit": """
        class Line:
            def fit(self, xs, ys):
                self.k = sum(y / x for x, y in zip(xs, ys)) / len(xs)
            def predict(self, xs):
                return [self.k * x for x in xs]
        m = Line()
        m.fit([1.0, 2.0], [2.0, 4.0])
        m.predict([3.0])
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_python_list_data_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []
