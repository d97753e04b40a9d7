"""TL333: a top-k filter of logits that sets the removed entries to a number near 0 before a
softmax. Written several ways: minGPT's helper whose result a sampling loop passes to
F.softmax; a method form (`logits.topk(k)`, `x.softmax(-1)`); `masked_fill` into a
Categorical's `logits=`; `torch.where` with `zeros_like`; TensorFlow's `tf.math.top_k` with
`tf.where` into `tf.random.categorical`; and the CLI on a file. The look-alikes fill with -inf or
-1e10, filter probabilities renormalised by their sum, compare with a threshold that is not a
top-k value, or hand the filtered tensor to no softmax."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL333",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "sample.py", ONLY).findings)


MINGPT = """
    import torch
    from torch.nn import functional as F


    def top_k_logits(logits, k):
        v, ix = torch.topk(logits, k)
        out = logits.clone()
        out[out < v[:, [-1]]] = {fill}
        return out


    @torch.no_grad()
    def sample(model, x, steps, temperature=1.0, top_k=None):
        for _ in range(steps):
            logits = model(x)[:, -1, :] / temperature
            if top_k is not None:
                logits = top_k_logits(logits, top_k)
            probs = F.softmax(logits, dim=-1)
            ix = torch.multinomial(probs, num_samples=1)
            x = torch.cat((x, ix), dim=1)
        return x
"""


def test_helper_result_sampled_through_softmax():
    assert _lines(MINGPT.format(fill="1e-10")) == [8]
    assert _lines(MINGPT.format(fill="0")) == [8]
    assert _lines(MINGPT.format(fill="-1e-9")) == [8]


def test_fills_far_below_the_logits_are_silent():
    for fill in ("-float('Inf')", "-1e10", "float('-inf')", "-10000.0"):
        assert _lines(MINGPT.format(fill=fill)) == [], fill


def test_method_forms():
    src = """
        import torch

        def generate(logits, k):
            kth = logits.topk(k, dim=-1).values[:, -1:]
            logits[logits < kth] = 0.
            return logits.softmax(-1).multinomial(1)
    """
    assert _lines(src) == [5]


def test_masked_fill_into_categorical_logits():
    src = """
        import torch
        from torch.distributions import Categorical

        def act(scores, k):
            top, _ = torch.topk(scores, k)
            scores = scores.masked_fill(scores < top[..., -1:], 0)
            return Categorical(logits=scores).sample()
    """
    assert _lines(src) == [6]


def test_torch_where_with_zeros():
    src = """
        import torch

        def filt(logits, k):
            v = torch.topk(logits, k)[0]
            out = torch.where(logits < v[:, -1:], torch.zeros_like(logits), logits)
            return torch.log_softmax(out, dim=-1)
    """
    assert _lines(src) == [5]


def test_tensorflow_top_k_into_categorical():
    src = """
        import tensorflow as tf

        def sample(logits, k):
            values, _ = tf.math.top_k(logits, k=k)
            min_values = values[:, -1, tf.newaxis]
            filtered = tf.where(logits < min_values, tf.zeros_like(logits), logits)
            return tf.random.categorical(filtered, num_samples=1)
    """
    assert _lines(src) == [6]
    assert _lines(src.replace("tf.zeros_like(logits)", "tf.ones_like(logits) * -1e10")) == []


def test_probabilities_and_other_thresholds_are_silent():
    probs = """
        import torch

        def top_k_probs(probs, k):
            v, _ = torch.topk(probs, k)
            probs[probs < v[:, [-1]]] = 0.0
            probs = probs / probs.sum(-1, keepdim=True)
            return torch.multinomial(probs, 1)
    """
    threshold = """
        import torch

        def clip(logits, floor):
            v, _ = torch.topk(logits, 5)
            logits[logits < floor] = 0.0
            return torch.softmax(logits, -1), v
    """
    unused = """
        import torch

        def masks(logits, k):
            v, _ = torch.topk(logits, k)
            keep = logits.clone()
            keep[keep < v[:, [-1]]] = 0
            return keep
    """
    assert _lines(probs) == []
    assert _lines(threshold) == []
    assert _lines(unused) == []


def test_cli_reports_and_fixes():
    src = textwrap.dedent(MINGPT.format(fill="1e-10")).lstrip("\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL333", "--diff", "--unsafe-fixes", "-"],
                         input=src, capture_output=True, text=True)
    assert '-float("inf")' in out.stdout
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL333", "-"], input=src,
                         capture_output=True, text=True)
    assert ":8:" in out.stdout and "TL333" in out.stdout


def test_filtered_tensor_returned_directly_to_a_tf1_sampler():
    src = """
        import tensorflow as tf

        def top_k_logits(logits, k):
            values, _ = tf.nn.top_k(logits, k=k)
            min_values = values[:, -1, tf.newaxis]
            return tf.where(logits < min_values, tf.ones_like(logits, dtype=logits.dtype) * 0.0, logits)

        def step(logits, k):
            logits = top_k_logits(logits, k=k)
            return tf.multinomial(logits, num_samples=1)
    """
    assert _lines(src) == [6]
    assert _lines(src.replace("* 0.0", "* -1e10")) == []
