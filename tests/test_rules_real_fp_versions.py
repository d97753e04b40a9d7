"""False positives judged on real code (bench/precision_real.md, bench/notebooks_real.md) that
come from framework versions (TF1 keyword names, what Keras 2 accepts and Keras 3 rejects), from
eval mode on models that have nothing depending on it, and from a loss whose target is the same
constant at every call. Each correct program (`ok-`) must stay
silent next to a look-alike with the bug that must still be found (`# expect: CODE`). Only the
codes in CODES are compared."""
from __future__ import annotations

import textwrap

import pytest

from test_rules_gradients import _analyze
from test_variants import _expected

CODES = {"TL203", "TL208", "TL301", "TL305", "TL407"}

_GAN_LOSS = """
    import torch
    from torch.autograd import Variable

    def boundary_seeking_loss(y_pred, y_true):{mark}
        return 0.5 * torch.mean((torch.log(y_pred) - torch.log(1 - y_pred)) ** 2)

    D = torch.nn.Sequential(torch.nn.Linear(4, 1), torch.nn.Sigmoid())
    labels = torch.randint(0, 2, (8, 1)).float()
    for step in range(3):
        valid = {target}
        g_loss = boundary_seeking_loss(D(torch.randn(8, 4)), valid)
"""

_TINY_VGG = """
    import torch
    from torch import nn

    class TinyVGG(nn.Module):
        def __init__(self, hidden):
            super().__init__()
            self.block = nn.Sequential(nn.Conv2d(1, hidden, 3, padding=1), {norm}nn.ReLU(), nn.MaxPool2d(2))
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(hidden * 14 * 14, 10))

        def forward(self, x):
            return self.classifier(self.block(x))

    model = TinyVGG(8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    X, y = torch.randn(16, 1, 28, 28), torch.randint(0, 10, (16,))
    for epoch in range(3):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
        model.eval(){mark}
        with torch.inference_mode():
            print(model(X).argmax(1))
"""

CASES = {
    # -- TL305: TF1 names softmax's axis `dim=` ---------------------------------------------------
    "ok-305-tf1-softmax-dim-keyword-over-routing-axis": """
        import tensorflow as tf
        raw_weights = tf.zeros([4, 1152, 10, 1, 1])
        routing_weights = tf.nn.softmax(raw_weights, dim=2)
    """,
    "ok-305-compat-v1-softmax-logits-and-dim-keywords": """
        import tensorflow.compat.v1 as tf
        scores = tf.placeholder(tf.float32, [None, 5, 1])
        attention = tf.nn.softmax(logits=scores, dim=1)
    """,
    "305-tf1-softmax-dim-keyword-over-a-single-element-axis": """
        import tensorflow.compat.v1 as tf
        scores = tf.zeros([8, 5, 1])
        attention = tf.nn.softmax(scores, dim=2)  # expect: TL305
    """,
    # -- TL203: Keras 2 runs a Dense-first Sequential on inputs with extra leading axes -----------
    "ok-203-keras2-generator-on-embedding-product": """
        import numpy as np
        from keras import layers
        from keras.layers import Input, Embedding, Dense, Reshape
        from keras.layers.advanced_activations import LeakyReLU
        from keras.models import Sequential, Model

        cnn = Sequential()
        cnn.add(Dense(3 * 3 * 384, input_dim=100, activation='relu'))
        cnn.add(Reshape((3, 3, 384)))
        latent = Input(shape=(100,))
        image_class = Input(shape=(1,), dtype='int32')
        cls = Embedding(10, 100)(image_class)
        h = layers.multiply([latent, cls])
        fake_image = cnn(h)
    """,
    "ok-203-keras2-np-utils-and-extra-axis-predict": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers.core import Dense, Activation
        from keras.utils import np_utils

        model = Sequential()
        model.add(Dense(16, input_dim=8))
        model.add(Activation('relu'))
        model.add(Dense(3))
        y = np_utils.to_categorical(np.random.randint(0, 3, 32), 3)
        print(model.predict(np.zeros((32, 1, 8))))
    """,
    "203-keras3-dense-first-sequential-on-extra-axis": """
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16), keras.layers.Dense(3)])
        print(model.predict(np.zeros((32, 1, 8))))  # expect: TL203
    """,
    "203-keras2-program-with-another-last-axis": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers.core import Dense

        model = Sequential()
        model.add(Dense(16, input_dim=8))
        print(model.predict(np.zeros((32, 1, 9))))  # expect: TL203
    """,
    "203-keras2-program-conv-first-on-extra-axis": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers.convolutional import Conv2D
        from keras.layers.core import Flatten, Dense

        model = Sequential()
        model.add(Conv2D(8, 3, input_shape=(28, 28, 1)))
        model.add(Flatten())
        model.add(Dense(10))
        print(model.predict(np.zeros((32, 2, 28, 28, 1))))  # expect: TL203
    """,
    # -- TL208: rank-1 targets against several regression outputs (Keras 2 and 3 disagree) -------
    "208-keras-mse-rank-one-targets-several-outputs": """
        import tensorflow as tf
        x = tf.random.uniform((64, 10))
        y = tf.random.uniform((64,))
        model = tf.keras.models.Sequential([tf.keras.layers.Dense(10)])
        model.compile('sgd', loss='mse')
        model.fit(x, y, epochs=1)  # expect: TL208
    """,
    "208-keras-loss-object-called-on-rank-one-targets": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(10)])
        y = tf.random.uniform((32,))
        loss = tf.keras.losses.MeanSquaredError()(y, model(tf.random.normal((32, 4))))  # expect: TL208
    """,
    "ok-208-keras-mse-rank-one-targets-one-output": """
        import tensorflow as tf
        x = tf.random.uniform((64, 10))
        y = tf.random.uniform((64,))
        model = tf.keras.models.Sequential([tf.keras.layers.Dense(1)])
        model.compile('sgd', loss='mse')
        model.fit(x, y, epochs=1)
    """,
    # -- TL301: a target that is the same constant at every call carries nothing to read ---------
    "ok-301-gan-loss-given-filled-ones-at-every-call": _GAN_LOSS.format(
        mark="", target="Variable(torch.FloatTensor(8, 1).fill_(1.0), requires_grad=False)"),
    "ok-301-gan-loss-given-torch-ones": _GAN_LOSS.format(mark="", target="torch.ones(8, 1)"),
    "ok-301-gan-loss-given-full-moved-to-device": _GAN_LOSS.format(mark="", target="torch.full((8, 1), 0.9).to('cpu')"),
    "301-loss-given-the-batch-labels": _GAN_LOSS.format(mark="  # expect: TL301", target="labels"),
    "301-loss-never-called": """
        import torch

        def boundary_seeking_loss(y_pred, y_true):  # expect: TL301
            return 0.5 * torch.mean((torch.log(y_pred) - torch.log(1 - y_pred)) ** 2)
    """,
    # -- TL407: eval() matters only for layers that compute differently in eval mode -------------
    "ok-407-sequential-of-linear-and-relu": """
        import torch
        from torch import nn
        model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 1))
        loss_fn = nn.BCEWithLogitsLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        X, y = torch.randn(100, 2), torch.randint(0, 2, (100, 1)).float()
        for epoch in range(100):
            model.train()
            logits = model(X)
            loss = loss_fn(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.eval()
            with torch.inference_mode():
                test_logits = model(X)
    """,
    "ok-407-stacked-lstm-without-dropout": """
        import torch
        from torch import nn

        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(8, 16, num_layers=2, dropout=0.0)
                self.fc = nn.Linear(16, 3)

            def forward(self, x):
                out, _ = self.rnn(x)
                return self.fc(out[-1])

        model = Tagger()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(5, 4, 8), torch.randint(0, 3, (4,))
        for epoch in range(3):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            model.eval()
    """,
    "407-stacked-lstm-with-dropout": """
        import torch
        from torch import nn

        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(8, 16, num_layers=2, dropout=0.3)
                self.fc = nn.Linear(16, 3)

            def forward(self, x):
                out, _ = self.rnn(x)
                return self.fc(out[-1])

        model = Tagger()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(5, 4, 8), torch.randint(0, 3, (4,))
        for epoch in range(3):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            model.eval()  # expect: TL407
    """,
    "ok-407-module-of-conv-pool-and-linear": _TINY_VGG.format(norm="", mark=""),
    "407-module-with-batchnorm-in-a-block": _TINY_VGG.format(norm="nn.BatchNorm2d(hidden), ", mark="  # expect: TL407"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_version_false_positives(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)
