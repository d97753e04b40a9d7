"""TL318: a best-so-far kept in the wrong direction (a loss maximized, an accuracy minimized) by
a Keras callback's `mode=` or by a hand-written early stopping / checkpoint. Written several
ways, in Keras, tf.keras and torch; the look-alikes keep the right direction, or a value whose
direction the program does not establish, or nothing acts on the best."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL318",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    "early-stopping-loss-max": ("""
        import keras
        early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, mode="max", restore_best_weights=True)
    """, [2]),
    "default-monitor-is-the-loss": ("""
        from tensorflow.keras.callbacks import EarlyStopping
        cb = [EarlyStopping(patience=3, mode='max')]
    """, [2]),
    "checkpoint-accuracy-min-positional-monitor": ("""
        import tensorflow as tf
        ckpt = tf.keras.callbacks.ModelCheckpoint("best.h5", "val_accuracy", save_best_only=True, mode="min")
    """, [2]),
    "plateau-mse-max": ("""
        from keras.callbacks import ReduceLROnPlateau
        sched = ReduceLROnPlateau(monitor='val_mean_squared_error', factor=0.5, mode='max')
    """, [2]),
    # the tensorflow/docs custom training loop
    "loop-loss-metric-result": ("""
        import tensorflow as tf
        val_loss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()
        wait, best = 0, 0
        for epoch in range(100):
            val_loss = val_loss_metric.result()
            val_loss_metric.reset_states()
            wait += 1
            if val_loss > best:
                best = val_loss
                wait = 0
            if wait >= 5:
                break
    """, [8]),
    # a custom Keras callback reading the logged loss
    "callback-logs-get": ("""
        import keras

        class Stopper(keras.callbacks.Callback):
            def __init__(self, patience=3):
                super().__init__()
                self.patience, self.wait, self.best = patience, 0, 0.0

            def on_epoch_end(self, epoch, logs=None):
                current = logs.get("val_loss")
                if self.best < current:
                    self.best = current
                    self.wait = 0
                else:
                    self.wait += 1
                if self.wait >= self.patience:
                    self.model.stop_training = True
    """, [10]),
    # torch: the validation loss of a loss module, a checkpoint of the worst epoch
    "torch-checkpoint-on-larger-loss": ("""
        import torch
        import torch.nn as nn

        def validate(model, x, y, best):
            criterion = nn.CrossEntropyLoss()
            with torch.no_grad():
                loss = criterion(model(x), y).item()
            if loss >= best:
                best = loss
                torch.save(model.state_dict(), "best.pt")
            return best
    """, [8]),
    # an accuracy metric kept as a minimum
    "loop-accuracy-min": ("""
        import tensorflow as tf
        acc_metric = tf.keras.metrics.SparseCategoricalAccuracy()
        best_acc = 1.0
        for epoch in range(10):
            acc = float(acc_metric.result())
            if acc < best_acc:
                best_acc = acc
                model.save_weights("best.weights.h5")
    """, [6]),
}

LOOKALIKES = {
    "right-directions": """
        import keras
        cbs = [keras.callbacks.EarlyStopping(monitor="val_loss", mode="min"),
               keras.callbacks.ModelCheckpoint("m.keras", monitor="val_accuracy", mode="max"),
               keras.callbacks.ReduceLROnPlateau(monitor="loss", mode="auto")]
    """,
    "custom-metric-direction-unknown": """
        import keras
        cbs = [keras.callbacks.EarlyStopping(monitor="val_iou", mode="max"),
               keras.callbacks.EarlyStopping(monitor="val_neg_error", mode="max")]
    """,
    "loop-loss-min": """
        import tensorflow as tf
        val_loss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()
        wait, best = 0, float("inf")
        for epoch in range(100):
            val_loss = val_loss_metric.result()
            wait += 1
            if val_loss < best:
                best = val_loss
                wait = 0
            if wait >= 5:
                break
    """,
    "accuracy-max-in-a-loop": """
        import keras
        acc_metric = keras.metrics.CategoricalAccuracy()
        best = 0.0
        for epoch in range(10):
            acc = acc_metric.result()
            if acc > best:
                best = acc
                model.save("best.keras")
    """,
    "worst-loss-only-logged": """
        import torch.nn as nn
        criterion = nn.MSELoss()
        worst = 0.0
        for x, y in batches:
            loss = criterion(x, y).item()
            if loss > worst:
                worst = loss
        print("worst batch loss", worst)
    """,
    "value-of-unknown-kind": """
        import keras
        best, wait = 0, 0
        for epoch in range(10):
            score = evaluate_model(epoch)
            if score > best:
                best = score
                wait = 0
            if wait >= 3:
                break
    """,
    "loss-from-two-kinds-of-value": """
        import keras
        loss_metric = keras.metrics.MeanSquaredError()
        best, wait = 0, 0
        for epoch in range(10):
            val = loss_metric.result()
            if epoch % 2:
                val = -val
            if val > best:
                best = val
                wait = 0
            if wait >= 3:
                break
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_best_kept_the_wrong_way_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []


# the right direction, but the best starts at 0: a loss that is never negative never beats it
STARTS_AT_ZERO = {
    # the tensorflow/docs custom loop after its comparison was turned the right way
    "module-loop-metric-result": ("""
        import tensorflow as tf
        val_loss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()
        patience = 5
        wait = 0
        best = 0
        for epoch in range(100):
            val_loss = val_loss_metric.result()
            val_loss_metric.reset_states()
            wait += 1
            if val_loss < best:
                best = val_loss
                wait = 0
            if wait >= patience:
                break
    """, [10]),
    "tuple-start-float-wrapper-reversed-operands": ("""
        import keras
        mse = keras.metrics.MeanSquaredError()
        best, wait = 0.0, 0
        for epoch in range(20):
            loss = float(mse.result())
            if best > loss:
                best = loss
                wait = 0
            else:
                wait += 1
            if wait >= 3:
                break
    """, [6]),
    "function-torch-loss-module-checkpoint": ("""
        import torch
        import torch.nn as nn

        def train(model, loader, epochs):
            criterion = nn.CrossEntropyLoss()
            best_loss = 0
            for epoch in range(epochs):
                for x, y in loader:
                    loss = criterion(model(x), y).item()
                    if loss < best_loss:
                        best_loss = loss
                        torch.save(model.state_dict(), "best.pt")
    """, [10]),
    "keras-loss-function": ("""
        import tensorflow as tf

        def fit(model, x, y, x_val, y_val):
            best, bad_epochs = 0.0, 0
            for epoch in range(50):
                val_loss = tf.reduce_mean(tf.keras.losses.mean_squared_error(y_val, model(x_val)))
                if val_loss < best:
                    best = val_loss
                    bad_epochs = 0
                bad_epochs += 1
                if bad_epochs > 4:
                    break
    """, [7]),
}

STARTS_AT_ZERO_LOOKALIKES = {
    "starts-at-infinity": """
        import tensorflow as tf
        val_loss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()
        best, wait = float("inf"), 0
        for epoch in range(100):
            val_loss = val_loss_metric.result()
            wait += 1
            if val_loss < best:
                best = val_loss
                wait = 0
            if wait >= 5:
                break
    """,
    # a logged loss may be a custom one, negative for all the program says
    "logged-loss-of-unknown-kind": """
        import keras

        class Stopper(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.best, self.wait = 0, 0

            def on_epoch_end(self, epoch, logs=None):
                current = logs["val_loss"]
                if current < self.best:
                    self.best = current
                    self.wait = 0
                if self.wait >= 3:
                    self.model.stop_training = True
    """,
    # a Poisson loss can be negative
    "poisson-can-be-negative": """
        import keras
        metric = keras.metrics.Poisson()
        best, wait = 0, 0
        for epoch in range(10):
            val = metric.result()
            wait += 1
            if val < best:
                best = val
                wait = 0
            if wait >= 3:
                break
    """,
    # the best is set from the first epoch's loss
    "best-set-from-first-epoch": """
        import keras
        metric = keras.metrics.MeanAbsoluteError()
        best, wait = 0, 0
        for epoch in range(10):
            val = metric.result()
            if epoch == 0:
                best = val
            wait += 1
            if val < best:
                best = val
                wait = 0
            if wait >= 3:
                break
    """,
    # `<=` does record a loss of exactly 0
    "non-strict-test": """
        import keras
        metric = keras.metrics.MeanAbsoluteError()
        best = 0
        for epoch in range(10):
            val = metric.result()
            if val <= best:
                best = val
                model.save("best.keras")
    """,
    # nothing acts on the best
    "best-only-printed": """
        import keras
        metric = keras.metrics.MeanAbsoluteError()
        best = 0
        for epoch in range(10):
            val = metric.result()
            if val < best:
                best = val
        print(best)
    """,
}


@pytest.mark.parametrize("name", sorted(STARTS_AT_ZERO))
def test_best_loss_starting_at_zero_is_reported(name):
    src, lines = STARTS_AT_ZERO[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(STARTS_AT_ZERO_LOOKALIKES))
def test_best_loss_starting_at_zero_lookalikes_stay_silent(name):
    assert _lines(STARTS_AT_ZERO_LOOKALIKES[name]) == []


# Lightning's ModelCheckpoint and EarlyStopping minimize unless given mode='max'; the monitored
# name is the program's own, so its direction is read from the value `self.log` gives it
_LIT_MODULE = """
    import torch
    import torch.nn.functional as F

    class Net({base}):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(8, 3)
            {metric}

        def validation_step(self, batch, batch_idx):
            x, y = batch
            y_hat = self.fc(x)
            {log}
"""


def _lightning(imports, base, metric, log, tail):
    body = textwrap.dedent(_LIT_MODULE.format(base=base, metric=metric, log=log)).lstrip("\n")
    return imports + "\n" + body + "\n" + textwrap.dedent(tail)


def _callback_line(src: str) -> int:
    return next(i for i, line in enumerate(src.splitlines(), 1)
                if "Checkpoint(" in line or "EarlyStopping(" in line)


LIGHTNING_BUGS = {
    # pytorch_geometric's GIN example: a torchmetrics object logged, mode left at 'min'
    "checkpoint-accuracy-object-default-mode": (_lightning(
        "import pytorch_lightning as pl\nfrom torchmetrics import Accuracy", "pl.LightningModule",
        "self.val_acc = Accuracy(task='multiclass', num_classes=3)",
        "self.val_acc(y_hat.softmax(dim=-1), y)\n            self.log('val_acc', self.val_acc, prog_bar=True)",
        "checkpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc', save_top_k=1)\n"
        "trainer = pl.Trainer(callbacks=[checkpoint])\n")),
    # lightning.pytorch, EarlyStopping by position, a functional F1 bound to a name, mode given
    "early-stopping-functional-f1-min": (_lightning(
        "import lightning.pytorch as L\nfrom lightning.pytorch.callbacks import EarlyStopping\n"
        "from torchmetrics.functional import f1_score", "L.LightningModule", "pass",
        "f1 = f1_score(y_hat, y, task='multiclass', num_classes=3)\n            self.log('val_f1', f1.item())",
        "stopper = EarlyStopping('val_f1', patience=3, mode='min')\n")),
    # a loss maximized: F.cross_entropy logged by keyword, the checkpoint given mode='max'
    "checkpoint-loss-max-keywords": (_lightning(
        "import pytorch_lightning as pl\nfrom pytorch_lightning.callbacks import ModelCheckpoint", "pl.LightningModule",
        "pass", "loss = F.cross_entropy(y_hat, y)\n            self.log(name='val_loss', value=loss)",
        "def callbacks():\n    return [ModelCheckpoint(dirpath='ckpt', monitor='val_loss', mode='max')]\n")),
    # a multiclass accuracy class, its `compute()` logged
    "multiclass-accuracy-compute": (_lightning(
        "import pytorch_lightning as pl\nimport torchmetrics", "pl.LightningModule",
        "self.acc = torchmetrics.classification.MulticlassAccuracy(num_classes=3)",
        "self.acc.update(y_hat, y)\n            self.log('valid/acc', self.acc.compute())",
        "cb = pl.callbacks.EarlyStopping(monitor='valid/acc')\n")),
}

LIGHTNING_LOOKALIKES = {
    # the right mode given
    "accuracy-max": LIGHTNING_BUGS["checkpoint-accuracy-object-default-mode"].replace(
        "save_top_k=1)", "save_top_k=1, mode='max')"),
    # a loss minimized by default
    "loss-default-min": LIGHTNING_BUGS["checkpoint-loss-max-keywords"].replace(", mode='max'", ""),
    # the logged value is the program's own function: its direction is not established
    "custom-score": _lightning(
        "import pytorch_lightning as pl", "pl.LightningModule", "pass",
        "score = my_score(y_hat, y)\n            self.log('val_acc', score)",
        "def my_score(a, b):\n    return (a.argmax(1) == b).float().mean()\n\n"
        "checkpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc')\n"),
    # the monitored name is never logged by this file (only its name says accuracy)
    "name-only": _lightning(
        "import pytorch_lightning as pl", "pl.LightningModule", "pass", "self.log('val_loss', F.mse_loss(y_hat, y))",
        "checkpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc')\n"),
    # one name logged from values of both directions
    "two-directions": _lightning(
        "import pytorch_lightning as pl\nfrom torchmetrics import Accuracy", "pl.LightningModule",
        "self.m = Accuracy(task='binary')",
        "self.log('val_metric', self.m)\n            self.log('val_metric', F.l1_loss(y_hat, y))",
        "checkpoint = pl.callbacks.ModelCheckpoint(monitor='val_metric')\n"),
    # a mode that is not a literal; Keras's ModelCheckpoint, whose default mode reads the name
    "mode-variable-and-keras": _lightning(
        "import pytorch_lightning as pl\nimport keras\nfrom torchmetrics import Accuracy", "pl.LightningModule",
        "self.val_acc = Accuracy(task='binary')", "self.log('val_acc', self.val_acc)",
        "MODE = 'max'\ncheckpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc', mode=MODE)\n"
        "kcheck = keras.callbacks.ModelCheckpoint('m.keras', monitor='val_acc')\n"),
}


@pytest.mark.parametrize("name", sorted(LIGHTNING_BUGS))
def test_lightning_callback_against_the_logged_value_is_reported(name):
    src = LIGHTNING_BUGS[name]
    assert sorted(f.line for f in analyze(src, "train.py", ONLY).findings) == [_callback_line(src)]


@pytest.mark.parametrize("name", sorted(LIGHTNING_LOOKALIKES))
def test_lightning_lookalikes_stay_silent(name):
    assert analyze(LIGHTNING_LOOKALIKES[name], "train.py", ONLY).findings == []
