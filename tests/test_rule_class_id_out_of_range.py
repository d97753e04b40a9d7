"""TL329: integer class labels that reach the number of classes they meet. The CLI on files
written several ways (Keras 2, tf.keras, Keras 3 with `compile` and `fit`/`train_on_batch`/
`evaluate`; PyTorch module and functional losses; `to_categorical`, `tf.one_hot`, `F.one_hot`);
the look-alikes give labels 0..K-1, labels whose values the file does not show, a model whose
output count is unknown, labels moved down to 0, a binary loss, or ids set aside by
`ignore_index`."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

BUGS = {
    "keras2-cifar100-into-ten-units": ("""
        import keras
        from keras.models import Sequential
        from keras.layers import Dense, Flatten
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
        model = Sequential()
        model.add(Flatten(input_shape=(32, 32, 3)))
        model.add(Dense(10, activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train / 255.0, y_train, epochs=5)
    """, [9], "labels reach 99, but the model outputs 10 classes (ids 0-9)"),
    "tf-keras-functional-labels-from-one": ("""
        import numpy as np
        import tensorflow as tf
        X = np.random.rand(500, 8)
        y = np.random.randint(1, 11, size=500)
        inp = tf.keras.Input(shape=(8,))
        h = tf.keras.layers.Dense(32, activation="relu")(inp)
        out = tf.keras.layers.Dense(10)(h)
        model = tf.keras.Model(inp, out)
        model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
        model.fit(X, y, epochs=2)
    """, [10], "labels reach 10, but the model outputs 10 classes (ids 0-9)"),
    "keras3-mnist-shifted-up": ("""
        import keras
        (x, y), _ = keras.datasets.mnist.load_data()
        y = y + 1
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
        model.evaluate(x, y)
    """, [6], "labels reach 10, but the model outputs 10 classes"),
    "keras3-literal-labels-train-on-batch": ("""
        import numpy as np
        import keras
        x = np.random.rand(6, 4)
        y = np.array([1, 2, 3, 3, 2, 1])
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)])
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.train_on_batch(x, y)
    """, [7], "labels reach 3, but the model outputs 3 classes (ids 0-2)"),
    "torch-module-loss-on-class-net": ("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(20, 64)
                self.fc2 = nn.Linear(64, 4)

            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x)))

        net = Net()
        x = torch.randn(128, 20)
        y = torch.randint(1, 5, (128,))
        criterion = nn.CrossEntropyLoss()
        loss = criterion(net(x), y)
    """, [18], "labels reach 4, but the prediction scores 4 classes (ids 0-3)"),
    "torch-functional-cross-entropy-shifted": ("""
        import torch
        import torch.nn.functional as F
        net = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 5))
        labels = torch.randint(0, 5, (64,)) + 1
        loss = F.cross_entropy(net(torch.randn(64, 16)), labels)
    """, [5], "labels reach 5, but the prediction scores 5 classes"),
    "torch-nll-loss-literal-targets": ("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        head = nn.Linear(8, 3)
        target = torch.tensor([1, 2, 3, 1])
        loss = nn.NLLLoss()(F.log_softmax(head(torch.randn(4, 8)), dim=1), target)
    """, [6], "labels reach 3, but the prediction scores 3 classes (ids 0-2)"),
    "torch-segmentation-mask-ids-past-the-channels": ("""
        import torch
        import torch.nn as nn
        seg_head = nn.Conv2d(3, 4, kernel_size=1)
        masks = torch.randint(0, 5, (8, 16, 16))
        loss = nn.CrossEntropyLoss()(seg_head(torch.randn(8, 3, 16, 16)), masks)
    """, [5], "labels reach 4, but the prediction scores 4 classes (ids 0-3)"),
    "to-categorical-labels-from-one": ("""
        import numpy as np
        from tensorflow.keras.utils import to_categorical
        labels = np.array([1, 2, 3, 4, 5, 5, 4])
        onehot = to_categorical(labels, num_classes=5)
    """, [4], "labels reach 5, but to_categorical makes rows of 5 classes (ids 0-4)"),
    "keras-utils-to-categorical-of-draws": ("""
        import numpy as np
        import keras
        y = keras.utils.to_categorical(np.random.randint(0, 11, 1000), 10)
    """, [3], "labels reach 10, but to_categorical makes rows of 10 classes"),
    "tf-one-hot-depth-short": ("""
        import tensorflow as tf
        (_, y), _ = tf.keras.datasets.cifar10.load_data()
        rows = tf.one_hot(y, depth=9)
    """, [3], "labels reach 9, but tf.one_hot makes rows of 9 classes (ids 0-8)"),
    "torch-one-hot-num-classes-short": ("""
        import torch
        import torch.nn.functional as F
        ids = torch.tensor([0, 1, 2, 3])
        rows = F.one_hot(ids, num_classes=3)
    """, [4], "labels reach 3, but F.one_hot makes rows of 3 classes (ids 0-2)"),
}

LOOKALIKES = {
    "cifar100-into-hundred-units": """
        import keras
        (x, y), _ = keras.datasets.cifar100.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(100, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x, y)
    """,
    "draws-within-the-classes": """
        import numpy as np
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(10)])
        model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
        model.fit(np.random.rand(500, 8), np.random.randint(0, 10, size=500))
    """,
    "keras-class-set-aside-by-ignore-class": """
        import numpy as np
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(3)])
        model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=3), optimizer="adam")
        model.fit(np.random.rand(500, 8), np.random.randint(0, 4, size=500))
    """,
    "labels-from-a-file": """
        import numpy as np
        import keras
        X, y = np.load("x.npy"), np.load("y.npy")
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(X, y)
    """,
    "output-units-unknown": """
        import sys
        import keras
        (x, y), _ = keras.datasets.cifar100.load_data()
        units = int(sys.argv[1])
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(units, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x, y)
    """,
    "labels-moved-down-to-zero": """
        import numpy as np
        import torch
        import torch.nn as nn
        from tensorflow.keras.utils import to_categorical
        labels = np.array([1, 2, 3, 3, 2, 1])
        onehot = to_categorical(labels - 1, num_classes=3)
        y = torch.randint(1, 6, (64,)) - 1
        loss = nn.CrossEntropyLoss()(nn.Linear(16, 5)(torch.randn(64, 16)), y)
    """,
    "binary-loss-is-tl328s-field": """
        import keras
        (x, y), _ = keras.datasets.cifar10.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(2, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, y)
    """,
    "ignore-index-negatives": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        net = nn.Linear(8, 4)
        y = torch.tensor([0, 3, -100, 2])
        a = nn.CrossEntropyLoss(ignore_index=-100)(net(torch.randn(4, 8)), y)
        b = F.cross_entropy(net(torch.randn(4, 8)), torch.tensor([0, 3, -1, 2]), ignore_index=-1)
    """,
    "padding-id-set-aside-past-the-classes": """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        net = nn.Linear(8, 4)
        y = torch.tensor([0, 3, 4, 2])
        loss = nn.CrossEntropyLoss(ignore_index=4)(net(torch.randn(4, 8)), y)
        PAD = 4
        a = F.cross_entropy(net(torch.randn(4, 8)), y, ignore_index=PAD)
        b = F.nll_loss(F.log_softmax(net(torch.randn(4, 8)), 1), y, None, None, PAD)
        options = {"ignore_index": PAD}
        c = nn.CrossEntropyLoss(**options)(net(torch.randn(4, 8)), y)
    """,
    "one-hot-wide-enough-or-inferred": """
        import numpy as np
        import tensorflow as tf
        import torch
        import torch.nn.functional as F
        labels = np.array([0, 1, 2, 3, 4])
        a = tf.one_hot(labels, depth=5)
        b = F.one_hot(torch.tensor([0, 1, 2, 3]))
        c = tf.keras.utils.to_categorical(labels)
    """,
    "class-count-of-a-model-passed-in": """
        import torch
        import torch.nn.functional as F

        def step(net, x):
            return F.cross_entropy(net(x), torch.randint(0, 10, (32,)))
    """,
    "sequence-scores-with-classes-last": """
        import torch
        import torch.nn as nn
        tagger = nn.Linear(32, 30)
        tags = torch.randint(0, 30, (8, 20))
        loss = nn.CrossEntropyLoss()(tagger(torch.randn(8, 20, 32)), tags)
    """,
    "soft-float-targets": """
        import torch
        import torch.nn as nn
        net = nn.Linear(8, 3)
        probs = torch.tensor([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])
        loss = nn.CrossEntropyLoss()(net(torch.randn(2, 8)), probs)
    """,
    "too-few-draws-to-be-sure": """
        import numpy as np
        import keras
        y = keras.utils.to_categorical(np.random.randint(0, 11, 3), 10)
    """,
}


def _run(tmp_path, src: str):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(src).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL329", str(path)],
                         capture_output=True, text=True, timeout=120)
    return [(int(m.group(1)), m.group(2)) for m in re.finditer(r"train\.py:(\d+):\d+: TL329 (.*)", out.stdout)]


@pytest.mark.parametrize("name", sorted(BUGS))
def test_labels_past_the_classes_are_reported(tmp_path, name):
    src, lines, words = BUGS[name]
    found = _run(tmp_path, src)
    assert [line for line, _ in found] == lines
    assert all(words in message for _, message in found)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(tmp_path, name):
    assert _run(tmp_path, LOOKALIKES[name]) == []


def test_odd_arguments_do_not_crash(tmp_path):
    path = tmp_path / "odd.py"
    path.write_text(textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        import torch
        import torch.nn.functional as F
        from tensorflow.keras.utils import to_categorical
        a = to_categorical([1e999, 2], 3)
        b = to_categorical(np.array([-1e999, 5]), 3)
        c = to_categorical()
        d = tf.one_hot(depth=3)
        e = F.one_hot(torch.tensor([0, 4]), num_classes=True)
        f = to_categorical([0, 4], "x")
        g = F.cross_entropy(*[torch.randn(2, 3), torch.tensor([0, 5])])
    """).lstrip("\\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL329", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert "internal error" not in out.stdout + out.stderr
    assert out.returncode == 0
