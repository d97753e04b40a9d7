"""TL005: `super().__init__(self, ...)` in a Keras layer/model or torch module passes the instance
twice. Written several ways (tf.keras.Model, a keras.layers.Layer with keyword arguments after
self, the two-argument super() in a torch module, a concrete Keras layer as the base, the CLI on
a file and its fix); the look-alikes call the parent unbound (`nn.Module.__init__(self)`), pass
other arguments, or derive from a class of no framework."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL005",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "model.py", ONLY).findings)


BUGS = {
    "tf-keras-model": ("""
        import tensorflow as tf

        class MyModel(tf.keras.Model):
            def __init__(self):
                # Create all the internal layers in init.
                super().__init__(self)
                self.seq = tf.keras.Sequential([tf.keras.layers.Dense(10)])
    """, [6]),
    "keras-layer-with-keywords": ("""
        from keras import layers

        class Scale(layers.Layer):
            def __init__(me, factor, **kwargs):
                super(Scale, me).__init__(me, name="scale", **kwargs)
                me.factor = factor

        class Wide(layers.Dense):
            def __init__(self, units):
                super().__init__(self, units)
    """, [5, 10]),
    "torch-module": ("""
        import torch
        from torch import nn

        class Net(nn.Module):
            def __init__(self, n):
                super(Net, self).__init__(self)
                self.fc = nn.Linear(n, 1)

            def forward(self, x):
                return self.fc(x)
    """, [6]),
    "class-made-in-a-function-nobody-calls": ("""
        import torch.nn as nn

        def make_head(n):
            class Head(nn.Module):
                def __init__(self):
                    super().__init__(self)
                    self.fc = nn.Linear(n, 1)
            return Head()
    """, [6]),
    "through-a-base-of-the-file-without-init": ("""
        import tensorflow as tf

        class Base(tf.keras.Model):
            def summary_line(self):
                return self.name

        class Net(Base):
            def __init__(self):
                super().__init__(self)
    """, [9]),
}

LOOKALIKES = {
    "unbound-or-right": """
        import torch.nn as nn
        import tensorflow as tf

        class A(nn.Module):
            def __init__(self):
                nn.Module.__init__(self)

        class B(tf.keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.inner = helper(self)

        class C(tf.keras.layers.Dense):
            def __init__(self, units):
                super().__init__(units, name=self.__class__.__name__)
    """,
    "no-framework-base": """
        import torch

        class Plain:
            def __init__(self, owner=None):
                self.owner = owner

        class Child(Plain):
            def __init__(self):
                super().__init__(self)
    """,
    "base-of-the-file-whose-init-takes-an-owner": """
        import torch.nn as nn

        class Owned(nn.Module):
            def __init__(self, owner=None):
                super().__init__()
                self.owner = owner

        class Child(Owned):
            def __init__(self):
                super().__init__(self)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_super_init_given_self_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_fix_removes_the_second_self(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import tensorflow as tf\n\n\nclass M(tf.keras.Model):\n    def __init__(self):\n"
                 "        super().__init__(self, name='m')\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL005", str(f)],
                         capture_output=True, text=True).stdout
    assert "m.py:6:9: TL005" in out
    subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL005", "--fix", str(f)],
                   capture_output=True, text=True)
    assert "super().__init__(name='m')" in f.read_text()


def test_bad_input_does_not_crash():
    assert _lines("import torch.nn as nn\n\nclass N(nn.Module):\n    def __init__():\n        super().__init__()\n") == []
    assert _lines("import torch.nn as nn\n\nclass N(nn.Module):\n    def __init__(self):\n        super().__init__(*self)\n") == []
