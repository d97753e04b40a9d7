"""False positives found by judging every finding on the real-script corpus
(bench/precision_real.md), each kept as correct code written several ways that must stay
silent (`ok-` cases), next to a look-alike with the real bug that must still be found
(`# expect: CODE`). Only the codes in CODES are compared; every other line must stay silent
for them."""
from __future__ import annotations

import textwrap

import pytest

from test_rules_gradients import _analyze
from test_variants import _expected

CODES = {"TL202", "TL205", "TL207", "TL305", "TL306", "TL307", "TL402", "TL404", "TL405", "TL411"}

CASES = {
    # -- TL202/TL205: NumPy's in-place ndarray.resize changes the array's shape ----------------
    "ok-202-numpy-resize-in-place-before-rnn": """
        import numpy as np
        import torch
        from torch import nn

        seq_length = 20
        time_steps = np.linspace(0, np.pi, seq_length + 1)
        data = np.sin(time_steps)
        data.resize((seq_length + 1, 1))
        x, y = data[:-1], data[1:]
        rnn = nn.RNN(1, 32, 1, batch_first=True)
        fc = nn.Linear(32, 1)
        out, hidden = rnn(torch.Tensor(x).unsqueeze(0), None)
        pred = fc(out.view(-1, 32))
        loss = nn.MSELoss()(pred, torch.Tensor(y))
    """,
    "ok-202-numpy-resize-separate-ints-in-training-function": """
        import numpy as np
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.GRU(input_size=1, hidden_size=8, batch_first=True)
                self.out = nn.Linear(8, 1)

            def forward(self, x):
                h, _ = self.rnn(x)
                return self.out(h.reshape(-1, 8))

        def train(net, steps, n=30):
            opt = torch.optim.Adam(net.parameters())
            for step in range(steps):
                series = np.cos(np.linspace(step, step + 3, n + 1))
                series.resize(n + 1, 1)
                inputs = torch.from_numpy(series[:-1]).float().unsqueeze(0)
                target = torch.from_numpy(series[1:]).float()
                loss = nn.functional.mse_loss(net(inputs), target)
                opt.zero_grad()
                loss.backward()
                opt.step()

        train(Net(), 10)
    """,
    "ok-202-numpy-resize-function-rebinds": """
        import numpy as np
        import torch
        from torch import nn

        data = np.sin(np.linspace(0, 1, 21))
        data = np.resize(data, (21, 1))
        lstm = nn.LSTM(1, 16, batch_first=True)
        out, state = lstm(torch.tensor(data[:-1], dtype=torch.float32).unsqueeze(0))
    """,
    # look-alikes: reshape returns a new array and leaves `data` as it was; a resize to 2 features
    "202-numpy-reshape-result-dropped": """
        import numpy as np
        import torch
        from torch import nn

        data = np.sin(np.linspace(0, np.pi, 21))
        data.reshape((21, 1))
        x = data[:-1]
        rnn = nn.RNN(1, 32, 1, batch_first=True)
        out, hidden = rnn(torch.Tensor(x).unsqueeze(0), None)  # expect: TL202
    """,
    "202-numpy-resize-to-two-features": """
        import numpy as np
        import torch
        from torch import nn

        data = np.sin(np.linspace(0, np.pi, 42))
        data.resize((21, 2))
        x = data[:-1]
        rnn = nn.RNN(1, 32, 1, batch_first=True)
        out, hidden = rnn(torch.Tensor(x).unsqueeze(0), None)  # expect: TL202
    """,
    # -- TL207/TL402: nn.Sequential() filled with add_module(...) is not empty --------------------
    # -- TL402: an element written through a view (`out[i][j] = ...`) gives the base a graph ----
    "ok-402-elementwise-loop-writes-through-a-row-view": """
        import torch

        def loop_version():
            x = torch.randn((8, 8)).float().requires_grad_()
            fx = torch.zeros_like(x)
            for i in range(x.size(0)):
                for j in range(x.size(1)):
                    fx[i][j] = torch.exp(-x[i][j]) / (1. - torch.exp(-x[i][j]))
            fx.sum().backward()
    """,
    "ok-402-nested-write-of-a-model-output": """
        import torch
        import torch.nn as nn

        net = nn.Linear(4, 3)
        table = torch.zeros(2, 5, 3)
        for k in range(5):
            table[0][k] = net(torch.randn(4))
        table.sum().backward()
    """,
    "402-nested-write-of-constants-only": """
        import torch

        x = torch.randn(8, 8, requires_grad=True)
        fx = torch.zeros_like(x)
        for i in range(8):
            for j in range(8):
                fx[i][j] = 1.0
        fx.sum().backward()  # expect: TL402
    """,
    "402-nested-write-of-a-detached-value": """
        import torch

        x = torch.randn(8, 8, requires_grad=True)
        fx = torch.zeros_like(x)
        for i in range(8):
            for j in range(8):
                fx[i][j] = torch.exp(x[i][j]).detach()
        fx.sum().backward()  # expect: TL402
    """,
    "ok-207-402-sequential-filled-by-add-module-in-a-loop": """
        import torch
        import torch.nn as nn

        def make_generator(input_size=20, num_hidden_layers=1, num_hidden_units=100, num_output_units=784):
            model = nn.Sequential()
            for i in range(num_hidden_layers):
                model.add_module(f"fc_g{i}", nn.Linear(input_size, num_hidden_units))
                model.add_module(f"relu_g{i}", nn.LeakyReLU())
                input_size = num_hidden_units
            model.add_module(f"fc_g{num_hidden_layers}", nn.Linear(input_size, num_output_units))
            model.add_module("tanh_g", nn.Tanh())
            return model

        gen = make_generator()
        opt = torch.optim.Adam(gen.parameters())
        z = torch.rand(64, 20)
        images = torch.reshape(gen(z), (64, 28, 28))
        loss = (gen(z) ** 2).mean()
        loss.backward()
        opt.step()
    """,
    "ok-207-402-sequential-append-and-register": """
        import torch
        from torch import nn

        net = nn.Sequential()
        net.append(nn.Linear(10, 32))
        net.add_module("act", nn.ReLU())
        net.register_module("head", nn.Linear(32, 6))
        x = torch.randn(8, 10)
        out = net(x).view(8, 2, 3)
        out.sum().backward()
    """,
    "ok-207-sequential-extended-with-a-list": """
        import torch
        from torch import nn

        layers = [nn.Linear(16, 16), nn.ReLU()]
        body = nn.Sequential()
        body.extend(layers)
        body.insert(0, nn.Linear(4, 16))
        y = body(torch.randn(5, 4)).reshape(5, 4, 4)
    """,
    # look-alikes: the reshape really does not fit what the filled Sequential gives
    "207-sequential-filled-by-add-module-wrong-reshape": """
        import torch
        import torch.nn as nn

        model = nn.Sequential()
        model.add_module("fc", nn.Linear(20, 100))
        model.add_module("act", nn.LeakyReLU())
        model.add_module("out", nn.Linear(100, 784))
        z = torch.rand(64, 20)
        images = torch.reshape(model(z), (64, 32, 32))  # expect: TL207
    """,
    # -- TL305/TL306: a parameter default that no call of the function uses --------------------
    "ok-305-306-default-overridden-beside-kwargs": """
        import numpy as np
        import keras
        from keras.models import Sequential
        from keras.layers import Dense, Activation, Dropout

        def create_network(n_dense=6, dense_units=16, activation="selu", dropout=Dropout, num_classes=1, max_words=1000):
            model = Sequential()
            model.add(Dense(dense_units, input_shape=(max_words,)))
            model.add(Activation(activation))
            for i in range(n_dense - 1):
                model.add(Dense(dense_units))
                model.add(dropout(0.1))
            model.add(Dense(num_classes))
            model.add(Activation("softmax"))
            model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
            return model

        network1 = {"n_dense": 6, "dense_units": 16, "activation": "relu", "dropout": Dropout}
        y_train = np.random.randint(0, 46, size=(100,))
        num_classes = np.max(y_train) + 1
        model1 = create_network(num_classes=num_classes, **network1)
    """,
    "ok-305-default-overridden-positionally-in-a-method": """
        import keras

        class Factory:
            def head(self, features, classes=1):
                model = keras.Sequential()
                model.add(keras.layers.Dense(classes, input_shape=(features,)))
                model.add(keras.layers.Activation("softmax"))
                return model

        heads = [Factory().head(32, 10), Factory().head(64, classes=5)]
    """,
    "ok-306-default-units-overridden-by-a-constant": """
        from tensorflow import keras

        def build(units=1, loss="categorical_crossentropy"):
            model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation="softmax")])
            model.compile(optimizer="adam", loss=loss)
            return model

        model = build(units=3)
        other = build(4)
    """,
    # look-alikes: the default is what a call uses, or the call passes the bad value itself
    "305-306-default-used-by-the-call": """
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        def build(n_in=20, num_classes=1):
            model = Sequential()
            model.add(Dense(16, input_shape=(n_in,)))
            model.add(Dense(num_classes))
            model.add(Activation("softmax"))  # expect: TL305
            model.compile(loss="categorical_crossentropy", optimizer="adam")  # expect: TL306
            return model

        m = build()
    """,
    "305-306-bad-value-passed-by-the-call": """
        from tensorflow import keras

        def build(units=3, loss="categorical_crossentropy"):
            model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation="softmax")])  # expect: TL305
            model.compile(optimizer="adam", loss=loss)  # expect: TL306
            return model

        model = build(units=1)
    """,
    # -- TL307: the log of predicted probabilities (NumPy) used to sample ---------------------
    "ok-307-sample-from-predict-with-temperature": """
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.Input((None,), dtype="int32"),
            tf.keras.layers.Embedding(47, 5),
            tf.keras.layers.GRU(64, return_sequences=True),
            tf.keras.layers.Dense(47, activation="softmax"),
        ])

        def generate(seed, length, temperature=1):
            notes = tf.reshape(tf.constant(seed, dtype=tf.int64), [1, -1])
            for step in range(length):
                next_probas = model.predict(notes)[0, -1:]
                rescaled = tf.math.log(next_probas) / temperature
                nxt = tf.random.categorical(rescaled, num_samples=1)
                notes = tf.concat([notes, nxt], axis=1)
            return notes

        song = generate([1, 2, 3, 4], 8)
    """,
    "ok-307-beam-scores-from-numpy-probabilities": """
        import numpy as np
        import tensorflow as tf

        decoder = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(100, activation="softmax")])
        probs = decoder(np.random.rand(3, 16).astype("float32")).numpy()
        scores = tf.math.log(probs)
        best = tf.math.top_k(scores, k=5)
    """,
    "ok-307-keras-predict-on-batch-log-then-sample": """
        import numpy as np
        from tensorflow import keras
        import tensorflow as tf

        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10), keras.layers.Activation("softmax")])
        p = model.predict_on_batch(np.random.rand(4, 20).astype("float32"))
        logp = tf.math.log(p) / 0.5
        choice = tf.random.categorical(logp, num_samples=1)
    """,
    # look-alikes: the log of a softmax tensor that a loss is built from
    "307-model-output-log-in-a-tape": """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(5, activation="softmax")])
        x, y = tf.random.normal((16, 8)), tf.one_hot(tf.zeros(16, dtype=tf.int32), 5)
        with tf.GradientTape() as tape:
            probs = model(x, training=True)
            loss = -tf.reduce_mean(tf.reduce_sum(y * tf.math.log(probs), axis=1))  # expect: TL307
        grads = tape.gradient(loss, model.trainable_variables)
    """,
    "307-torch-softmax-log-nll": """
        import torch
        import torch.nn as nn

        decoder = nn.Sequential(nn.Linear(16, 100), nn.Softmax(dim=-1))
        probs = decoder(torch.randn(3, 16))
        loss = nn.functional.nll_loss(probs.log(), torch.tensor([1, 2, 3]))  # expect: TL307
        loss.backward()
    """,
    # -- TL404: gradients filled by torch.autograd.backward in the helper that steps ---------
    "ok-404-autograd-backward-in-episode-helper": """
        import torch
        import torch.nn as nn
        from torch import autograd

        critic = nn.Linear(4, 1)
        optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)
        mse = nn.MSELoss()

        def finish_episode(values, rewards):
            value_loss = 0
            for value, reward in zip(values, rewards):
                value_loss += mse(value, torch.tensor([reward]))
            optimizer.zero_grad()
            autograd.backward([value_loss], [torch.ones(1)])
            optimizer.step()
            return value_loss

        for episode in range(100):
            values, rewards = [], []
            for t in range(10):
                values.append(critic(torch.randn(1, 4))[0])
                rewards.append(1.0)
            finish_episode(values, rewards)
    """,
    "ok-404-imported-backward-function-keywords": """
        import torch
        from torch.autograd import backward

        net = torch.nn.Linear(3, 2)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)

        def update(x, y):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x), y)
            backward(tensors=[loss])
            opt.step()

        for epoch in range(10):
            update(torch.randn(8, 3), torch.randint(0, 2, (8,)))
    """,
    "ok-404-grads-assigned-by-hand-in-helper": """
        import torch

        net = torch.nn.Linear(3, 1)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)

        def apply(grads):
            for p, g in zip(net.parameters(), grads):
                p.grad = g
            opt.step()

        for epoch in range(10):
            loss = net(torch.randn(8, 3)).pow(2).mean()
            apply(torch.autograd.grad(loss, list(net.parameters())))
    """,
    # look-alike: the helper steps with nothing that fills the gradients
    "404-helper-steps-without-backward": """
        import torch
        import torch.nn as nn

        critic = nn.Linear(4, 1)
        optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)
        mse = nn.MSELoss()

        def finish_episode(values, rewards):
            value_loss = 0
            for value, reward in zip(values, rewards):
                value_loss += mse(value, torch.tensor([reward]))
            optimizer.zero_grad()
            optimizer.step()  # expect: TL404
            return value_loss

        for episode in range(100):
            values, rewards = [], []
            for t in range(10):
                values.append(critic(torch.randn(1, 4))[0])
                rewards.append(1.0)
            finish_episode(values, rewards)
    """,
    # -- TL405: the loss is computed inside the tape of a helper; the same names are used
    # again outside any tape elsewhere in the program ----------------------------------------
    "ok-405-helper-loss-and-later-module-prediction": """
        import numpy as np
        import tensorflow as tf

        neg = np.random.multivariate_normal(mean=[0, 3], cov=[[1, 0.5], [0.5, 1]], size=50)
        pos = np.random.multivariate_normal(mean=[3, 0], cov=[[1, 0.5], [0.5, 1]], size=50)
        inputs = np.vstack((neg, pos)).astype(np.float32)
        targets = np.vstack((np.zeros((50, 1), dtype="float32"), np.ones((50, 1), dtype="float32")))
        W = tf.Variable(tf.random.uniform(shape=(2, 1)))
        b = tf.Variable(tf.zeros(shape=(1,)))

        def model(inputs):
            return tf.matmul(inputs, W) + b

        def square_loss(targets, predictions):
            return tf.reduce_mean(tf.square(targets - predictions))

        def training_step(inputs, targets):
            with tf.GradientTape() as tape:
                predictions = model(inputs)
                loss = square_loss(targets, predictions)
            grad_w, grad_b = tape.gradient(loss, [W, b])
            W.assign_sub(grad_w * 0.1)
            b.assign_sub(grad_b * 0.1)
            return loss

        for step in range(40):
            loss = training_step(inputs, targets)
        predictions = model(inputs)
    """,
    "ok-405-keras-forward-helper-evaluated-after-training": """
        import pickle
        import tensorflow as tf
        from tensorflow import keras

        net = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        opt = keras.optimizers.SGD(0.01)

        def forward(x):
            return net(x, training=True)

        def l1(y, out):
            return tf.reduce_mean(tf.abs(y - out))

        def step(x, y):
            with tf.GradientTape() as g:
                out = forward(x)
                err = l1(y, out)
            grads = g.gradient(err, net.trainable_variables)
            opt.apply_gradients(zip(grads, net.trainable_variables))
            return err

        with open("batch.pkl", "rb") as f:
            x, y = pickle.load(f)
        for i in range(5):
            err = step(x, y)
        out = forward(x)
        err = l1(y, out)
    """,
    "ok-405-tuple-unpacked-loss-inside-tape": """
        import pickle
        import tensorflow as tf

        w = tf.Variable(tf.ones((3, 1)))

        def predict(x):
            return x @ w

        def losses(x, y):
            err = tf.reduce_mean((predict(x) - y) ** 2)
            return err, err + 0.01 * tf.reduce_sum(w ** 2)

        def train(x, y):
            with tf.GradientTape() as tape:
                plain, loss = losses(x, y)
            return tape.gradient(loss, w)

        features, labels = pickle.load(open("train.pkl", "rb"))
        g = train(features, labels)
        pred = predict(features)
        plain, total = losses(features, labels)
    """,
    # look-alikes: the helper really computes its loss after the tape closed
    "405-helper-loss-after-tape-and-module-loss": """
        import numpy as np
        import tensorflow as tf

        inputs = np.random.multivariate_normal(mean=[0, 3], cov=[[1, 0.5], [0.5, 1]], size=100).astype(np.float32)
        targets = np.zeros((100, 1), dtype="float32")
        W = tf.Variable(tf.random.uniform(shape=(2, 1)))
        b = tf.Variable(tf.zeros(shape=(1,)))

        def model(inputs):
            return tf.matmul(inputs, W) + b

        def square_loss(targets, predictions):
            return tf.reduce_mean(tf.square(targets - predictions))

        def training_step(inputs, targets):
            with tf.GradientTape() as tape:
                predictions = model(inputs)
            loss = square_loss(targets, predictions)
            grad_w, grad_b = tape.gradient(loss, [W, b])  # expect: TL405
            W.assign_sub(grad_w * 0.1)
            return loss

        for step in range(40):
            loss = training_step(inputs, targets)
        predictions = model(inputs)
    """,
    "405-loss-inside-then-rebound-after-tape": """
        import tensorflow as tf

        w = tf.Variable(tf.ones((3, 1)))

        def train(x, y):
            with tf.GradientTape() as tape:
                pred = x @ w
                loss = tf.reduce_mean((pred - y) ** 2)
            loss = loss + 0.01 * tf.reduce_sum(w ** 2)
            return tape.gradient(loss, w)  # expect: TL405

        g = train(tf.ones((2, 3)), tf.zeros((2, 1)))
    """,
    # -- TL411: two models trained side by side, each optimizer after its own backward --------
    "ok-411-two-models-backward-then-steps": """
        import torch

        wide = torch.nn.Sequential(torch.nn.Linear(1, 100), torch.nn.ReLU(), torch.nn.Linear(100, 1))
        thin = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        opt_wide = torch.optim.Adam(wide.parameters(), lr=0.01)
        opt_thin = torch.optim.Adam(thin.parameters(), lr=0.01)
        mse = torch.nn.MSELoss()
        x, y = torch.randn(64, 1), torch.randn(64, 1)
        for t in range(200):
            loss_wide = mse(wide(x), y)
            loss_thin = mse(thin(x), y)
            opt_wide.zero_grad()
            opt_thin.zero_grad()
            loss_wide.backward()
            loss_thin.backward()
            opt_wide.step()
            opt_thin.step()
    """,
    "ok-411-two-class-models-steps-reversed": """
        import torch.nn as nn
        from torch import optim

        class Net(nn.Module):
            def __init__(self, hidden):
                super().__init__()
                self.a = nn.Linear(4, hidden)
                self.b = nn.Linear(hidden, 2)

            def forward(self, x):
                return self.b(self.a(x).relu())

        def train(first, second, x, y, epochs=10):
            o1 = optim.SGD(first.parameters(), lr=0.1)
            o2 = optim.SGD(second.parameters(), lr=0.1)
            for _ in range(epochs):
                o1.zero_grad()
                o2.zero_grad()
                nn.functional.cross_entropy(first(x), y).backward()
                nn.functional.cross_entropy(second(x), y).backward()
                o2.step()
                o1.step()

        import torch
        train(Net(16), Net(64), torch.randn(32, 4), torch.randint(0, 2, (32,)))
    """,
    "ok-411-three-models-in-a-loader-loop": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset

        m1, m2, m3 = nn.Linear(10, 1), nn.Linear(10, 1), nn.Linear(10, 1)
        o1, o2, o3 = torch.optim.SGD(m1.parameters(), lr=0.1), torch.optim.SGD(m2.parameters(), lr=0.1), torch.optim.SGD(m3.parameters(), lr=0.1)
        loader = DataLoader(TensorDataset(torch.randn(100, 10), torch.randn(100, 1)), batch_size=10)
        for xb, yb in loader:
            l1 = nn.functional.mse_loss(m1(xb), yb)
            l2 = nn.functional.l1_loss(m2(xb), yb)
            l3 = nn.functional.smooth_l1_loss(m3(xb), yb)
            for o in (o1, o2, o3):
                o.zero_grad()
            l1.backward()
            l2.backward()
            l3.backward()
            o3.step()
            o1.step()
            o2.step()
    """,
    # look-alikes: the optimizer's own model gets no backward in its window
    "411-two-models-third-optimizer-on-teacher": """
        import torch

        teacher = torch.nn.Linear(1, 1)
        wide = torch.nn.Sequential(torch.nn.Linear(1, 100), torch.nn.ReLU(), torch.nn.Linear(100, 1))
        thin = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        opt_wide = torch.optim.Adam(teacher.parameters(), lr=0.01)
        opt_thin = torch.optim.Adam(thin.parameters(), lr=0.01)
        mse = torch.nn.MSELoss()
        x, y = torch.randn(64, 1), torch.randn(64, 1)
        for t in range(200):
            loss_wide = mse(wide(x), y)
            loss_thin = mse(thin(x), y)
            opt_wide.zero_grad()
            opt_thin.zero_grad()
            loss_wide.backward()
            loss_thin.backward()
            opt_wide.step()  # expect: TL411
            opt_thin.step()
    """,
    "411-gradients-cleared-before-the-other-backward": """
        import torch

        wide = torch.nn.Sequential(torch.nn.Linear(1, 100), torch.nn.ReLU(), torch.nn.Linear(100, 1))
        thin = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        opt_wide = torch.optim.Adam(wide.parameters(), lr=0.01)
        opt_thin = torch.optim.Adam(thin.parameters(), lr=0.01)
        mse = torch.nn.MSELoss()
        x, y = torch.randn(64, 1), torch.randn(64, 1)
        for t in range(200):
            loss_wide = mse(wide(x), y)
            loss_thin = mse(thin(x), y)
            loss_wide.backward()
            opt_wide.zero_grad()
            opt_thin.zero_grad()
            loss_thin.backward()
            opt_wide.step()  # expect: TL411
            opt_thin.step()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_false_positives(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)
