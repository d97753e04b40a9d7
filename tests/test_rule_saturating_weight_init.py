"""TL314: hand-made weights drawn with a standard deviation too large for their fan-in, fed a
sigmoid output and passed to a sigmoid or tanh (the TF1 autoencoder of TensorFlow-Examples drew
every weight from a unit normal). Written several ways, with the weights in a dict of variables,
in plain names, in torch; the look-alikes scale the draw, feed a ReLU, or have inputs whose
scale the program does not show."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL314",))

BUGS = {
    # the TensorFlow-Examples autoencoder: weights in a dict, layers built in functions
    "dict-of-weights-in-functions": ("""
        import tensorflow as tf

        n_in, n_h1, n_h2 = 784, 256, 128
        X = tf.placeholder("float", [None, n_in])
        weights = {
            'h1': tf.Variable(tf.random_normal([n_in, n_h1])),
            'h2': tf.Variable(tf.random_normal([n_h1, n_h2])),
        }
        biases = {'b1': tf.Variable(tf.random_normal([n_h1])), 'b2': tf.Variable(tf.random_normal([n_h2]))}

        def encoder(x):
            layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
            return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))

        code = encoder(X)
    """, [7]),
    # plain names, tanh after a sigmoid, the bias added by bias_add, an explicit stddev of 2
    "names-tanh-bias-add": ("""
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 64])
        w1 = tf.Variable(tf.truncated_normal([64, 100], stddev=0.1))
        h1 = tf.sigmoid(tf.matmul(x, w1))
        w2 = tf.Variable(tf.truncated_normal([100, 50], stddev=2.0))
        h2 = tf.tanh(tf.nn.bias_add(tf.matmul(h1, w2), tf.Variable(tf.zeros([50]))))
    """, [6]),
    # the weights stored output-major and multiplied with transpose_b=True: the fan-in is the second axis
    "transpose-b": ("""
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([784, 300]))))
        w2 = tf.Variable(tf.random_normal([10, 300]))
        out = tf.nn.sigmoid(tf.matmul(h1, w2, transpose_b=True))
    """, [5]),
    # torch: parameters drawn with randn, the product written with @
    "torch-parameters": ("""
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.w1 = nn.Parameter(torch.randn(32, 512) * 0.05)
                self.w2 = nn.Parameter(torch.randn(512, 10))

            def forward(self, x):
                h = torch.sigmoid(x @ self.w1)
                return torch.sigmoid(h @ self.w2)

        out = Net()(torch.rand(8, 32))
    """, [8]),
}

LOOKALIKES = {
    "scaled-draw": """
        import tensorflow as tf

        X = tf.placeholder("float", [None, 784])
        weights = {
            'h1': tf.Variable(tf.random_normal([784, 256], stddev=0.05)),
            'h2': tf.Variable(tf.random_normal([256, 128], stddev=0.05)),
        }

        def encoder(x):
            layer_1 = tf.nn.sigmoid(tf.matmul(x, weights['h1']))
            return tf.nn.sigmoid(tf.matmul(layer_1, weights['h2']))

        code = encoder(X)
    """,
    "relu-after-the-product": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([784, 256]))))
        h2 = tf.nn.relu(tf.matmul(h1, tf.Variable(tf.random_normal([256, 128]))))
    """,
    "input-of-unknown-scale": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        w = tf.Variable(tf.random_normal([784, 256]))
        h = tf.nn.sigmoid(tf.matmul(x, w))
    """,
    "product-stored-then-activated-elsewhere": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([784, 256]))))
        logits = tf.matmul(h1, tf.Variable(tf.random_normal([256, 10])))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=tf.zeros([1, 10])))
    """,
    "dict-changed-before-use": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        weights = {'h1': tf.Variable(tf.zeros([784, 256])), 'h2': tf.Variable(tf.random_normal([256, 128]))}
        weights['h2'] = tf.Variable(tf.random_normal([256, 128], stddev=0.01))
        h1 = tf.nn.sigmoid(tf.matmul(x, weights['h1']))
        h2 = tf.nn.sigmoid(tf.matmul(h1, weights['h2']))
    """,
    "small-fan-in": """
        import torch

        w1 = torch.nn.Parameter(torch.zeros(2, 8))
        w2 = torch.nn.Parameter(torch.randn(8, 1))
        y = torch.sigmoid(torch.sigmoid(torch.rand(4, 2) @ w1) @ w2)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_saturating_init_is_reported_at_the_weights(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("start saturated" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


def test_dict_lookup_gives_the_stored_variable():
    """The dict of weights is followed: a mismatch of its matrix with the input is found too."""
    program = _text("""
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        weights = {'h1': tf.Variable(tf.random_normal([748, 256]))}
        h = tf.matmul(x, weights['h1'])
    """)
    findings = analyze(program, "dict.py", Config(select=("TL212",))).findings
    assert [f.line for f in findings] == [5]
