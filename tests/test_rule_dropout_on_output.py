"""TL315 dropout-on-output, written the ways people write it: `model.add` calls with the
softmax as its own `Activation` (Keras 2 imports), a list given to `tf.keras.Sequential` with the
softmax in the last Dense, the functional API with a `Softmax` layer, a torch `nn.Sequential`
given to a loss, and a torch module whose forward ends in dropout. The look-alikes put the
dropout before the output layer, end a hidden block (never trained alone) with dropout, or
drop nothing. Each case marks its expected findings with `# expect: TL315`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "keras2-add-dropout-between-dense-and-softmax": """
    from keras.models import Sequential
    from keras.layers import Dense, Dropout, Activation, Flatten

    model = Sequential()
    model.add(Flatten(input_shape=(28, 28)))
    model.add(Dense(128, activation='relu'))
    model.add(Dense(10))
    model.add(Dropout(0.5))  # expect: TL315
    model.add(Activation('softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    """,
    "tf-keras-list-dropout-last": """
    import tensorflow as tf

    model = tf.keras.Sequential([
        tf.keras.layers.Dense(32, activation='relu', input_shape=(12,)),
        tf.keras.layers.Dense(3, activation='softmax'),
        tf.keras.layers.Dropout(rate=0.25),  # expect: TL315
    ])
    model.compile(optimizer='sgd', loss='sparse_categorical_crossentropy')
    """,
    "keras-functional-regression-output": """
    import numpy as np
    from tensorflow import keras
    from tensorflow.keras import layers

    inputs = keras.Input(shape=(6,))
    x = layers.Dense(16, activation='relu')(inputs)
    x = layers.Dense(1)(x)
    out = layers.Dropout(0.2)(x)  # expect: TL315
    model = keras.Model(inputs=inputs, outputs=out)
    model.compile(optimizer='adam', loss='mse')
    model.fit(np.random.rand(50, 6), np.random.rand(50, 1))
    """,
    "torch-sequential-into-loss": """
    import torch
    from torch import nn

    net = nn.Sequential(
        nn.Linear(10, 32),
        nn.ReLU(),
        nn.Linear(32, 4),
        nn.Dropout(p=0.3),  # expect: TL315
    )
    criterion = nn.CrossEntropyLoss()
    x, y = torch.randn(16, 10), torch.randint(0, 4, (16,))
    loss = criterion(net(x), y)
    loss.backward()
    """,
    "torch-module-forward-ends-in-dropout": """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(20, 64)
            self.fc2 = nn.Linear(64, 5)
            self.drop = nn.Dropout(0.5)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            return self.drop(self.fc2(x))  # expect: TL315

    model = Net()
    out = model(torch.randn(8, 20))
    loss = F.cross_entropy(out, torch.randint(0, 5, (8,)))
    """,
    "ok-dropout-before-the-output-layer": """
    from keras.models import Sequential
    from keras.layers import Dense, Dropout, Activation

    model = Sequential()
    model.add(Dense(128, activation='relu', input_dim=20))
    model.add(Dropout(0.5))
    model.add(Dense(10))
    model.add(Activation('softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam')
    """,
    "ok-hidden-block-ends-in-dropout": """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.5))
            self.head = nn.Linear(64, 5)

        def forward(self, x):
            return self.head(self.body(x))

    model = Net()
    loss = nn.CrossEntropyLoss()(model(torch.randn(8, 20)), torch.randint(0, 5, (8,)))
    """,
    "ok-keras-block-with-dropout-inside-functional-model": """
    import keras

    block = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dropout(0.5)])
    inputs = keras.Input(shape=(32,))
    features = block(inputs)
    out = keras.layers.Dense(3, activation='softmax')(features)
    model = keras.Model(inputs, out)
    model.compile(loss='categorical_crossentropy', optimizer='adam')
    """,
    "ok-dropout-then-pooling-then-output": """
    import tensorflow as tf

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(32, 32, 3)),
        tf.keras.layers.Conv2D(16, 3, activation='relu'),
        tf.keras.layers.Dropout(0.25),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(10, activation='softmax'),
    ])
    model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
    """,
    "ok-rate-zero": """
    import tensorflow as tf

    model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(2), tf.keras.layers.Dropout(0)])
    model.compile(loss='mse', optimizer='adam')
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dropout_on_output(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code == "TL315"}
    assert found == _expected(text)
