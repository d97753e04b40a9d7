"""A `@staticmethod` read through an instance, the class or `super()` runs with no `self`; a
`@classmethod` (an alternative constructor: `Net.from_config(...)` returning `cls(...)`) runs
with `cls` bound to the class it was called on (the subclass named, or the instance's class),
also through `super()` and inherited definitions. The analysis follows both, so a shape bug
reached only through them is found. The command line on files; each case has a correct
look-alike (the one change given) that stays silent."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

TORCH_HEAD = """
import torch
import torch.nn as nn
"""

KERAS_HEAD = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
"""

# a static method inherited from the program's own base class
FLAT_BASE = TORCH_HEAD + """
class Base(nn.Module):
    @staticmethod
    def flat(x):
        return torch.flatten(x, 1)


class Net(Base):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 10)
"""

# name: (code, text, (bug, fix)): the text with `bug` is wrong, with `fix` correct
CASES = {
    "static_through_self": ("TL202", TORCH_HEAD + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 10)

    @staticmethod
    def flat(x):
        return x.view(x.size(0), -1)

    def forward(self, x):
        return self.fc(self.flat(x))


model = Net()
out = model(torch.randn(8, 5, 6))
""", ("(8, 5, 6)", "(8, 4, 5)")),
    "static_through_object": ("TL202", TORCH_HEAD + """
class Prep:
    @staticmethod
    def flat(x):
        return x.reshape(x.shape[0], -1)


prep = Prep()
fc = nn.Linear(20, 10)
out = fc(prep.flat(torch.randn(8, 5, 6)))
""", ("(8, 5, 6)", "(8, 2, 10)")),
    "static_through_class_inherited": ("TL202", FLAT_BASE + """
    def forward(self, x):
        return self.fc(Net.flat(x))


out = Net()(torch.randn(8, 5, 6))
""", ("(8, 5, 6)", "(8, 5, 4)")),
    "static_through_super": ("TL202", FLAT_BASE + """
    @staticmethod
    def flat(x):
        return x

    def forward(self, x):
        return self.fc(super().flat(x))


out = Net()(torch.randn(8, 5, 6))
""", ("(8, 5, 6)", "(8, 5, 4)")),
    "classmethod_constructor": ("TL202", TORCH_HEAD + """
class Net(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)

    def forward(self, x):
        return self.fc(x)

    @classmethod
    def from_sizes(cls, n_in, n_out=10):
        return cls(n_in, n_out)


model = Net.from_sizes(20)
out = model(torch.randn(8, 30))
""", ("(8, 30)", "(8, 20)")),
    "classmethod_binds_subclass": ("TL202", TORCH_HEAD + """
class Base(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 10)

    def forward(self, x):
        return self.fc(x)

    @classmethod
    def make(cls):
        return cls()


class Flat(Base):
    def forward(self, x):
        return self.fc(x.flatten(1))


model = Flat.make()
out = model(torch.randn(8, 5, 6))
""", ("(8, 5, 6)", "(8, 5, 4)")),
    "classmethod_through_instance_and_super": ("TL202", TORCH_HEAD + """
class Base(nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.fc = nn.Linear(n_in, 10)

    def forward(self, x):
        return self.fc(x)

    @classmethod
    def create(cls, n_in):
        return cls(n_in)


class Net(Base):
    @classmethod
    def create(cls, n_in):
        return super().create(n_in * 2)


proto = Net(4)
model = proto.create(10)
out = model(torch.randn(8, 30))
""", ("(8, 30)", "(8, 20)")),
    "keras_classmethod_chain": ("TL208", KERAS_HEAD + """
class Block(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.d = layers.Dense(units, activation="sigmoid")

    def call(self, x):
        return self.d(x)

    @classmethod
    def create(cls, units):
        return cls.build_new(units)

    @classmethod
    def build_new(cls, units):
        return cls(units)


class Small(Block):
    @classmethod
    def create(cls, units):
        return super().create(units)


model = Small.create(10)
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.rand(100, 8).astype("float32")
y = np.random.randint(0, 2, size=(100, 1))
model.fit(x, y)
""", ("create(10)", "create(1)")),
    "keras_static_through_self": ("TL210", KERAS_HEAD + """
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3)

    @staticmethod
    def prep(x):
        return tf.reduce_mean(x, axis=-1)

    def call(self, x):
        return self.conv(self.prep(x))


model = Net()
out = model(np.zeros((4, 28, 28, 3), dtype="float32"))
""", ("tf.reduce_mean(x, axis=-1)", "x * 2.0")),
}


def _codes(tmp_path, capsys, name: str, text: str, code: str) -> list:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", code, str(path)]) == 0
    return [f["code"] for f in json.loads(capsys.readouterr().out)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bug_reached_through_static_or_class_method(tmp_path, capsys, name):
    code, text, (bug, _) = CASES[name]
    assert bug in text
    assert _codes(tmp_path, capsys, name, text, code) == [code]


@pytest.mark.parametrize("name", sorted(CASES))
def test_correct_look_alike_silent(tmp_path, capsys, name):
    code, text, (bug, fix) = CASES[name]
    assert _codes(tmp_path, capsys, name, text.replace(bug, fix), code) == []
