"""TL447: a parameter stored on the instance is never read, and the class calls the parameter's
default instead. Written several ways (a tf.Module layer whose initializer is a function of the
file, a torch module whose activation default is an imported class called in forward, a Keras
layer with a keyword-only parameter, the CLI on a file); the look-alikes read the stored value
(directly, in a config, through getattr), use the parameter itself in __init__, or call a function
that is no parameter's default."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL447",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "layers.py", ONLY).findings)


BUGS = {
    "tf-module-initializer": ("""
        import tensorflow as tf

        def glorot(shape):
            return tf.random.normal(shape) * 0.1

        class Dense(tf.Module):
            def __init__(self, out_dim, init_fn=glorot, activation=tf.identity):
                self.out_dim = out_dim
                self.init_fn = init_fn
                self.activation = activation
                self.built = False

            def __call__(self, x):
                if not self.built:
                    self.w = tf.Variable(glorot(shape=(x.shape[-1], self.out_dim)))
                    self.built = True
                return self.activation(tf.matmul(x, self.w))
    """, [15]),
    "torch-activation-class": ("""
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self, n, act_layer=nn.GELU):
                super().__init__()
                self.fc = nn.Linear(n, n)
                self.act_layer = act_layer

            def forward(self, x):
                return nn.GELU()(self.fc(x))
    """, [10]),
    "keras-kwonly": ("""
        from tensorflow import keras

        def scaled_uniform(shape, dtype=None):
            return keras.random.uniform(shape) * 0.05

        class Projection(keras.layers.Layer):
            def __init__(self, units, *, initializer=scaled_uniform, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.initializer = initializer

            def build(self, input_shape):
                w = scaled_uniform((input_shape[-1], self.units))
                self.kernel = self.add_weight(shape=w.shape, initializer=lambda *a, **k: w)
    """, [13]),
}

LOOKALIKES = {
    # several loaders default to one helper; the helper also reads a file none of them is for
    "default-shared-by-several-parameters": """
        import numpy as np
        import tensorflow as tf

        class FeatureSet:
            def __init__(self, root, stats, mel_load_fn=np.load, pitch_load_fn=np.load):
                self.root = root
                self.mel_load_fn = mel_load_fn
                self.pitch_load_fn = pitch_load_fn
                self.stats = np.load(stats)

            def mels(self, files):
                return [tf.constant(np.load(f)) for f in files]
    """,
    "stored-value-read": """
        import tensorflow as tf

        def glorot(shape):
            return tf.random.normal(shape)

        class A(tf.Module):
            def __init__(self, n, init_fn=glorot):
                self.init_fn = init_fn
                self.n = n

            def __call__(self, x):
                return tf.matmul(x, tf.Variable(self.init_fn((x.shape[-1], self.n))))

        class B(tf.Module):
            def __init__(self, n, init_fn=glorot):
                self.init_fn = init_fn
                self.w = tf.Variable(init_fn((n, n)))

            def reset(self):
                self.w.assign(glorot(self.w.shape))

        class C(tf.Module):
            def __init__(self, n, init_fn=glorot):
                self.init_fn = init_fn

            def get_config(self):
                return {"init_fn": self.init_fn}

            def __call__(self, x):
                return glorot(x.shape)
    """,
    "getattr-reads": """
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self, n, act_layer=nn.GELU):
                super().__init__()
                self.act_layer = act_layer

            def forward(self, x):
                make = getattr(self, "act_layer")
                return nn.GELU()(x)
    """,
    "other-function": """
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self, n, act_layer=nn.GELU):
                super().__init__()
                self.act_layer = act_layer

            def forward(self, x):
                return nn.ReLU()(x) + self.act_layer()(x)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_bypassed_parameter_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_stored_attribute(tmp_path):
    f = tmp_path / "mlp.py"
    f.write_text("import torch.nn as nn\n\n\nclass MLP(nn.Module):\n    def __init__(self, n, act=nn.Tanh):\n"
                 "        super().__init__()\n        self.act = act\n        self.fc = nn.Linear(n, n)\n\n"
                 "    def forward(self, x):\n        return nn.Tanh()(self.fc(x))\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL447", str(f)],
                         capture_output=True, text=True).stdout
    assert "mlp.py:11:16: TL447" in out and "`self.act`" in out


def test_bad_input_does_not_crash():
    assert _lines("import torch\n\nclass A:\n    def __init__(self, f=g):\n        self.f = f\n    def x(self): g(\n") == []
