"""TL004: a function's own assert at the top of its body is false for the defaults of the
parameters it tests. Written several ways (a Keras model builder with `and`, a chained
comparison in a torch module's `__init__`, a keyword-only parameter, a string default outside
its choices, a negative default, arithmetic on two defaults, the CLI on a file); the look-alikes
assert what the defaults satisfy, use None as the mark of a required argument, branch, return
or rebind the parameter before the assertion, or test names that are not parameters."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL004",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "nets.py", ONLY).findings)


BUGS = {
    "keras-builder-and": ("""
        from keras.layers import Input, Dense
        from keras.models import Model

        def create_net(nb_classes, img_dim, depth=40, bottleneck=False, reduction=0.0, verbose=True):
            '''Build the network.'''
            model_input = Input(shape=img_dim)
            assert (depth - 4) % 3 == 0, "Depth must be 3 N + 4"
            assert reduction <= 1.0 and reduction > 0.0, "reduction must lie in (0, 1]"
            return Model(model_input, Dense(nb_classes)(model_input))
    """, [8]),
    "torch-init-chained-and-kwonly": ("""
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self, channels, p=0.0, *, groups=-1, act="gelu"):
                super().__init__()
                assert 0 < p < 1
                assert groups >= 1, "groups must be positive"
                assert act in ("relu", "elu"), act
                self.conv = nn.Conv2d(channels, channels, 3, groups=groups)
    """, [6, 7, 8]),
    "two-defaults-arithmetic": ("""
        import tensorflow as tf

        def tower(x, width=64, heads=6):
            assert width % heads == 0
            return tf.keras.layers.Dense(width)(x)
    """, [4]),
}

LOOKALIKES = {
    "defaults-satisfy": """
        import torch.nn as nn

        def make(depth=40, reduction=0.5, mode="train", scale=1, flag=True):
            assert 0.0 < reduction <= 1.0 and (depth - 4) % 3 == 0
            assert mode in ["train", "test"] and scale >= 1 and flag
            return nn.Linear(depth, depth)
    """,
    "none-marks-required": """
        import torch.nn as nn

        def make(size=None, n=None):
            assert size is not None, "size is required"
            assert n > 0
            return nn.Linear(size, n)
    """,
    "branch-return-or-rebind-first": """
        import torch.nn as nn

        def a(scale=0):
            if scale == 0:
                return nn.Identity()
            assert scale > 0
            return nn.Linear(scale, scale)

        def b(rate=0.0):
            rate = rate or 0.5
            assert rate > 0.0
            return nn.Dropout(rate)

        def c(k=0):
            for _ in range(3):
                pass
            assert k > 0
            return nn.Linear(k, k)
    """,
    "guard-flag": """
        import torch.nn as nn

        class Head(nn.Module):
            def __init__(self, width, _from_factory=False, _checked=0):
                assert _from_factory, "build it with Head.make()"
                assert not _checked
                super().__init__()
    """,
    "other-names": """
        import torch.nn as nn

        LIMIT = 0

        def make(width=8, height=4):
            assert width > LIMIT
            assert width < config.max_width
            assert height > width or other_check(height)
            return nn.Linear(width, height)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_default_failing_assertion_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_default(tmp_path):
    f = tmp_path / "densenet.py"
    f.write_text("import keras\n\n\ndef net(depth=40, reduction=0.0):\n"
                 "    assert 0.0 < reduction <= 1.0\n    return keras.layers.Dense(depth)\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL004", str(f)],
                         capture_output=True, text=True).stdout
    assert "densenet.py:5:5: TL004" in out and "reduction=0.0" in out


def test_bad_input_does_not_crash():
    assert _lines("import torch\n\ndef f(a=1 / 0, b=10 % 0, c='x' * 3):\n    assert a > b and c in 1\n") == []
    assert _lines("import torch\n\ndef f(a=(1,), b='s'):\n    assert a < b\n    assert a[0]\n") == []
