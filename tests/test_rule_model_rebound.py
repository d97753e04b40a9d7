"""TL435 model-rebound-to-method-result, written the ways people write it: Keras 2's
`vae = vae.load_weights(...)` in a branch, a torch module and an optimizer restored with
`x = x.load_state_dict(...)`, an attribute `self.model = self.model.load_state_dict(...)`, a
Keras model rebound to `compile` and to `fit`. The look-alikes keep the result under another
name, call the method without assigning, rebind scikit-learn's `fit` (which returns the
estimator), or call a `load_weights` of the file's own class. Each case marks its expected
findings with `# expect: TL435`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "keras2-load-weights-in-a-branch": """
    import argparse
    from keras.layers import Dense, Input
    from keras.models import Model

    parser = argparse.ArgumentParser()
    parser.add_argument('-w', '--weights')
    args = parser.parse_args()
    inputs = Input(shape=(784,))
    vae = Model(inputs, Dense(784, activation='sigmoid')(Dense(2)(inputs)))
    vae.compile(optimizer='adam', loss='binary_crossentropy')
    if args.weights:
        vae = vae.load_weights(args.weights)  # expect: TL435
    else:
        vae.fit(x_train, x_train, epochs=5)
    """,
    "torch-module-and-optimizer": """
    import torch
    import torch.nn as nn

    model = nn.Linear(8, 2)
    optimizer = torch.optim.Adam(model.parameters())
    ckpt = torch.load('ckpt.pt')
    model = model.load_state_dict(ckpt['model'])  # expect: TL435
    optimizer = optimizer.load_state_dict(ckpt['optim'])  # expect: TL435
    """,
    "attribute-in-a-trainer": """
    import torch

    class Trainer:
        def __init__(self, model):
            self.model = model

        def restore(self, path):
            self.model = self.model.load_state_dict(torch.load(path))  # expect: TL435
            self.model.eval()
    """,
    "keras-compile-and-fit": """
    import numpy as np
    import tensorflow as tf

    x = np.random.rand(20, 4)
    y = np.random.rand(20, 1)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(4,))])
    model = model.compile(optimizer='sgd', loss='mse')  # expect: TL435
    """,
    "keras-fit-rebinds-the-model": """
    import numpy as np
    import keras

    x = np.random.rand(20, 4)
    y = np.random.rand(20, 1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model = model.fit(x, y, epochs=2)  # expect: TL435
    """,
    "ok-result-kept-apart": """
    import numpy as np
    import keras
    import torch
    import torch.nn as nn

    x = np.random.rand(20, 4)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    history = model.fit(x, x[:, :1])
    net = nn.Linear(4, 1)
    result = net.load_state_dict(torch.load('n.pt'), strict=False)
    print(result.missing_keys)
    """,
    "ok-sklearn-fit-returns-the-estimator": """
    from sklearn.ensemble import RandomForestClassifier

    clf = RandomForestClassifier()
    clf = clf.fit([[0, 1], [1, 0]], [0, 1])
    """,
    "ok-own-load-weights": """
    class Ensemble:
        def __init__(self):
            self.paths = []

        def load_weights(self, path):
            self.paths.append(path)
            return self

    ens = Ensemble()
    ens = ens.load_weights('a.h5')
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_rebound(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code == "TL435"}
    assert found == _expected(text)
