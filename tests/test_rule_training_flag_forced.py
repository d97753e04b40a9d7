"""TL425 on Keras layers: `call(self, inputs, training=None)` never reads the flag Keras gives it
and calls a sublayer with `training=True`, so dropout and batch statistics stay in training mode in
`predict` and `evaluate` (keras-tcn's residual block, fixed in fe22c49). The look-alikes forward
the flag, read it, freeze a backbone with `training=False`, or keep dropout on deliberately
(Monte Carlo dropout through `super().call`, or a `call` that takes no flag)."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL425",))

BUGS = {
    # tf.keras, a layer imported by name, sublayers called in a loop, `**kwargs` beside the flag
    "tf-keras-layer-loop": ("""
        import tensorflow as tf
        from tensorflow.keras.layers import Layer, Conv1D, Dropout

        class ResidualBlock(Layer):
            def __init__(self, filters, rate, **kwargs):
                super().__init__(**kwargs)
                self.blocks = [Conv1D(filters, 3, padding="causal"), Dropout(rate)]

            def call(self, inputs, training=None, **kwargs):
                x = inputs
                for layer in self.blocks:
                    x = layer(x, training=True)
                return x + inputs
    """, [12]),
    # Keras 3, a model subclass with its dropout as an attribute
    "keras-model-attribute": ("""
        import keras

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(64, activation="relu")
                self.drop = keras.layers.Dropout(0.5)
                self.out = keras.layers.Dense(10)

            def call(self, x, training=False):
                h = self.drop(self.hidden(x), training=True)
                return self.out(h)
    """, [11]),
    # the dotted base `tf.keras.layers.Layer`, the flag without a default, a backbone in training mode
    "dotted-base-backbone": ("""
        import tensorflow as tf

        class Head(tf.keras.layers.Layer):
            def __init__(self, backbone):
                super().__init__()
                self.backbone = backbone
                self.pool = tf.keras.layers.GlobalAveragePooling2D()

            def call(self, images, training):
                features = self.backbone(images, training=True)
                return self.pool(features)
    """, [10]),
}

LOOKALIKES = {
    "flag-forwarded": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.3)

            def call(self, x, training=None):
                return self.drop(x, training=training)
    """,
    "flag-read": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.3)

            def call(self, x, training=None):
                if training:
                    return self.drop(x, training=True)
                return x
    """,
    "backbone-frozen": """
        import tensorflow as tf

        class Finetune(tf.keras.Model):
            def __init__(self, base):
                super().__init__()
                self.base = base
                self.top = tf.keras.layers.Dense(2)

            def call(self, x, training=None):
                return self.top(self.base(x, training=False))
    """,
    "monte-carlo-dropout-explicit-base": """
        import tensorflow as tf

        class MCDropout(tf.keras.layers.Dropout):
            def call(self, inputs, training=None):
                return tf.keras.layers.Dropout.call(self, inputs, training=True)
    """,
    "no-flag-to-ignore": """
        import keras

        class AlwaysDrop(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.2)

            def call(self, x):
                return self.drop(x, training=True)
    """,
    "not-a-keras-layer": """
        class Runner:
            def call(self, x, training=None):
                return step(x, training=True)

        def step(x, training=False):
            return x
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_training_flag_replaced_by_true_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("`training`" in f.message and "is never read" in f.message and "predict" in f.message
               for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
