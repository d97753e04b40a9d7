"""TL330: a framework mean of a framework sum that has no axis. Written several ways (module
aliases, names imported from the framework, `tf.math`/`tf.compat.v1`/`keras.ops` spellings, a
sign or a scale by a number between them, the method form on a framework sum); the look-alikes
give the sum an axis, give the mean one, or reduce tables and numpy arrays."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL330",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    "tf-math-spelling": ("""
        import tensorflow as tf
        def loss(p, q):
            return tf.math.reduce_mean(tf.math.reduce_sum(p * tf.math.log(q)))
    """, [3]),
    "compat-v1-with-name": ("""
        import tensorflow.compat.v1 as tf
        def cost(p, q):
            return tf.reduce_mean(-tf.reduce_sum(q * tf.log(p)), name="cost")
    """, [3]),
    "keras-ops": ("""
        import keras
        from keras import ops
        def kl(mu, logvar):
            return ops.mean(-0.5 * ops.sum(1 + logvar - ops.square(mu) - ops.exp(logvar)))
    """, [4]),
    "names-imported-from-torch": ("""
        from torch import mean, sum as total
        def penalty(err):
            return mean(total(err ** 2) / 2.0)
    """, [3]),
    "both-renamed-on-import": ("""
        from tensorflow import reduce_mean as average, reduce_sum as add_up
        def loss(p, q):
            return average(-add_up(q * p))
    """, [3]),
    "method-of-a-torch-sum-multiline": ("""
        import torch
        def loss_fn(pred, target):
            return torch.sum(
                (pred - target) ** 2,
            ).mean()
    """, [3]),
    "inner-keepdims-only": ("""
        import torch
        def loss_fn(x):
            return torch.mean(torch.sum(x, keepdim=True))
    """, [3]),
}

LOOKALIKES = {
    "axes-given-every-way": """
        import tensorflow as tf
        import torch
        from tensorflow.keras import backend as K
        def losses(a, b, c, d, e):
            return (tf.reduce_mean(tf.reduce_sum(a, 1)), torch.mean(torch.sum(b, dim=-1)),
                    K.mean(K.sum(c, axis=1)), tf.reduce_mean(tf.reduce_sum(d, reduction_indices=1)),
                    torch.mean(e.sum(1)))
    """,
    "mean-with-its-own-axis": """
        import torch
        def f(x):
            return torch.mean(torch.sum(x), dim=0), torch.mean(torch.sum(x), 0)
    """,
    "tables-and-numpy": """
        import numpy as np
        import pandas as pd
        import torch
        df = pd.read_csv("scores.csv")
        a = df.sum().mean()
        b = np.mean(np.sum(df.values))
        c = np.sum(np.array([1.0, 2.0])).mean()
    """,
    "unknown-receiver-method-chain": """
        import torch
        def f(batch):
            return batch.sum().mean()
    """,
    "sum-times-a-tensor": """
        import torch
        def f(x, w):
            return torch.mean(torch.sum(x) * w)
    """,
    "no-framework-import": """
        def mean(v):
            return v
        def sum_(v):
            return v
        x = mean(sum([1, 2]))
    """,
}


@pytest.mark.parametrize("name", BUGS)
def test_mean_of_whole_sum_is_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", LOOKALIKES)
def test_lookalike_stays_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_message_names_both_reductions_and_the_batch():
    src = "import tensorflow as tf\ndef loss(p, q):\n    return tf.reduce_mean(-tf.reduce_sum(q * tf.math.log(p)))\n"
    (finding,) = analyze(src, "train.py", ONLY).findings
    assert "`tf.reduce_mean` of `tf.reduce_sum`" in finding.message and "batch" in finding.message
