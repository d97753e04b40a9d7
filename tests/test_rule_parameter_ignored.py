"""TL425: a parameter the callers set is never read, and the body passes a literal for the
keyword of the same name. The value the caller gives has no effect (the Udacity DCGAN trained
every run with alpha=0.2 whatever `GAN(..., alpha=...)` said); the look-alikes forward the
parameter, or nobody passes it."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL425",))

BUGS = {
    # the Udacity DCGAN: __init__ takes alpha, builds the losses with alpha=0.2
    "constructor-keyword": ("""
        import tensorflow as tf

        def model_loss(input_real, input_z, output_dim, alpha=0.2):
            return tf.reduce_mean(tf.maximum(alpha * input_real, input_real))

        class GAN:
            def __init__(self, real_size, z_size, learning_rate, alpha=0.2, beta1=0.5):
                self.input_real = tf.placeholder(tf.float32, (None, *real_size))
                self.d_loss = model_loss(self.input_real, None, real_size[2], alpha=0.2)
                self.opt = tf.train.AdamOptimizer(learning_rate, beta1=beta1).minimize(self.d_loss)

        alpha = 0.1
        net = GAN((32, 32, 3), 100, 0.0002, alpha=alpha, beta1=0.5)
    """, [9]),
    # the literal keyword on a line after a comment inside the call; the caller passes a name
    "keyword-after-comment": ("""
        import torch.nn as nn

        def block(width, negative_slope):
            return nn.Sequential(
                nn.Linear(width, width),
                nn.LeakyReLU(
                    # the slope of the negative part
                    negative_slope=0.01))

        slope = 0.2
        b = block(16, slope)
    """, [8]),
    # torch, a plain function given the value by position
    "function-positional": ("""
        import torch
        import torch.nn as nn

        def make_head(in_features, n_classes, p):
            return nn.Sequential(nn.Dropout(p=0.5), nn.Linear(in_features, n_classes))

        head = make_head(512, 10, 0.2)
    """, [5]),
    # Keras, a method called on an instance with the keyword
    "method-keyword": ("""
        import keras

        class Trainer:
            def compile_model(self, model, learning_rate=1e-3):
                model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
                return model

        trainer = Trainer()
        trainer.compile_model(keras.Sequential([keras.layers.Dense(1)]), learning_rate=3e-4)
    """, [5]),
}

LOOKALIKES = {
    "parameter-forwarded": """
        import torch.nn as nn

        def make_head(in_features, n_classes, p_drop=0.5):
            return nn.Sequential(nn.Dropout(p=p_drop), nn.Linear(in_features, n_classes))

        head = make_head(512, 10, p_drop=0.2)
    """,
    "nobody-passes-it": """
        import torch.nn as nn

        def make_head(in_features, n_classes, p_drop=0.5):
            return nn.Sequential(nn.Dropout(p=0.1), nn.Linear(in_features, n_classes))

        head = make_head(512, 10)
    """,
    "parameter-read-in-a-nested-function": """
        import tensorflow as tf

        def build(x, alpha=0.2):
            def leaky(h):
                return tf.maximum(alpha * h, h)
            return tf.nn.leaky_relu(leaky(x), alpha=0.3)

        y = build(tf.ones([2]), alpha=0.1)
    """,
    "keyword-of-another-name": """
        import torch

        def step(model, lr):
            return torch.optim.SGD(model.parameters(), lr=0.1, momentum=lr)

        opt = step(torch.nn.Linear(2, 1), lr=0.9)
    """,
    "monte-carlo-dropout-call": """
        import keras

        class MCDropout(keras.layers.Dropout):
            def call(self, inputs, training=None):
                return super().call(inputs, training=True)

        class MCAlphaDropout(keras.layers.AlphaDropout):
            def call(self, inputs):
                return super().call(inputs, training=True)

        layer = MCDropout(0.2)
        out = layer(keras.ops.ones((2, 4)), training=False)
    """,
    "op-name-ignored": """
        import tensorflow as tf

        def scaled(x, rate, name=None):
            return tf.multiply(x, 1.0 - rate, name="scaled")

        y = scaled(tf.ones([2]), 0.5, name="dropout_scale")
    """,
    "forwards-everything": """
        import torch.nn as nn

        def block(dim, p=0.5, **kwargs):
            return nn.Dropout(p=0.1, **kwargs)

        b = block(4, p=0.2)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_parameter_ignored_for_a_literal_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("is never read" in f.message and "has no effect" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


def test_the_message_names_the_first_caller_in_the_file():
    # the first caller is inside a function, the second at the top level after it
    text = textwrap.dedent("""
        import tensorflow as tf


        def block(x, rate=0.5):
            return tf.nn.dropout(x, rate=0.1)


        def build(x):
            return block(x, rate=0.3)


        h = block(tf.ones([2, 4]), rate=0.2)
    """).lstrip("\n")
    found = [f for f in analyze(text, "m.py", ONLY).findings if f.code == "TL425"]
    assert len(found) == 1
    assert "(line 9)" in found[0].message
