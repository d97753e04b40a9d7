"""Training code whose caller is not in the file: functions nobody calls (their parameters judged
by how the body uses them), trainer classes given their model and optimizer, entry points under
`if __name__ == "__main__":`, models wrapped by `DataParallel` / `DistributedDataParallel` /
`torch.compile` / `.to(device)`, Keras `train_step` overrides and Lightning modules (whose
`training_step` returns the loss the framework backpropagates). Each case marks its expected
findings with `# expect: CODE`; every other line must stay silent for these codes (the
look-alikes expect nothing)."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import expectations  # noqa: E402

CODES = {"TL304", "TL402", "TL403", "TL404", "TL405", "TL407", "TL409", "TL410", "TL411", "TL412", "TL413"}
ALL = Config(select=("ALL",))

TORCH_FUNCTIONS = {
    "train-function-no-zero-grad": """
        import torch

        def train(model, loader, optimizer, criterion, epoch):
            model.train()
            for x, y in loader:
                out = model(x)
                loss = criterion(out, y)
                loss.backward()  # expect: TL403
                optimizer.step()
    """,
    "train-function-zero-grad": """
        import torch

        def train(model, loader, optimizer, criterion, epoch):
            model.train()
            for x, y in loader:
                optimizer.zero_grad()
                out = model(x)
                loss = criterion(out, y)
                loss.backward()
                optimizer.step()
    """,
    # another spelling: enumerate over the loader, a functional loss, the optimizer keyword-only,
    # the model moved to a device first
    "train-function-enumerate-functional-loss": """
        import torch.nn.functional as F

        def fit(net, data, device, *, opt, epochs=10):
            net = net.to(device)
            for epoch in range(epochs):
                for i, (images, labels) in enumerate(data):
                    images, labels = images.to(device), labels.to(device)
                    logits = net(images)
                    loss = F.cross_entropy(logits, labels)
                    loss.backward()  # expect: TL403
                    opt.step()
    """,
    # a model that computes its own loss (`model(x, y)` returns it)
    "train-function-model-returns-loss": """
        import torch

        def train_epoch(model, batches, optimizer):
            for inputs, targets in batches:
                loss = model(inputs, targets)
                loss.backward()  # expect: TL403
                optimizer.step()
    """,
    "train-function-model-returns-loss-cleared": """
        import torch

        def train_epoch(model, batches, optimizer):
            for inputs, targets in batches:
                optimizer.zero_grad(set_to_none=True)
                loss = model(inputs, targets)
                loss.backward()
                optimizer.step()
    """,
    "train-function-loss-kept-with-graph": """
        import torch

        def train(model, loader, optimizer, criterion):
            running_loss = 0.0
            for x, y in loader:
                optimizer.zero_grad()
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
                running_loss += loss  # expect: TL409
            return running_loss / len(loader)
    """,
    "train-function-loss-item": """
        import torch

        def train(model, loader, optimizer, criterion):
            running_loss = 0.0
            for x, y in loader:
                optimizer.zero_grad()
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
                running_loss += loss.item()
            return running_loss / len(loader)
    """,
    # which of two `.step()` receivers is the optimizer cannot be told from the body: silent
    "train-function-scheduler-and-optimizer": """
        import torch

        def train(model, loader, optimizer, scheduler, criterion):
            for x, y in loader:
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
                scheduler.step()
    """,
    "train-function-scheduler-after-epoch": """
        import torch

        def train(model, loader, optimizer, scheduler, criterion, epochs):
            for epoch in range(epochs):
                for x, y in loader:
                    optimizer.zero_grad()
                    criterion(model(x), y).backward()
                    optimizer.step()
                scheduler.step()
    """,
    # mixed precision: the scaler steps the optimizer
    "train-function-grad-scaler": """
        import torch

        def train(model, loader, optimizer, scaler, criterion):
            for x, y in loader:
                with torch.autocast("cuda"):
                    loss = criterion(model(x), y)
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
    """,
    "train-function-gradient-accumulation": """
        import torch

        def train(model, loader, optimizer, criterion, accum):
            for i, (x, y) in enumerate(loader):
                loss = criterion(model(x), y) / accum
                loss.backward()
                if (i + 1) % accum == 0:
                    optimizer.step()
                    optimizer.zero_grad()
    """,
    # the function reads the global optimizer: the caller may pass the global model it trains
    "train-function-global-optimizer": """
        import torch
        import torch.nn as nn

        model = nn.Linear(4, 2)
        loss_fn = nn.CrossEntropyLoss()
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

        def train(model, num_epochs, train_dl):
            for epoch in range(num_epochs):
                model.train()
                for x_batch, y_batch in train_dl:
                    pred = model(x_batch)
                    loss = loss_fn(pred, y_batch)
                    loss.backward()
                    optimizer.step()
                    optimizer.zero_grad()
    """,
    # an evaluation helper that leaves the model in eval mode, called every few steps by a
    # training function that builds the optimizer on the model it is given
    "train-function-eval-helper-not-restored": """
        import torch
        import torch.nn.functional as F

        def train(train_iter, dev_iter, model, args):
            optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
            steps = 0
            model.train()
            for epoch in range(args.epochs):
                for feature, target in train_iter:
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(feature), target)
                    loss.backward()
                    optimizer.step()
                    steps += 1
                    if steps % args.test_interval == 0:
                        evaluate(dev_iter, model)

        def evaluate(data_iter, model):
            model.eval()  # expect: TL407
            correct = 0
            for feature, target in data_iter:
                correct += (model(feature).argmax(1) == target).sum().item()
            return correct
    """,
    "train-function-eval-helper-restored": """
        import torch
        import torch.nn.functional as F

        def train(train_iter, dev_iter, model, args):
            optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
            steps = 0
            for epoch in range(args.epochs):
                for feature, target in train_iter:
                    model.train()
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(feature), target)
                    loss.backward()
                    optimizer.step()
                    steps += 1
                    if steps % args.test_interval == 0:
                        evaluate(dev_iter, model)

        def evaluate(data_iter, model):
            model.eval()
            correct = 0
            for feature, target in data_iter:
                correct += (model(feature).argmax(1) == target).sum().item()
            return correct
    """,
    # a frozen backbone kept in eval mode while the head trains: the loss comes from both
    "train-function-frozen-backbone": """
        import torch

        def train(backbone, head, loader, optimizer, criterion, epochs):
            for epoch in range(epochs):
                backbone.eval()
                for x, y in loader:
                    optimizer.zero_grad()
                    loss = criterion(head(backbone(x)), y)
                    loss.backward()
                    optimizer.step()
    """,
    # an evaluation function alone: nothing trains, nothing to say
    "evaluate-function": """
        import torch

        def evaluate(model, loader, criterion):
            model.eval()
            total = 0
            with torch.no_grad():
                for x, y in loader:
                    total += criterion(model(x), y)
            return total
    """,
}

# the function is given its optimizer: every loss it backpropagates comes from `model`, so the
# optimizer's step trains `model`, left in eval mode after the first epoch unless `train()` is
# called again every epoch
EPOCHS_WITH_VALIDATION = """
    import torch

    def train(model, loader, val_loader, optimizer, criterion, epochs):
        {before}for epoch in range(epochs):
            {each}for x, y in loader:
                optimizer.zero_grad()
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
            model.eval(){mark}
            with torch.no_grad():
                for x, y in val_loader:
                    print(criterion(model(x), y).item())
"""
TORCH_FUNCTIONS["train-function-eval-every-epoch"] = EPOCHS_WITH_VALIDATION.format(
    before="model.train()\n        ", each="", mark="  # expect: TL407")
TORCH_FUNCTIONS["train-function-train-every-epoch"] = EPOCHS_WITH_VALIDATION.format(
    before="", each="model.train()\n            ", mark="")

TRAINERS = {
    "trainer-class-no-zero-grad": """
        import torch

        class Trainer:
            def __init__(self, model, optimizer, criterion, device):
                self.model = model.to(device)
                self.optimizer = optimizer
                self.criterion = criterion
                self.device = device

            def train_epoch(self, loader):
                self.model.train()
                total = 0.0
                for inputs, targets in loader:
                    inputs, targets = inputs.to(self.device), targets.to(self.device)
                    outputs = self.model(inputs)
                    loss = self.criterion(outputs, targets)
                    loss.backward()  # expect: TL403
                    self.optimizer.step()
                    total += loss.item()
                return total
    """,
    "trainer-class-zero-grad": """
        import torch

        class Trainer:
            def __init__(self, model, optimizer, criterion, device):
                self.model = model.to(device)
                self.optimizer = optimizer
                self.criterion = criterion
                self.device = device

            def train_epoch(self, loader):
                self.model.train()
                total = 0.0
                for inputs, targets in loader:
                    inputs, targets = inputs.to(self.device), targets.to(self.device)
                    self.optimizer.zero_grad()
                    outputs = self.model(inputs)
                    loss = self.criterion(outputs, targets)
                    loss.backward()
                    self.optimizer.step()
                    total += loss.item()
                return total
    """,
    # a trainer keeping the loss tensors of every step in an attribute
    "trainer-class-accumulates-graph": """
        import torch

        class Runner(object):
            def __init__(self, net, opt, loss_fn):
                self.net, self.opt, self.loss_fn = net, opt, loss_fn
                self.epoch_loss = 0

            def run(self, batches):
                for batch in batches:
                    x, y = batch
                    self.opt.zero_grad()
                    loss = self.loss_fn(self.net(x), y)
                    loss.backward()
                    self.opt.step()
                    self.epoch_loss = self.epoch_loss + loss  # expect: TL409
    """,
    "trainer-class-accumulates-number": """
        import torch

        class Runner(object):
            def __init__(self, net, opt, loss_fn):
                self.net, self.opt, self.loss_fn = net, opt, loss_fn
                self.epoch_loss = 0

            def run(self, batches):
                for batch in batches:
                    x, y = batch
                    self.opt.zero_grad()
                    loss = self.loss_fn(self.net(x), y)
                    loss.backward()
                    self.opt.step()
                    self.epoch_loss = self.epoch_loss + loss.item()
    """,
}

# a method of the trainer computes the loss: it runs as written, it is not taken for a model
TRAINER_WITH_LOSS_METHOD = """
    import torch
    import torch.nn.functional as F


    class Trainer:
        def __init__(self, model, optimizer):
            self.model = model
            self.optimizer = optimizer

        def compute_loss(self, x, y):
            out = self.model(x)
            return {loss}

        def train_epoch(self, loader):
            for x, y in loader:
                self.optimizer.zero_grad()
                loss = self.compute_loss(x, y)
                loss.backward(){mark}
                self.optimizer.step()
"""
TRAINERS["trainer-loss-method-cuts-the-graph"] = TRAINER_WITH_LOSS_METHOD.format(
    loss="torch.tensor(F.cross_entropy(out, y).item())", mark="  # expect: TL402")
TRAINERS["trainer-loss-method"] = TRAINER_WITH_LOSS_METHOD.format(loss="F.cross_entropy(out, y)", mark="")

ENTRY_POINTS = {
    "main-under-dunder-main": """
        import torch
        import torch.nn as nn

        def train(model, loader, opt, crit):
            for x, y in loader:
                loss = crit(model(x), y)
                loss.backward()  # expect: TL403
                opt.step()

        def main():
            model = nn.Linear(10, 2)
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            loader = [(torch.randn(4, 10), torch.randint(0, 2, (4,)))]
            train(model, loader, opt, nn.CrossEntropyLoss())

        if __name__ == "__main__":
            main()
    """,
    "main-under-dunder-main-cleared": """
        import torch
        import torch.nn as nn

        def train(model, loader, opt, crit):
            for x, y in loader:
                opt.zero_grad()
                loss = crit(model(x), y)
                loss.backward()
                opt.step()

        def main():
            model = nn.Linear(10, 2)
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            loader = [(torch.randn(4, 10), torch.randint(0, 2, (4,)))]
            train(model, loader, opt, nn.CrossEntropyLoss())

        if __name__ == "__main__":
            main()
    """,
    # the training loop written straight under the guard, the model from a wrapper
    "loop-under-dunder-main-eval": """
        import torch
        import torch.nn as nn

        if __name__ == '__main__':
            model = nn.DataParallel(nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2)))
            opt = torch.optim.Adam(model.parameters())
            x, y = torch.randn(24, 10), torch.randint(0, 2, (24,))
            for epoch in range(10):
                opt.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
                model.eval()  # expect: TL407
                with torch.no_grad():
                    print(model(x).argmax(1))
    """,
}

WRAPPER_LOOP = """
    import torch
    import torch.nn as nn
    from torch.nn.parallel import DistributedDataParallel as DDP

    model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
    {build}
    x, y = torch.randn(24, 10), torch.randint(0, 2, (24,))
    for epoch in range(10):
        {train}opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        model.eval(){mark}
        with torch.no_grad():
            print(model(x).argmax(1))
"""
WRAPS = {
    "data-parallel": "model = nn.DataParallel(model)\nopt = torch.optim.Adam(model.parameters())",
    "ddp-after-optimizer": "opt = torch.optim.Adam(model.parameters())\nmodel = DDP(model, device_ids=[0])",
    "compile": "model = torch.compile(model)\nopt = torch.optim.Adam(model.parameters())",
    "to-device": "model = model.to('cuda')\nopt = torch.optim.SGD(model.parameters(), lr=0.1)",
}
WRAPPERS = {}
for _name, _build in WRAPS.items():
    _build = _build.replace("\n", "\n    ")
    WRAPPERS[f"wrapped-{_name}-eval-not-restored"] = WRAPPER_LOOP.format(build=_build, train="", mark="  # expect: TL407")
    WRAPPERS[f"wrapped-{_name}-eval-restored"] = WRAPPER_LOOP.format(build=_build, train="model.train()\n        ", mark="")

KERAS = {
    # Keras 2 custom training step: the forward pass before the tape opened
    "keras-train-step-forward-outside-tape": """
        import tensorflow as tf
        from tensorflow import keras

        class CustomModel(keras.Model):
            def train_step(self, data):
                x, y = data
                y_pred = self(x, training=True)
                with tf.GradientTape() as tape:
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                gradients = tape.gradient(loss, self.trainable_variables)  # expect: TL405
                self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
                return {m.name: m.result() for m in self.metrics}
    """,
    "keras-train-step-forward-inside-tape": """
        import tensorflow as tf
        from tensorflow import keras

        class CustomModel(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                gradients = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
                return {m.name: m.result() for m in self.metrics}
    """,
    # Keras 3 spelling, a model with its own call()
    "keras3-train-step-compute-loss-outside-tape": """
        import tensorflow as tf
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(64, activation="relu")
                self.out = keras.layers.Dense(10)

            def call(self, inputs):
                return self.out(self.hidden(inputs))

            def train_step(self, data):
                x, y = data
                y_pred = self(x, training=True)
                with tf.GradientTape() as tape:
                    loss = self.compute_loss(x, y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)  # expect: TL405
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}
    """,
    "keras3-train-step-compute-loss-inside-tape": """
        import tensorflow as tf
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(64, activation="relu")
                self.out = keras.layers.Dense(10)

            def call(self, inputs):
                return self.out(self.hidden(inputs))

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x, y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}
    """,
}

LIGHTNING_STEP = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import {module} as pl


    class LitClassifier(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.l1 = nn.Linear(28 * 28, 10)

        def forward(self, x):
            return self.l1(x.view(x.size(0), -1))

        def training_step(self, batch, batch_idx):
            x, y = batch
            y_hat = self(x)
            {step}

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=0.02)
"""
LIGHTNING = {
    # Lightning calls backward() on what training_step returns
    "lightning-step-returns-a-number-as-tensor": LIGHTNING_STEP.format(
        module="pytorch_lightning", step="loss = F.cross_entropy(y_hat, y).item()\n            return torch.tensor(loss)  # expect: TL402"),
    "lightning-step-returns-a-detached-loss": LIGHTNING_STEP.format(
        module="lightning", step="loss = F.cross_entropy(y_hat, y)\n            return loss.detach()  # expect: TL402"),
    "lightning-step-returns-the-loss": LIGHTNING_STEP.format(
        module="pytorch_lightning", step="loss = F.cross_entropy(y_hat, y)\n            self.log('train_loss', loss)\n            return loss"),
    "lightning-step-returns-a-dict": LIGHTNING_STEP.format(
        module="lightning.pytorch", step="loss = F.cross_entropy(y_hat, y)\n            return {'loss': loss, 'log': loss.item()}"),
    # the module is a torch module: its softmax output reaches cross_entropy
    "lightning-forward-softmax-into-cross-entropy": LIGHTNING_STEP.format(
        module="pytorch_lightning", step="loss = F.cross_entropy(F.softmax(y_hat, dim=1), y)  # expect: TL304\n            return loss"),
}

# the loss comes from code that is not here (a module of the project missing from the checkout,
# a package): an unknown call given only tensors cannot clear the gradients, so the loop is
# still judged; one given the model or the optimizer may, so it is not
UNSEEN_LOSSES = {
    "unseen-loss-tuple-guarded-step": """
        import torch
        from torch.nn.utils import clip_grad_norm_
        from kws.model.loss import criterion

        class Executor:
            def train(self, model, optimizer, data_loader, device, args):
                model.train()
                for batch_idx, batch in enumerate(data_loader):
                    key, feats, target = batch
                    logits = model(feats.to(device))
                    loss, acc = criterion(args.get('criterion'), logits, target)
                    loss.backward()  # expect: TL403
                    grad_norm = clip_grad_norm_(model.parameters(), 50.0)
                    if torch.isfinite(grad_norm):
                        optimizer.step()
    """,
    "unseen-loss-function-script": """
        import torch
        import torch.nn as nn
        from losses import focal_loss

        model = nn.Linear(10, 3)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for step in range(100):
            x, y = torch.randn(8, 10), torch.randint(0, 3, (8,))
            loss = focal_loss(model(x), y, gamma=2.0)
            loss.backward()  # expect: TL403
            opt.step()
    """,
    "unseen-loss-cleared": """
        import torch
        from kws.model.loss import criterion

        def train(model, optimizer, loader):
            for feats, target in loader:
                optimizer.zero_grad()
                loss = criterion(model(feats), target)
                loss.backward()
                optimizer.step()
    """,
    "unseen-helper-given-the-model": """
        import torch
        from helpers import compute_loss

        def train(model, optimizer, loader):
            for batch in loader:
                loss = compute_loss(model, batch)
                loss.backward()
                optimizer.step()
    """,
    "unseen-loss-summed-script": """
        import torch
        from nets import LYTNet
        from loss import my_loss

        net = LYTNet()
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
        for epoch in range(10):
            running_loss = 0.0
            for data in loader:
                optimizer.zero_grad()
                pred_classes, pred_direc = net(data['image'])
                loss, mse, ce = my_loss(pred_classes, pred_direc, data['points'], data['mode'])
                loss.backward()
                optimizer.step()
                running_loss += loss  # expect: TL409
    """,
    "unseen-loss-summed-in-a-method": """
        import torch
        from .losses import LabelLoss

        class Trainer:
            def fit(self, model, optimizer, loader):
                total = 0
                for x, y in loader:
                    optimizer.zero_grad()
                    loss = LabelLoss()(model(x), y)
                    total = total + loss  # expect: TL409
                    loss.backward()
                    optimizer.step()
                return total
    """,
    "unseen-loss-summed-after-backward-with-options": """
        import torch
        from loss import my_loss

        def train(net, optimizer, loader):
            epoch_loss = 0
            for x, y in loader:
                optimizer.zero_grad()
                loss = my_loss(net(x), y)
                loss.backward(retain_graph=True)
                optimizer.step()
                epoch_loss += loss  # expect: TL409
            return epoch_loss
    """,
    "unseen-loss-summed-as-a-number": """
        import torch
        from loss import my_loss

        def train(net, optimizer, loader):
            running_loss = 0.0
            for x, y in loader:
                optimizer.zero_grad()
                loss = my_loss(net(x), y)
                loss.backward()
                optimizer.step()
                running_loss += loss.item()
    """,
    "unseen-loss-rebound-before-the-sum": """
        import torch
        from loss import my_loss

        def train(net, optimizer, loader):
            running_loss = 0.0
            for x, y in loader:
                optimizer.zero_grad()
                loss = my_loss(net(x), y)
                loss.backward()
                optimizer.step()
                loss = float(loss)
                running_loss += loss
    """,
    "unseen-loss-accumulated-steps": """
        import torch
        from losses import focal_loss

        def train(model, optimizer, loader, accum=4):
            for i, (x, y) in enumerate(loader):
                loss = focal_loss(model(x), y) / accum
                loss.backward()
                if (i + 1) % accum == 0:
                    optimizer.step()
                    optimizer.zero_grad()
    """,
}

CASES = {**TORCH_FUNCTIONS, **TRAINERS, **ENTRY_POINTS, **WRAPPERS, **KERAS, **LIGHTNING, **UNSEEN_LOSSES}


def _findings(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    return text, [f for f in analyze(text, f"{name}.py", ALL).findings if f.code in CODES]


@pytest.mark.parametrize("name", sorted(CASES))
def test_training_code_without_its_caller(name):
    text, findings = _findings(name)
    assert {(f.code, f.line) for f in findings} == {(code, line) for _, line, code in expectations(name, text)}


def test_each_capability_has_a_bug_and_a_lookalike():
    for group in (TORCH_FUNCTIONS, TRAINERS, ENTRY_POINTS, WRAPPERS, KERAS, LIGHTNING, UNSEEN_LOSSES):
        marked = [n for n, t in group.items() if "# expect:" in t]
        assert marked and len(marked) < len(group)


def test_cli_reports_a_train_function(tmp_path, capsys):
    from tensorlint.cli import main

    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(TORCH_FUNCTIONS["train-function-no-zero-grad"]).lstrip("\n"))
    code = main(["check", str(path), "--no-cache"])
    out = capsys.readouterr().out
    assert code == 1 and f"{path}:8:" in out and "TL403" in out
