"""The same bugs written the ways people write them: import aliases, Keras 3 and tf.keras,
data made in helper functions, models as classes / Sequential / functional API, values
reaching the layer through a DataLoader loop. Each case marks its expected finding with
`# expect: CODE`; every other line must stay silent for that code."""
from __future__ import annotations

import re
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

CASES = {
    "alias-from-torch-import-nn-as": """
        import torch
        from torch import nn as N
        layer = N.Linear(4, 2)
        x = torch.arange(8).view(2, 4)
        y = layer(x)  # expect: TL101
    """,
    "alias-from-torch-nn-import-linear": """
        import torch
        from torch.nn import Linear
        fc = Linear(4, 2)
        fc(torch.LongTensor([[1, 2, 3, 4]]))  # expect: TL101
    """,
    "helper-function-makes-data": """
        import torch
        import torch.nn as nn

        def load_batch(n):
            return torch.randint(0, 255, (n, 3, 32, 32))

        net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten())
        images = load_batch(16)
        out = net(images)  # expect: TL101
    """,
    "class-model-dataloader-loop": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 16, 3, padding=1)
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(16, 10)

            def forward(self, x):
                x = self.pool(torch.relu(self.conv(x)))
                return self.fc(x.flatten(1))

        images = torch.randn(64, 1, 28, 28)
        labels = torch.randint(0, 10, (64,))
        loader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=True)
        model = Net()
        for xb, yb in loader:
            logits = model(xb)  # expect: TL201
    """,
    "between-layers-in-forward": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 6, 5)
                self.pool = nn.MaxPool2d(2, 2)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)

            def forward(self, x):
                x = self.pool(self.conv1(x))
                x = self.pool(self.conv2(x))
                x = x.view(-1, 16 * 4 * 4)
                return self.fc1(x)  # expect: TL202
    """,
    "flatten-size-after-convs-in-sequential": """
        import torch
        import torch.nn as nn
        model = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(8 * 14 * 14, 10),  # expect: TL202
        )
        out = model(torch.randn(4, 1, 28, 28))
    """,
    "modulelist-loop": """
        import torch
        import torch.nn as nn

        class MLP(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(10, 32), nn.Linear(32, 32), nn.Linear(16, 1)])

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)  # expect: TL202
                return x

        MLP()(torch.randn(2, 10))
    """,
    "keras3-int-labels": """
        import keras
        import numpy as np
        from keras import layers
        model = keras.Sequential([layers.Input((20,)), layers.Dense(64, activation="relu"), layers.Dense(5, activation="softmax")])
        model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
        x = np.random.rand(200, 20)
        y = np.random.randint(0, 5, size=(200,))
        model.fit(x, y, epochs=2)  # expect: TL302
    """,
    "tf-keras-alias-module": """
        import numpy as np
        import tensorflow.keras as K
        model = K.models.Sequential()
        model.add(K.layers.Dense(32, input_dim=8, activation="relu"))
        model.add(K.layers.Dense(1))
        model.compile(loss="mse", optimizer="sgd")
        model.fit(np.zeros((50, 12)), np.zeros((50, 1)))  # expect: TL203
    """,
    "keras-functional-api": """
        import numpy as np
        from tensorflow import keras
        inputs = keras.Input(shape=(32, 32, 3))
        x = keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(10)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(np.random.rand(8, 28, 28, 3), np.random.randint(0, 10, 8))  # expect: TL203
    """,
    "custom-layer-uses-weight-not-input": """
        import tensorflow as tf

        class Scale(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

            def call(self, x):  # expect: TL401
                scaled = self.w * 2.0
                return scaled
    """,
    "torch-module-loss-reads-target-but-drops-it": """
        import torch
        import torch.nn as nn

        class SmoothLoss(nn.Module):
            def forward(self, logits, target):  # expect: TL301
                target = target.long()
                probs = torch.softmax(logits, dim=1)
                return -(probs * torch.log(probs + 1e-8)).sum(1).mean()
    """,
    "keras-loss-function-passed-to-compile": """
        import tensorflow as tf

        def my_objective(a, b):  # expect: TL301
            return tf.reduce_mean(tf.abs(b))

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=my_objective)
    """,
    "reassigned-inputs-flow-sensitive": """
        import torch
        import torch.nn as nn
        model = nn.Linear(10, 1)
        x = torch.randn(5, 10)
        y = torch.randn(10, 1)
        loss = nn.MSELoss()(model(x), y)  # expect: TL204
        x = torch.randn(10, 10)
        loss = nn.MSELoss()(model(x), y)
    """,
    "branches-join": """
        import torch
        import torch.nn as nn
        import random
        fc = nn.Linear(3, 1)
        if random.random() > 0.5:
            x = torch.randn(2, 3)
        else:
            x = torch.randn(2, 3, dtype=torch.float64)
        fc(x)
        z = torch.randn(2, 3).double()
        fc(z)  # expect: TL102
    """,
    "numpy-data-through-helper-and-tensor": """
        import numpy as np
        import torch
        import torch.nn as nn

        def make_features():
            return np.random.rand(100, 8)

        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
        features = torch.tensor(make_features())
        preds = model(features)  # expect: TL102
    """,
    "grad-assigned-in-function": """
        import torch

        def apply_manual_grad(p):
            p.grad = torch.ones(p.shape[1], p.shape[0])  # expect: TL206

        w = torch.randn(3, 4, requires_grad=True)
        apply_manual_grad(w)
    """,
    "activation-given-as-tf-nn-function": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((30,)), tf.keras.layers.Dense(8, activation=tf.nn.relu),
                                     tf.keras.layers.Dense(1, activation=tf.nn.softmax)])  # expect: TL305
        model.compile(loss="binary_crossentropy", optimizer="adam")
    """,
    "activation-given-through-an-aliased-activations-module": """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense
        import tensorflow.keras.activations as acts
        model = Sequential()
        model.add(Dense(16, activation=acts.relu, input_dim=30))
        model.add(Dense(1, activation=acts.softmax))  # expect: TL305
        model.compile(loss="binary_crossentropy", optimizer="adam")
    """,
    "loss-given-by-its-class-name-as-a-string": """
        import keras
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="CategoricalCrossentropy")  # expect: TL306
    """,
}


def _expected(text: str) -> set:
    out = set()
    for n, line in enumerate(text.splitlines(), 1):
        m = re.search(r"#\s*expect:\s*(.+)$", line)
        if m:
            out |= {(c.strip(), n) for c in m.group(1).split(",")}
    return out


def found_and_expected(cases: dict, name: str, code: str, config=None) -> tuple:
    """(code, line) of the findings of `code` on case `name` of `cases`, and those its
    `# expect:` comments mark."""
    text = textwrap.dedent(cases[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", config or Config()).findings if f.code == code}
    return found, _expected(text)


def run_check(path, text: str | None = None, *options: str) -> str:
    """The output of `tensorlint check OPTIONS PATH` (after writing `text` there, when given)."""
    import subprocess
    import sys

    if text is not None:
        path.write_text(text)
    return subprocess.run([sys.executable, "-m", "tensorlint", "check", *options, str(path)],
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_variant(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    expected = _expected(text)
    codes = {c for c, _ in expected}
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code in codes}
    assert found == expected


def test_an_activation_given_as_a_function_is_read_as_that_activation():
    # a sigmoid unit under binary cross-entropy, written with the function: a correct model, and
    # the same head with softmax: TL305 (a reference that is not an activation is no activation)
    head = """
        import keras
        from keras.activations import {act}
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation={act})])
        model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer="adam")
    """
    def codes(act):
        text = textwrap.dedent(head.format(act=act)).lstrip("\n")
        return {f.code for f in analyze(text, "head.py", Config(select=("ALL",))).findings}
    assert not codes("sigmoid") & {"TL304", "TL305", "TL306"}
    assert "TL305" in codes("softmax")


def test_forward_that_fills_nested_lists_depends_on_its_input():
    """`outs[i][0] = self.a(x)` stores into `outs`: a value read back from it depends on `x`
    (a real encoder, MTPSL's SegNet_enc, builds its feature maps that way)."""
    text = textwrap.dedent("""
        import torch
        import torch.nn as nn

        class Enc(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(4, 4)
                self.b = nn.Linear(4, 4)

            def forward(self, x):
                outs, pooled = ([[0, 0], [0, 0]] for _ in range(2))
                for i in range(2):
                    outs[i][0] = self.a(x)
                    pooled[i], _ = outs[i][0], self.b(outs[i][0])
                return pooled[-1]

        class Constant(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(4, 4)
                self.w = nn.Parameter(torch.zeros(4))

            def forward(self, x):
                outs = [[0, 0], [0, 0]]
                outs[0][0] = self.a(x)
                return self.w * 2
    """).lstrip("\n")
    found = [(f.code, f.line) for f in analyze(text, "enc.py", Config(select=("TL401",))).findings]
    assert found == [("TL401", 23)]
