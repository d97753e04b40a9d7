"""TL211 on a concatenation of zero-dimensional tensors: losses collected in a list and joined
with `torch.cat` (the pytorch/examples actor-critic bug once losses became 0-d), means of
row norms gathered in a function, reduced TensorFlow tensors given to `tf.concat`. Each
failing program is run below and raises; each look-alike (stack, a value given an axis first,
`np.hstack`) runs."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "torch-losses-appended-in-loop": """
        import torch
        import torch.nn.functional as F

        values = [torch.randn(1, 1, requires_grad=True) for _ in range(5)]
        returns = [1.0, 0.5, 0.2, 0.0, 1.0]
        value_losses = []
        for value, r in zip(values, returns):
            value_losses.append(F.smooth_l1_loss(value, torch.tensor([[r]])))
        loss = torch.cat(value_losses).sum()  # expect: TL211
        loss.backward()
    """,
    "torch-two-means-literal-list": """
        import torch

        a, b = torch.randn(8, 3), torch.randn(8, 3)
        terms = torch.cat([a.pow(2).mean(), (a - b).abs().mean()])  # expect: TL211
    """,
    "torch-row-norms-in-function": """
        import torch

        def row_norms(n):
            w = torch.randn(16, 4)
            norms = []
            for i in range(n):
                norms.append(w[i].norm())
            return torch.cat(norms)  # expect: TL211

        row_norms(4)
    """,
    "tf-reduced-values-concat": """
        import tensorflow as tf

        x = tf.random.normal((4, 3))
        stats = tf.concat([tf.reduce_mean(x), tf.reduce_max(x)], axis=0)  # expect: TL211
    """,
    # -- look-alikes that run --------------------------------------------------------------------
    "ok-torch-stack-of-losses": """
        import torch
        import torch.nn.functional as F

        values = [torch.randn(1, 1, requires_grad=True) for _ in range(5)]
        value_losses = []
        for value in values:
            value_losses.append(F.smooth_l1_loss(value, torch.zeros(1, 1)))
        loss = torch.stack(value_losses).sum()
        loss.backward()
    """,
    "ok-torch-losses-given-an-axis": """
        import torch

        a, b = torch.randn(8, 3), torch.randn(8, 3)
        parts = [a.pow(2).mean().unsqueeze(0), (a - b).abs().mean().view(1), a.sum(dim=1)]
        terms = torch.cat(parts)
    """,
    "ok-numpy-hstack-of-means": """
        import numpy as np

        runs = [np.random.rand(10) for _ in range(3)]
        summary = np.hstack([np.mean(r) for r in runs])
        both = np.concatenate([np.mean(runs, axis=1), np.max(runs, axis=1)])
    """,
    "ok-tf-stack-of-reduced-values": """
        import tensorflow as tf

        x = tf.random.normal((4, 3))
        stats = tf.stack([tf.reduce_mean(x), tf.reduce_max(x)], axis=0)
        rows = tf.concat([tf.reduce_mean(x, axis=1), tf.reduce_max(x, axis=1)], axis=0)
    """,
}


def _text(name: str) -> str:
    return textwrap.dedent(CASES[name]).lstrip("\n")


@pytest.mark.parametrize("name", sorted(CASES))
def test_scalar_parts(name):
    text = _text(name)
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings
             if f.code == "TL211"}
    assert found == _expected(text)


def test_message_says_what_is_zero_dimensional():
    [f] = [f for f in analyze(_text("torch-losses-appended-in-loop"), "t.py", Config(select=("ALL",))).findings
           if f.code == "TL211"]
    assert "zero-dimensional" in f.message and "line 8" in f.message and f.related


@pytest.mark.parametrize("name", sorted(CASES))
def test_programs_behave_as_declared(name):
    """The failing programs raise; the look-alikes run."""
    text = _text(name)
    if "tensorflow" in text:
        pytest.importorskip("tensorflow")
    if "torch" in text:
        pytest.importorskip("torch")
    if name.startswith("ok-"):
        exec(compile(text, name, "exec"), {"__name__": "__main__"})
    else:
        with pytest.raises(Exception, match="(?i)zero-dimensional|scalar"):
            exec(compile(text, name, "exec"), {"__name__": "__main__"})
