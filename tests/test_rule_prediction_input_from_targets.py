"""TL506: a model given, as the input of predict/evaluate, rows of the array whose other rows it
was fitted to output. Written several ways (slices at module level, the target parts of
`train_test_split`, a function's parameters, `evaluate`, scikit-learn, conversions between the
split and the call, the CLI on a file); the look-alikes fit inputs and targets from one array
(an autoencoder, a next-step model, a denoiser whose inputs are computed from its targets),
rebind a name in a branch or the model between the calls, or predict on the inputs."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL506",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "fit.py", ONLY).findings)


BUGS = {
    "keras-slices": ("""
        import numpy as np
        import tensorflow as tf

        hours = np.linspace(0, 40, 200)
        scores = np.linspace(10, 90, 200)
        split = 160
        hours_fit, hours_hold = hours[:split], hours[split:]
        scores_fit = scores[:split]
        scores_hold = scores[split:]
        model = tf.keras.Sequential([tf.keras.layers.Dense(10), tf.keras.layers.Dense(1)])
        model.compile(loss="mae", optimizer="adam")
        model.fit(tf.expand_dims(hours_fit, axis=-1), scores_fit, epochs=100)
        predicted = model.predict(scores_hold)
    """, [13]),
    "train-test-split-evaluate": ("""
        import numpy as np
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from tensorflow import keras

        features = pd.read_csv("houses.csv").to_numpy()
        prices = np.load("prices.npy")
        X_train, X_test, y_train, y_test = train_test_split(features, prices, test_size=0.2)
        net = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
        net.compile(optimizer="adam", loss="mse")
        net.fit(X_train, y_train, epochs=20, validation_split=0.1)
        print(net.evaluate(np.array(y_test), X_test))
    """, [12]),
    "function-parameters": ("""
        import tensorflow as tf

        def run(inputs, targets):
            x_tr, y_tr = inputs[:800], targets[:800]
            y_te = targets[800:]
            reg = tf.keras.Sequential([tf.keras.layers.Dense(1)])
            reg.compile(loss="mse", optimizer="sgd")
            reg.fit(x=x_tr, y=y_tr)
            return reg.predict(y_te.reshape(-1, 1))
    """, [9]),
}

LOOKALIKES = {
    "predict-on-inputs": """
        import numpy as np
        from sklearn.model_selection import train_test_split
        from tensorflow import keras

        X = np.random.rand(100, 4)
        y = np.random.rand(100)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X_train, y_train)
        model.predict(X_test)
        model.evaluate(X_test, y_test)
    """,
    "one-array-inputs-and-targets": """
        import numpy as np
        from tensorflow import keras

        x = np.random.rand(100, 8)
        x_train, x_test = x[:80], x[80:]
        ae = keras.Sequential([keras.layers.Dense(8)])
        ae.fit(x_train, x_train)
        ae.predict(x_test)
        series = np.random.rand(500, 1)
        net = keras.Sequential([keras.layers.Dense(1)])
        net.fit(series[:-1], series[1:])
        net.predict(series[-1:])
        noisy = x_train + 0.1 * np.random.normal(size=x_train.shape)
        den = keras.Sequential([keras.layers.Dense(8)])
        den.fit(noisy, x_train)
        den.predict(x_test)
    """,
    "bound-in-branch-or-model-rebound": """
        import numpy as np
        from tensorflow import keras

        X = np.random.rand(50, 1)
        y = np.random.rand(50)
        if X.shape[0] > 10:
            y = X[:, 0] * 2
        m = keras.Sequential([keras.layers.Dense(1)])
        m.fit(X[:40], y[:40])
        m.predict(y[40:])
        X2 = np.random.rand(50, 1)
        t = np.random.rand(50)
        m2 = keras.Sequential([keras.layers.Dense(1)])
        m2.fit(X2, t)
        m2 = keras.models.load_model("inverse.keras")
        m2.predict(t)
    """,
    "unknown-inputs": """
        import numpy as np
        from tensorflow import keras

        y = np.random.rand(50)
        m = keras.Sequential([keras.layers.Dense(1)])
        m.fit(make_batches(), y)
        m.predict(y)
        m.fit([np.ones((50, 2)), np.ones((50, 3))], y)
        m.predict(y)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_prediction_on_targets_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_both_arrays(tmp_path):
    f = tmp_path / "reg.py"
    f.write_text("import numpy as np\nfrom keras import Sequential, layers\n\nX = np.random.rand(60, 1)\n"
                 "y = np.random.rand(60)\nnet = Sequential([layers.Dense(1)])\nnet.fit(X[:50], y[:50])\n"
                 "out = net.predict(y[50:])\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL506", str(f)],
                         capture_output=True, text=True).stdout
    assert "reg.py:8:19: TL506" in out and "`y`" in out and "`X`" in out


def test_bad_input_does_not_crash():
    assert _lines("m.fit(x=, y)\nm.predict(*a)\nm.fit(**k)\nm.predict()\n") == []
    assert _lines("a, *b = train_test_split(x, y)\nm.fit(a, b)\nm.predict(b)\n") == []
