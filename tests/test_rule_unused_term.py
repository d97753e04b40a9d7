"""TL414 for a weight added to a layer's stream under a new name that nothing reads (`conv_gate =
output_gate + bias` followed by `tf.sigmoid(output_gate)`): the bias or positional embedding is
never applied. Written in TF1 graph functions (`tf` and `tf.compat.v1`), a TF1 script at module
level, a torch `forward` and a Keras layer's `call`; and the look-alikes that stay silent: the
stream updated in place, the sum read later, a constant shift, a residual sum returned, the sum
of two values computed from data, a sum fed to the next layer, a sum of Python lists. Each case
marks its expected findings with `# expect: TL414`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf1-function-bias-from-dict": """
        import tensorflow as tf

        def gated(x, variables):
            output_filter = tf.nn.conv1d(x, variables['filter'], 1, 'VALID')
            output_gate = tf.nn.conv1d(x, variables['gate'], 1, 'VALID')
            if variables.get('use_biases'):
                output_filter = output_filter + variables['filter_bias']
                conv_gate = output_gate + variables['gate_bias']  # expect: TL414
            return tf.tanh(output_filter) * tf.sigmoid(output_gate)
    """,
    "compat-v1-module-level-bias-first": """
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 8])
        W = tf.Variable(tf.random_normal([8, 4]))
        b = tf.Variable(tf.zeros([4]))
        z = tf.matmul(x, W)
        logits = b + z  # expect: TL414
        probs = tf.nn.softmax(z)
    """,
    "torch-positional-embedding": """
        import torch
        import torch.nn as nn

        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(100, 16)
                self.pos = nn.Parameter(torch.zeros(1, 50, 16))
                self.fc = nn.Linear(16, 4)

            def forward(self, tokens):
                x = self.embed(tokens)
                h = x + self.pos  # expect: TL414
                return self.fc(x)
    """,
    "keras-layer-bias-weight": """
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(16)
                self.head = keras.layers.Dense(4)

            def build(self, shape):
                self.bias = self.add_weight(shape=(16,))

            def call(self, x):
                h = self.dense(x)
                hb = h + self.bias  # expect: TL414
                return self.head(h)
    """,
    # -- silent ----------------------------------------------------------------------------
    "stream-updated-in-place": """
        import tensorflow as tf

        def gated(x, variables):
            output_gate = tf.nn.conv1d(x, variables['gate'], 1, 'VALID')
            output_gate = output_gate + variables['gate_bias']
            return tf.sigmoid(output_gate)
    """,
    "sum-read-later-constant-shift-residual": """
        import tensorflow as tf

        def net(x, W, b, W2):
            h = tf.matmul(x, W)
            hb = h + b
            shifted = h + 1
            out = tf.nn.relu(tf.matmul(hb, W2))
            return out

        def res(x, W):
            h = tf.matmul(x, W)
            skip = h + x
            out = tf.nn.relu(h)
            return out, skip
    """,
    "torch-residual-fed-on": """
        import torch.nn as nn

        class Res(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(8, 8)
                self.b = nn.Linear(8, 8)

            def forward(self, x):
                h = self.a(x)
                y = h + x
                return self.b(y)
    """,
    "sum-of-two-computed-values-at-module-level": """
        import tensorflow as tf

        a = tf.ones((2, 2))
        b = tf.square(a)
        c = tf.sqrt(a)
        d = b + c
        e = tf.matmul(a, b)
        f = b + tf.constant(1.0) + tf.math.pi
    """,
    "python-lists-joined": """
        import tensorflow as tf

        def build(x, extra):
            layers = [tf.nn.relu]
            names = layers + extra
            h = tf.nn.relu(x)
            return tf.nn.softmax(h)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unused_term_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, CASES[name])
    assert found == marked


def test_message_names_the_term_never_applied():
    f = only_finding("TL414", CASES["tf1-function-bias-from-dict"])
    assert "`conv_gate` = `output_gate + variables['gate_bias']`" in f.message
    assert "is fed `output_gate` without `variables['gate_bias']`" in f.message


def test_cli_reports_the_unused_bias(tmp_path):
    path = tmp_path / "gated.py"
    path.write_text(textwrap.dedent(CASES["tf1-function-bias-from-dict"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "gated.py:8:9: TL414" in run.stdout and "TL414" in run.stdout
