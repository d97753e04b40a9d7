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
    # -- TL403 missing-zero-grad -----------------------------------------------------------
    "403-train-step-helper-dataloader": """
        import torch
        from torch import nn, optim
        from torch.utils.data import DataLoader, TensorDataset

        def train_step(net, opt, xb, yb):
            loss = nn.functional.cross_entropy(net(xb), yb)
            loss.backward()  # expect: TL403
            opt.step()
            return loss.item()

        loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randint(0, 3, (64,))), batch_size=16)
        net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
        opt = optim.AdamW(net.parameters(), lr=1e-3)
        for epoch in range(5):
            for xb, yb in loader:
                train_step(net, opt, xb, yb)
    """,
    "ok-403-look-alikes": """
        import torch
        import torch.nn as nn
        from torch.cuda.amp import GradScaler
        model = nn.Linear(5, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        scaler = GradScaler()
        x, y = torch.randn(20, 5), torch.randn(20, 1)
        for i in range(10):
            opt.zero_grad(set_to_none=True)
            nn.functional.mse_loss(model(x), y).backward()
            opt.step()
        for i in range(10):
            opt.zero_grad()
            scaler.scale(nn.functional.mse_loss(model(x), y)).backward()
            scaler.step(opt)
            scaler.update()
        for i in range(10):
            for p in model.parameters():
                p.grad = None
            nn.functional.mse_loss(model(x), y).backward()
            opt.step()
    """,
    # -- TL404 incomplete-training-step ----------------------------------------------------
    "404-class-trainer-without-step": """
        import torch
        import torch.nn as nn

        class Trainer:
            def __init__(self):
                self.model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
                self.opt = torch.optim.Adam(self.model.parameters())

            def fit(self, x, y, epochs=10):
                for _ in range(epochs):
                    self.opt.zero_grad()
                    loss = nn.functional.cross_entropy(self.model(x), y)
                    loss.backward()  # expect: TL404

        Trainer().fit(torch.randn(4, 8), torch.randint(0, 2, (4,)))
    """,
    # -- TL405 gradient-tape-misuse --------------------------------------------------------
    "405-keras3-loss-after-block": """
        import keras
        import tensorflow as tf

        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        loss_fn = keras.losses.MeanSquaredError()
        opt = keras.optimizers.Adam()
        x, y = tf.random.normal((16, 6)), tf.random.normal((16, 1))
        for step in range(3):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
            loss = loss_fn(y, pred)
            grads = tape.gradient(loss, model.trainable_variables)  # expect: TL405
            opt.apply_gradients(zip(grads, model.trainable_variables))
    """,
    "405-input-gradient-unwatched": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
        x = tf.random.normal((1, 4))
        with tf.GradientTape() as tape:
            out = tf.reduce_sum(model(x))
        dx = tape.gradient(out, x)  # expect: TL405
    """,
    # -- TL407 eval-mode-not-restored ------------------------------------------------------
    "407-eval-in-validate-helper": """
        import torch
        import torch.nn as nn

        def validate(m, xv, yv):
            m.eval()  # expect: TL407
            with torch.no_grad():
                return nn.functional.cross_entropy(m(xv), yv).item()

        model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 10), torch.randint(0, 2, (16,))
        model.train()
        for epoch in range(20):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            print(validate(model, x, y))
    """,
    "ok-407-validate-first-then-train": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 10), torch.randint(0, 2, (16,))
        for epoch in range(20):
            model.eval()
            with torch.no_grad():
                print(model(x).argmax(1))
            model.train()
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
    """,
    "407-custom-module-calling-functional-dropout": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.layer_1 = nn.Linear(10, 32)
                self.layer_2 = nn.Linear(32, 2)

            def forward(self, x):
                return self.layer_2(F.dropout(torch.relu(self.layer_1(x)), 0.5, training=self.training))

        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 10), torch.randint(0, 2, (16,))
        for epoch in range(20):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            model.eval()  # expect: TL407
            with torch.no_grad():
                print(model(x).argmax(1))
    """,
    "407-lstm-with-dropout-between-layers": """
        import torch
        import torch.nn as nn

        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(8, 16, num_layers=2, dropout=0.3, batch_first=True)
                self.out = nn.Linear(16, 3)

            def forward(self, x):
                h, _ = self.rnn(x)
                return self.out(h[:, -1])

        model = Tagger()
        optimizer = torch.optim.Adam(model.parameters())
        x, y = torch.randn(4, 5, 8), torch.randint(0, 3, (4,))
        for epoch in range(5):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            model.eval()  # expect: TL407
            with torch.no_grad():
                print(model(x).argmax(1))
    """,
    # -- TL408 direct-forward-call ---------------------------------------------------------
    "408-sequential-forward-in-loop": """
        import torch
        from torch import nn
        net = nn.Sequential(nn.Linear(3, 3), nn.Tanh())
        for _ in range(3):
            out = net.forward(torch.randn(2, 3))  # expect: TL408
    """,
    # -- TL409 loss-accumulates-graph ------------------------------------------------------
    "409-epoch-loss-in-function": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset

        def train_epoch(model, loader, opt):
            epoch_loss = 0
            for xb, yb in loader:
                opt.zero_grad()
                batch_loss = nn.functional.mse_loss(model(xb), yb)
                batch_loss.backward()
                opt.step()
                epoch_loss = epoch_loss + batch_loss  # expect: TL409
            return epoch_loss

        model = nn.Linear(4, 1)
        loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
        train_epoch(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
    """,
    "ok-409-detached-and-summed-parts": """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(32, 4), torch.randn(32, 1)
        running = 0.0
        for i in range(10):
            opt.zero_grad()
            loss = 0
            for part in range(4):
                loss += nn.functional.mse_loss(model(x[part::4]), y[part::4])
            loss.backward()
            opt.step()
            running += loss.detach()
    """,
    "409-loss-history-list-per-epoch": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        opt = torch.optim.Adam(model.parameters())
        loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=16)
        history = []
        for epoch in range(3):
            batch_losses = []
            for xb, yb in loader:
                opt.zero_grad()
                batch_loss = nn.functional.mse_loss(model(xb), yb)
                batch_loss.backward()
                opt.step()
                batch_losses.append(batch_loss)  # expect: TL409
            history.append(sum(batch_losses) / len(batch_losses))
    """,
    "409-trainer-attributes": """
        import torch
        import torch.nn as nn

        class Trainer:
            def __init__(self, model):
                self.model = model
                self.opt = torch.optim.SGD(model.parameters(), lr=0.1)
                self.history = []
                self.running = 0.0

            def fit(self, x, y, steps):
                for step in range(steps):
                    self.opt.zero_grad()
                    loss = nn.functional.mse_loss(self.model(x), y)
                    loss.backward()
                    self.opt.step()
                    self.history.append(loss)  # expect: TL409
                    self.running += loss  # expect: TL409

        Trainer(nn.Linear(4, 1)).fit(torch.randn(8, 4), torch.randn(8, 1), 5)
    """,
    "ok-409-trainer-attributes-numbers-or-backpropagated-elsewhere": """
        import torch
        import torch.nn as nn

        class Trainer:
            def __init__(self, model):
                self.model = model
                self.opt = torch.optim.SGD(model.parameters(), lr=0.1)
                self.parts = []
                self.running = 0.0

            def fit(self, x, y, steps):
                for step in range(steps):
                    self.opt.zero_grad()
                    loss = nn.functional.mse_loss(self.model(x), y)
                    loss.backward()
                    self.opt.step()
                    self.running += loss.item()
                    self.parts.append(loss)

            def finish(self):
                torch.stack(self.parts).sum().backward()

        Trainer(nn.Linear(4, 1)).fit(torch.randn(8, 4), torch.randn(8, 1), 5)
    """,
    "ok-409-lists-of-numbers-outputs-and-losses-backpropagated-together": """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(32, 4), torch.randn(32, 1)
        numbers, outputs, kept = [], [], []
        for i in range(10):
            opt.zero_grad()
            out = model(x)
            loss = nn.functional.mse_loss(out, y)
            loss.backward()
            opt.step()
            numbers.append(loss.item())
            outputs.append(out.detach())
        for i in range(4):
            kept.append(nn.functional.mse_loss(model(x[i::4]), y[i::4]))
        torch.stack(kept).mean().backward()
        with torch.no_grad():
            val = [nn.functional.mse_loss(model(x), y) for _ in range(3)]
    """,
    # -- TL410 backward-on-non-scalar ------------------------------------------------------
    "410-weighted-per-sample-loss": """
        import torch
        import torch.nn as nn
        model = nn.Linear(10, 4)
        criterion = nn.CrossEntropyLoss(reduction="none")
        x, y = torch.randn(8, 10), torch.randint(0, 4, (8,))
        weights = torch.linspace(0.5, 1.5, 8)
        loss = criterion(model(x), y) * weights
        loss.backward()  # expect: TL410
    """,
    # -- TL411 optimizer-misses-model ------------------------------------------------------
    "411-model-rebuilt-after-optimizer": """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, hidden):
                super().__init__()
                self.body = nn.Sequential(nn.Linear(8, hidden), nn.ReLU(), nn.Linear(hidden, 1))

            def forward(self, x):
                return self.body(x)

        model = Net(32)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        model = Net(64)
        x, y = torch.randn(12, 8), torch.randn(12, 1)
        for epoch in range(10):
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()  # expect: TL411
    """,
    "ok-411-nested-and-moved-model": """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = nn.Linear(8, 16)
                self.head = nn.Linear(16, 1)

            def forward(self, x):
                return self.head(torch.relu(self.encoder(x)))

        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        model = model.to("cpu")
        head_opt = torch.optim.SGD(model.head.parameters(), lr=0.01)
        x, y = torch.randn(12, 8), torch.randn(12, 1)
        for epoch in range(10):
            optimizer.zero_grad()
            head_opt.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            head_opt.step()
    """,
}


def _analyze(text: str, name: str):
    return analyze(text, f"{name}.py", Config(select=("ALL",))).findings


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_rules(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)


FIXES = {
    "TL403-insert-zero-grad": ("""
        import torch
        import torch.nn as nn
        model = nn.Linear(5, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(20, 5), torch.randn(20, 1)
        for epoch in range(100):
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
    """, """
        import torch
        import torch.nn as nn
        model = nn.Linear(5, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(20, 5), torch.randn(20, 1)
        for epoch in range(100):
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    """, False),
    "TL407-insert-train": ("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 1))
        opt = torch.optim.Adam(model.parameters())
        x, y = torch.randn(6, 4), torch.randn(6, 1)
        for epoch in range(3):
            opt.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            opt.step()
            model.eval()
            print(model(x).mean())
    """, """
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 1))
        opt = torch.optim.Adam(model.parameters())
        x, y = torch.randn(6, 4), torch.randn(6, 1)
        for epoch in range(3):
            opt.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            model.train()
            opt.step()
            model.eval()
            print(model(x).mean())
    """, True),
    "TL408-call-the-module": ("""
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        pred = model.forward(torch.randn(8, 4))
    """, """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        pred = model(torch.randn(8, 4))
    """, False),
    "TL409-accumulate-item": ("""
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(8, 4), torch.randn(8, 1)
        total = 0.0
        for i in range(5):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            total += loss * x.size(0)
    """, """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(8, 4), torch.randn(8, 1)
        total = 0.0
        for i in range(5):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            total += (loss * x.size(0)).item()
    """, False),
    "TL410-append-mean": ("""
        import torch
        w = torch.randn(3, 1, requires_grad=True)
        x, y = torch.randn(10, 3), torch.randn(10, 1)
        err = (x @ w - y) ** 2
        err.backward()
        (x @ w - y).backward()
    """, """
        import torch
        w = torch.randn(3, 1, requires_grad=True)
        x, y = torch.randn(10, 3), torch.randn(10, 1)
        err = (x @ w - y) ** 2
        err.mean().backward()
        (x @ w - y).mean().backward()
    """, True),
}


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
