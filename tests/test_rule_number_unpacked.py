"""TL225: a tuple of names unpacks one number (the ints of a range, the 0-d elements of a 1-D
array or tensor, a scalar). Written several ways: Keras and tf.keras data generators, a torch
permutation, a function, a notebook-style loop, a subclassed model's helper; the look-alikes
unpack rows of 2-D arrays, pairs made by zip/enumerate, shapes, and values of unknown rank."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL225",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    "keras-sequence-permutation-slice": ("""
        import numpy as np
        from keras.utils import Sequence

        class Faces(Sequence):
            def __init__(self, items, batch_size=32):
                self.items = items
                self.batch_size = batch_size
                self.count = len(items)
                self.indices = np.random.permutation(self.count)

            def __len__(self):
                return self.count // self.batch_size

            def __getitem__(self, idx):
                x = np.zeros((self.batch_size, 224, 224, 3), dtype=np.uint8)
                picked = self.indices[idx * self.batch_size:(idx + 1) * self.batch_size]
                for i, sample_id in picked:
                    x[i] = self.items[sample_id]
                return x
    """, [17]),
    "tf-keras-generator-function-arange": ("""
        import numpy as np
        import tensorflow as tf

        def batches(images, labels, size):
            order = np.arange(len(images))
            np.random.shuffle(order)
            for start in range(0, len(order), size):
                for k, j in order[start:start + size]:
                    yield images[j], labels[j]

        model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="softmax")])
    """, [8]),
    "range-with-trailing-comma": ("""
        import matplotlib.pyplot as plt
        from tensorflow import keras
        model = keras.models.load_model("m.keras")
        n = 12
        for i, in range(n):
            plt.subplot(3, 4, i + 1)
    """, [5]),
    "torch-randperm": ("""
        import torch
        perm = torch.randperm(64)
        x = torch.randn(64, 3)
        for a, b in perm[:8]:
            print(x[a], x[b])
    """, [4]),
    "list-of-ints-in-a-method": ("""
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.blocks = [tf.keras.layers.Dense(8) for _ in range(3)]

            def describe(self):
                for i, width in [8, 8, 8]:
                    print(i, width)

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return x
    """, [9]),
    "assign-from-a-shape-item": ("""
        import numpy as np
        import tensorflow as tf
        img = np.zeros((32, 48, 3), dtype=np.float32)
        h, w = img.shape[0]
    """, [4]),
}

LOOKALIKES = {
    "rows-of-a-2d-array": """
        import numpy as np
        pairs = np.random.randint(0, 10, size=(50, 2))
        for a, b in pairs:
            print(a, b)
    """,
    "enumerate-and-zip": """
        import numpy as np
        import tensorflow as tf
        idx = np.random.permutation(10)
        for i, j in enumerate(idx):
            print(i, j)
        for a, b in zip(idx, idx[::-1]):
            print(a, b)
    """,
    "shape-slices": """
        import numpy as np
        import torch
        img = np.zeros((32, 48, 3))
        h, w = img.shape[:2]
        t = torch.zeros(4, 5)
        rows, cols = t.shape
        b, c = t.size()
    """,
    "unknown-rank-and-type": """
        import numpy as np
        import tensorflow as tf
        data = np.load("pairs.npy")
        for a, b in data:
            print(a, b)
        def walk(items):
            for k, v in items:
                print(k, v)
        walk({"a": 1}.items())
    """,
    "list-of-pairs-and-dict-items": """
        import torch
        sizes = {"a": 1, "b": 2}
        for name, size in sizes.items():
            print(name, size)
        for lo, hi in [(0, 5), (5, 10)]:
            print(lo, hi)
    """,
    "strings-unpack": """
        import tensorflow as tf
        for a, b in ["xy", "zw"]:
            print(a, b)
    """,
    "parameter-default-guarded": """
        import tensorflow as tf
        def conv(x, kernel=3):
            if isinstance(kernel, int):
                kernel = (kernel, kernel)
            kh, kw = kernel
            return tf.keras.layers.Conv2D(8, (kh, kw))(x)
    """,
    "error-shown-in-try": """
        import numpy as np
        try:
            for i, j in np.arange(4):
                pass
        except TypeError as ex:
            print(ex)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_number_unpacked_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_message_names_the_element_and_the_cure():
    src, _ = BUGS["keras-sequence-permutation-slice"]
    (finding,) = analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings
    assert "int64" in finding.message and "enumerate" in finding.message
