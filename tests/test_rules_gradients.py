"""The gradient-flow and training-loop rules (TL402-TL411) on bugs written the ways people
write them: helper functions, class models, DataLoader loops, nested loops, aliases, Keras 3
and tf.keras. Each case marks its expected findings with `# expect: CODE`; every other line
must stay silent for the TL4xx codes of this file. `ok-` cases are correct code that must
stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.fixer import apply_findings, is_applicable
from test_variants import _expected

CODES = {"TL402", "TL403", "TL404", "TL405", "TL407", "TL408", "TL409", "TL410", "TL411"}

CASES = {
    # -- TL402 no-gradient-path ------------------------------------------------------------
    "402-no-grad-helper-function": """
        import torch
        import torch.nn as nn

        @torch.no_grad()
        def predict(net, batch):
            return net(batch)

        net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        xb, yb = torch.randn(4, 6), torch.randint(0, 3, (4,))
        opt.zero_grad()
        loss = nn.CrossEntropyLoss()(predict(net, xb), yb)
        loss.backward()  # expect: TL402
        opt.step()
    """,
    "402-inference-mode-class-model": """
        import torch
        from torch import nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 1)

            def forward(self, x):
                return self.fc(x)

        model = Net()
        x, y = torch.randn(16, 10), torch.randn(16, 1)
        with torch.inference_mode():
            pred = model(x)
        loss = ((pred - y) ** 2).mean()
        loss.backward()  # expect: TL402
    """,
    "402-detach-in-loader-loop": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset

        loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8)
        model = nn.Linear(5, 1)
        optimizer = torch.optim.Adam(model.parameters())
        for xb, yb in loader:
            optimizer.zero_grad()
            out = model(xb).detach()
            loss = nn.functional.mse_loss(out, yb)
            loss.backward()  # expect: TL402
            optimizer.step()
    """,
    "402-accuracy-as-loss": """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 3)
        x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
        pred = model(x).argmax(dim=1)
        loss = 1 - (pred == y).float().mean()
        loss.backward()  # expect: TL402
    """,
    "402-item-rewrapped-as-tensor": """
        import torch
        import torch.nn as nn
        model = nn.Linear(3, 1)
        criterion = nn.MSELoss()
        x, y = torch.randn(10, 3), torch.randn(10, 1)
        loss_value = criterion(model(x), y).item()
        loss = torch.tensor(loss_value, requires_grad=True)
        loss.backward()  # expect: TL402
    """,
    "402-tf-argmax-in-tape": """
        import tensorflow as tf
        from tensorflow import keras

        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
        opt = keras.optimizers.Adam()
        x = tf.random.normal((16, 8))
        y = tf.random.uniform((16,), maxval=4, dtype=tf.int64)
        with tf.GradientTape() as tape:
            guess = tf.argmax(model(x), axis=1)
            loss = tf.reduce_mean(tf.cast(tf.not_equal(guess, y), tf.float32))
        grads = tape.gradient(loss, model.trainable_variables)  # expect: TL402
        opt.apply_gradients(zip(grads, model.trainable_variables))
    """,
    "ok-402-saliency-and-detached-targets": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        target_net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        x = torch.randn(16, 4)
        with torch.no_grad():
            target = target_net(x).max(1)[0]
        q = model(x).max(1)[0]
        loss = nn.functional.smooth_l1_loss(q, target.detach())
        loss.backward()
        img = torch.randn(1, 4).requires_grad_(True)
        model(img)[0, 1].backward()
        print(img.grad)
    """,
    "ok-402-tape-loss-and-logging": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
        opt = tf.keras.optimizers.SGD()
        x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
        with tf.GradientTape() as tape:
            pred = model(x, training=True)
            loss = tf.reduce_mean(tf.square(pred - y))
            acc = tf.reduce_mean(tf.cast(tf.equal(tf.round(pred), y), tf.float32))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        print(float(acc))
    """,
}


def _analyze(text: str, name: str):
    return analyze(text, f"{name}.py", Config(select=("ALL",))).findings


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_rules(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)


FIXES = {}


@pytest.mark.parametrize("name", sorted(FIXES))
def test_fix(name):
    before, after, unsafe = FIXES[name]
    before = textwrap.dedent(before).lstrip("\n")
    code = name.split("-", 1)[0]
    findings = [f for f in _analyze(before, name) if f.code == code]
    assert findings and all(is_applicable(f.fix, unsafe) for f in findings)
    fixed, _ = apply_findings(before, findings)
    assert fixed == textwrap.dedent(after).lstrip("\n")
    assert not [f for f in _analyze(fixed, name) if f.code == code]
