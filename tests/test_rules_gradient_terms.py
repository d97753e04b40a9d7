"""The rules about what reaches the gradient (TL309, TL401, TL402, TL405, TL412-TL414) on programs
written the ways people write them: helper functions, class models, DataLoader loops, Keras 3 and
tf.keras. Each case marks its expected findings with `# expect: CODE`; every other line must stay
silent for these codes. `ok-` cases are correct code that must stay silent.

The failing programs of tests/corpus/ for these codes were run under torch 2.13 and TensorFlow
(tests/corpus/verify_runtime.py, results in runtime_results.json): each raises as declared or
shows its silent failure (a NaN loss, a `.grad` that stays None, identical gradients with and
without a term)."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CODES = {"TL309", "TL401", "TL402", "TL405", "TL412", "TL413", "TL414"}

CASES = {
    # -- TL309 log-of-unbounded ------------------------------------------------------------
    "309-keras-subclass-nll": """
        import tensorflow as tf
        from tensorflow import keras

        class Regressor(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(32, activation="tanh")
                self.scale = keras.layers.Dense(1)

            def call(self, x):
                return self.scale(self.hidden(x))

        model = Regressor()
        x, y = tf.random.normal((16, 4)), tf.random.normal((16, 1))
        with tf.GradientTape() as tape:
            sigma = model(x)
            nll = tf.reduce_mean(tf.math.log(sigma) + tf.square(y) / (2 * sigma ** 2))  # expect: TL309
        grads = tape.gradient(nll, model.trainable_variables)
    """,
    "ok-309-log-of-exp-and-softplus": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        head = nn.Linear(8, 2)
        out = head(torch.randn(16, 8))
        log_var = out[:, 1]
        sigma = F.softplus(out[:, 0]) + 1e-4
        nll = (torch.log(sigma) + 0.5 * torch.exp(-log_var)).mean()
        logits = nn.Linear(8, 3)(torch.randn(4, 8))
        lp = torch.log(torch.softmax(logits, dim=1) + 1e-9)
    """,
    # -- TL412 detached-loss-term ----------------------------------------------------------
    "412-entropy-bonus-detached": """
        import torch
        import torch.nn as nn

        actor = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 2))
        opt = torch.optim.Adam(actor.parameters(), lr=1e-3)
        states, advantages = torch.randn(64, 4), torch.randn(64)
        actions = torch.randint(0, 2, (64,))
        for update in range(10):
            dist = torch.distributions.Categorical(logits=actor(states))
            policy_loss = -(dist.log_prob(actions) * advantages).mean()
            probs = torch.softmax(actor(states), dim=1)
            entropy = -(probs * torch.log_softmax(actor(states), dim=1)).sum(1).mean()
            loss = policy_loss - 0.01 * entropy.detach()  # expect: TL412
            opt.zero_grad()
            loss.backward()
            opt.step()
    """,
    "412-regularizer-from-helper-item": """
        import torch
        import torch.nn as nn

        def l2_penalty(model):
            return sum((p ** 2).sum() for p in model.parameters())

        net = nn.Linear(10, 1)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        x, y = torch.randn(32, 10), torch.randn(32, 1)
        for epoch in range(5):
            mse = nn.functional.mse_loss(net(x), y)
            reg = net.weight.pow(2).sum().item()
            total = mse
            total += 1e-3 * reg  # expect: TL412
            optimizer.zero_grad()
            total.backward()
            optimizer.step()
    """,
    "ok-412-dqn-target-and-logging": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        q_net, target_net = nn.Linear(4, 2), nn.Linear(4, 2)
        opt = torch.optim.Adam(q_net.parameters())
        s, a, r, s2 = torch.randn(8, 4), torch.randint(0, 2, (8, 1)), torch.randn(8), torch.randn(8, 4)
        for step in range(3):
            q = q_net(s).gather(1, a).squeeze(1)
            target = r + 0.99 * target_net(s2).max(1).values.detach()
            loss = F.smooth_l1_loss(q, target)
            running = loss.item() + q.detach().mean().item()
            opt.zero_grad()
            loss.backward()
            opt.step()
    """,
    # -- TL413 parameters-without-gradient -------------------------------------------------
    "413-dataloader-loop-rewrapped": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset

        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        criterion = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(torch.randn(64, 6), torch.randint(0, 3, (64,))), batch_size=16)
        for epoch in range(3):
            for xb, yb in loader:
                optimizer.zero_grad()
                value = criterion(model(xb), yb).item()
                loss = torch.tensor(value, requires_grad=True) + 0.0
                loss.backward()
                optimizer.step()  # expect: TL413
    """,
    "ok-413-model-passed-to-helper": """
        import torch
        import torch.nn as nn

        def step_loss(m, xb, yb):
            return nn.functional.cross_entropy(m(xb), yb)

        model = nn.Linear(6, 3)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
        for epoch in range(3):
            acc = (model(x).argmax(1) == y).float().mean().item()
            loss = step_loss(model, x, y) * (1.0 - acc)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    """,
    # -- TL414 unused-layer-output ---------------------------------------------------------
    "414-keras-subclass-call": """
        from tensorflow import keras

        class Encoder(keras.Model):
            def __init__(self):
                super().__init__()
                self.d1 = keras.layers.Dense(64, activation="relu")
                self.d2 = keras.layers.Dense(32, activation="relu")
                self.out = keras.layers.Dense(8)

            def call(self, inputs):
                h1 = self.d1(inputs)
                h2 = self.d2(h1)  # expect: TL414
                return self.out(h1)

        enc = Encoder()
        z = enc(keras.ops.ones((2, 16)))
    """,
    "414-keras-block-nested-in-a-builder": """
        from tensorflow import keras

        def make(n_features):
            def block(x):
                h = keras.layers.Dense(64, activation="relu")(x)
                h2 = keras.layers.Dense(32, activation="relu")(h)  # expect: TL414
                return keras.layers.Dense(8)(h)

            inputs = keras.Input((n_features,))
            return keras.Model(inputs, block(inputs))

        model = make(10)
    """,
    "414-torch-module-defined-in-a-function": """
        import torch
        import torch.nn as nn

        def build():
            class Head(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.a = nn.Linear(8, 8)
                    self.b = nn.Linear(8, 2)

                def forward(self, x):
                    h = self.a(x)  # expect: TL414
                    return self.b(x)

            return Head()

        y = build()(torch.randn(4, 8))
    """,
    "ok-414-skip-connection-and-debug-print": """
        import torch
        import torch.nn as nn

        class UNetBlock(nn.Module):
            def __init__(self):
                super().__init__()
                self.down = nn.Conv2d(3, 8, 3, padding=1)
                self.mid = nn.Conv2d(8, 8, 3, padding=1)
                self.up = nn.Conv2d(16, 3, 3, padding=1)

            def forward(self, x):
                d = self.down(x)
                m = self.mid(d)
                print(m.shape)
                return self.up(torch.cat([d, m], dim=1))

        y = UNetBlock()(torch.randn(1, 3, 16, 16))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_term_rules(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code in CODES}
    assert found == _expected(text)


def test_messages_name_the_values():
    """Each new finding names what it compares: the cut, the layer, the line the loss is used."""
    text = textwrap.dedent(CASES["412-regularizer-from-helper-item"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL412"]
    assert ".item()" in f.message and "line 16" in f.message and f.related
    text = textwrap.dedent(CASES["413-dataloader-loop-rewrapped"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL413"]
    assert "`model`" in f.message and ".item()" in f.message and f.related
