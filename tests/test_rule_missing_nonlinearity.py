"""TL311: affine layers stacked with nothing nonlinear between them (the model is one linear map),
and a ReLU on the class scores right before a softmax. Each bug is written the ways people write
models (Keras Sequential built by `add` or from a list, the functional API, torch nn.Sequential,
a torch module whose forward calls its layers); each look-alike is a correct model that must stay
silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL311",))

BUGS = {
    "keras-sequential-add": ("""
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(1, input_shape=(1,)))
        model.add(Dense(5))
        model.add(Dense(1, activation='linear'))
        model.compile(loss='mean_absolute_error', optimizer='adam')
    """, [5]),
    "keras-sequential-list-dropout-batchnorm": ("""
        import tensorflow as tf
        from tensorflow.keras import layers
        model = tf.keras.Sequential([
            tf.keras.Input((784,)),
            layers.Dense(128),
            layers.BatchNormalization(),
            layers.Dropout(0.3),
            layers.Dense(10, activation='softmax'),
        ])
        model.compile(optimizer='adam', loss='categorical_crossentropy')
    """, [6]),
    "keras-functional": ("""
        from tensorflow import keras
        inputs = keras.Input(shape=(13,))
        x = keras.layers.Dense(32)(inputs)
        x = keras.layers.Dense(16)(x)
        outputs = keras.layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(optimizer='adam', loss='mse')
    """, [4]),
    "keras-conv-stack": ("""
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        model = Sequential()
        model.add(Conv2D(16, (3, 3), input_shape=(28, 28, 1)))
        model.add(Conv2D(32, (3, 3)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.fit(x_train, y_train)
    """, [5]),
    "torch-sequential": ("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(
            nn.Linear(20, 64),
            nn.Dropout(0.2),
            nn.Linear(64, 3),
        )
        criterion = nn.CrossEntropyLoss()
        x, y = torch.randn(8, 20), torch.randint(0, 3, (8,))
        loss = criterion(model(x), y)
    """, [5]),
    "torch-subclass-forward": ("""
        import torch
        import torch.nn as nn

        class Regressor(nn.Module):
            def __init__(self):
                super().__init__()
                self.hidden = nn.Linear(1, 50)
                self.out = nn.Linear(50, 1)

            def forward(self, x):
                x = self.hidden(x)
                x = self.out(x)
                return x

        net = Regressor()
        x, y = torch.randn(100, 1), torch.randn(100, 1)
        loss = nn.MSELoss()(net(x), y)
    """, [12]),
    "torch-subclass-conv-to-sequential-head": ("""
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 8, 3, padding=1)
                self.bn = nn.BatchNorm2d(8)
                self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 28 * 28, 10))

            def forward(self, x):
                return self.head(self.bn(self.conv(x)))

        net = Net()
        loss = nn.functional.cross_entropy(net(torch.randn(4, 1, 28, 28)), torch.randint(0, 10, (4,)))
    """, [13]),
    # ReLU on the scores before the softmax
    "keras-functional-relu-before-softmax": ("""
        from keras.models import Model
        from keras.layers import Input, Conv2D, GlobalAveragePooling2D, Activation
        inp = Input(shape=(32, 32, 3))
        x = Conv2D(64, (3, 3), activation='relu')(inp)
        x = Conv2D(10, (1, 1), activation='relu')(x)
        x = GlobalAveragePooling2D()(x)
        out = Activation('softmax')(x)
        model = Model(inp, out)
    """, [6]),
    "keras-sequential-relu-layer-before-softmax": ("""
        from tensorflow import keras
        model = keras.Sequential([
            keras.Input((40,)),
            keras.layers.Dense(64, activation='relu'),
            keras.layers.Dense(4),
            keras.layers.ReLU(),
            keras.layers.Softmax(),
        ])
        model.compile(optimizer='adam', loss='categorical_crossentropy')
    """, [7]),
    "torch-sequential-relu-before-softmax": ("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 5), nn.ReLU(), nn.Softmax(dim=1))
        probs = model(torch.randn(8, 20))
    """, [4]),
    "keras2-hidden-dense-pair-activation-once": ("""
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense, Activation, Dropout
        model = Sequential()
        model.add(Conv2D(8, (3, 3), activation='relu', input_shape=(28, 28, 1)))
        model.add(Flatten())
        model.add(Dense(64))
        model.add(Dense(64))
        model.add(Activation('relu'))
        model.add(Dropout(0.5))
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adadelta')
    """, [7]),
    "tf-keras-hidden-dense-pair-through-dropout": ("""
        import tensorflow as tf
        model = tf.keras.Sequential([
            tf.keras.Input((20,)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(64),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(64),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dense(1, activation='sigmoid'),
        ])
        model.compile(optimizer='adam', loss='binary_crossentropy')
    """, [6]),
    "torch-sequential-hidden-linear-pair": ("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 64), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))
        loss = nn.CrossEntropyLoss()(model(torch.randn(8, 20)), torch.randint(0, 3, (8,)))
    """, [4]),
}

LOOKALIKES = {
    # two Dense layers before the output's own softmax: a linear head, not hidden layers
    "keras-linear-head-pair": """
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        model = Sequential()
        model.add(Dense(64, input_shape=(20,), activation='relu'))
        model.add(Dense(32))
        model.add(Dense(10))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
    """,
    # a narrower hidden layer between wider ones: a low-rank bottleneck, and convolutions
    "keras-bottleneck-and-convolution-pair": """
        import tensorflow as tf
        model = tf.keras.Sequential([
            tf.keras.Input((32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3),
            tf.keras.layers.Conv2D(16, 3),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(8),
            tf.keras.layers.Dense(128),
            tf.keras.layers.ReLU(),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer='adam', loss='mse')
    """,
    # an activation after every hidden layer
    "torch-sequential-activation-each": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
        loss = nn.CrossEntropyLoss()(model(torch.randn(8, 20)), torch.randint(0, 3, (8,)))
    """,
    "keras-leakyrelu-layer": """
        from keras.models import Sequential
        from keras.layers import Dense, LeakyReLU, PReLU, Activation
        model = Sequential()
        model.add(Dense(64, input_shape=(8,)))
        model.add(LeakyReLU(0.2))
        model.add(Dense(32))
        model.add(PReLU())
        model.add(Dense(16))
        model.add(Activation('tanh'))
        model.add(Dense(1))
        model.compile(optimizer='adam', loss='mse')
    """,
    "keras-linear-bottleneck-then-nonlinear": """
        import tensorflow as tf
        model = tf.keras.Sequential([
            tf.keras.Input((100,)),
            tf.keras.layers.Dense(16),
            tf.keras.layers.Dense(64, activation='relu'),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer='adam', loss='mse')
    """,
    "keras-linear-head-after-hidden": """
        from tensorflow import keras
        inputs = keras.Input((8,))
        h = keras.layers.Dense(64, activation='relu')(inputs)
        h = keras.layers.Dense(32)(h)
        out = keras.layers.Dense(1)(h)
        model = keras.Model(inputs, out)
        model.compile(optimizer='adam', loss='mse')
    """,
    "keras-single-layer-logistic-regression": """
        from keras.models import Sequential
        from keras.layers import Dense, Flatten
        model = Sequential([Flatten(input_shape=(28, 28)), Dense(10, activation='softmax')])
        model.compile(optimizer='sgd', loss='categorical_crossentropy')
    """,
    "keras-rnn-then-dense": """
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(10, input_shape=(1, 2)))
        model.add(Dense(8))
        model.add(Dense(2))
        model.compile(loss='mae', optimizer='adam')
    """,
    "torch-functional-relu": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(10, 32)
                self.fc2 = nn.Linear(32, 1)

            def forward(self, x):
                x = F.relu(self.fc1(x))
                return self.fc2(x)

        net = Net()
        loss = nn.MSELoss()(net(torch.randn(4, 10)), torch.randn(4, 1))
    """,
    "torch-relu-and-clamp-methods": """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(10, 32)
                self.fc2 = nn.Linear(32, 32)
                self.fc3 = nn.Linear(32, 1)

            def forward(self, x):
                h = torch.relu(self.fc1(x))
                h = self.fc2(h).clamp(min=0)
                return self.fc3(h)

        net = Net()
        loss = nn.MSELoss()(net(torch.randn(4, 10)), torch.randn(4, 1))
    """,
    "torch-residual-block": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.c1 = nn.Conv2d(8, 8, 3, padding=1)
                self.c2 = nn.Conv2d(8, 8, 3, padding=1)

            def forward(self, x):
                out = F.relu(self.c1(x))
                out = self.c2(out)
                return F.relu(out + x)

        block = Block()
        y = block(torch.randn(2, 8, 16, 16))
        loss = nn.MSELoss()(y, torch.randn(2, 8, 16, 16))
    """,
    "torch-embedding-then-linear": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Embedding(1000, 32), nn.Linear(32, 32), nn.Linear(32, 4))
        out = model(torch.randint(0, 1000, (2, 7)))
        loss = nn.MSELoss()(out, torch.randn(2, 7, 4))
    """,
    "torch-attention-projections": """
        import torch
        import torch.nn as nn

        class Attention(nn.Module):
            def __init__(self, d):
                super().__init__()
                self.q = nn.Linear(d, d)
                self.k = nn.Linear(d, d)
                self.v = nn.Linear(d, d)
                self.o = nn.Linear(d, d)

            def forward(self, x):
                scores = self.q(x) @ self.k(x).transpose(-2, -1)
                return self.o(torch.softmax(scores, dim=-1) @ self.v(x))

        att = Attention(16)
        out = att(torch.randn(2, 5, 16))
        loss = nn.MSELoss()(out, torch.randn(2, 5, 16))
    """,
    "torch-lowrank-inside-nonlinear-model": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 8), nn.Linear(8, 256), nn.ReLU(), nn.Linear(256, 1))
        loss = nn.MSELoss()(model(torch.randn(4, 100)), torch.randn(4, 1))
    """,
    # a hidden layer narrower than both ends: a low-rank map on purpose (PCA, word2vec)
    "keras-linear-autoencoder-pca": """
        import tensorflow as tf
        encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
        autoencoder = tf.keras.Sequential([encoder, decoder])
        autoencoder.compile(loss='mse', optimizer='sgd')
    """,
    "torch-word2vec-two-matrices": """
        import torch
        import torch.nn as nn

        class Word2Vec(nn.Module):
            def __init__(self, voc_size, embedding_size):
                super().__init__()
                self.W = nn.Linear(voc_size, embedding_size, bias=False)
                self.WT = nn.Linear(embedding_size, voc_size, bias=False)

            def forward(self, X):
                hidden = self.W(X)
                return self.WT(hidden)

        model = Word2Vec(30, 2)
        loss = nn.CrossEntropyLoss()(model(torch.eye(30)[:4]), torch.randint(0, 30, (4,)))
    """,
    # the hidden width is not known: whether it narrows is not established
    "torch-unknown-hidden-width": """
        import torch
        import torch.nn as nn

        def build(hidden):
            return nn.Sequential(nn.Linear(20, hidden), nn.Linear(hidden, 3))

        model = build(int(input()))
        loss = nn.CrossEntropyLoss()(model(torch.randn(4, 20)), torch.randint(0, 3, (4,)))
    """,
    "torch-maxpool-between-convs": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
        loss = nn.CrossEntropyLoss()(model(torch.randn(2, 1, 28, 28)), torch.randint(0, 10, (2,)))
    """,
    "keras-relu-hidden-linear-scores-softmax": """
        from tensorflow import keras
        model = keras.Sequential([
            keras.Input((40,)),
            keras.layers.Dense(64, activation='relu'),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(4),
            keras.layers.Softmax(),
        ])
    """,
    "keras-functional-relu-then-linear-scores": """
        from keras.models import Model
        from keras.layers import Input, Conv2D, GlobalAveragePooling2D, Activation
        inp = Input(shape=(32, 32, 3))
        x = Conv2D(64, (3, 3), activation='relu')(inp)
        x = Conv2D(10, (1, 1))(x)
        x = GlobalAveragePooling2D()(x)
        out = Activation('softmax')(x)
        model = Model(inp, out)
    """,
}


def _lines(text):
    return sorted({f.line for f in analyze(textwrap.dedent(text), "example.py", ONLY).findings if f.code == "TL311"})


@pytest.mark.parametrize("name", sorted(BUGS))
def test_bug_is_flagged_where_the_stack_starts_or_the_scores_are_clipped(name):
    text, lines = BUGS[name]
    assert _lines(text) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_is_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_message_names_every_collapsed_layer_and_its_line():
    text, _ = BUGS["keras-sequential-add"]
    [finding] = [f for f in analyze(textwrap.dedent(text), "example.py", ONLY).findings if f.code == "TL311"]
    assert "3 affine layers" in finding.message
    for line in (5, 6, 7):
        assert f"line {line}" in finding.message


def test_unparsable_and_partial_programs_do_not_crash():
    for text in ("model = Sequential(\n", "from keras.layers import Dense\nmodel.add(Dense(3))\n",
                 "import torch.nn as nn\nnn.Sequential()(None)\n"):
        analyze(text, "example.py", ONLY)
