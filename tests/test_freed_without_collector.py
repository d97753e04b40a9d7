"""A file's values and trees are freed by reference counting once its analysis is over: no
reference cycle (a method and its class, a function and the scope that binds it, a helper
calling itself) keeps them waiting for the garbage collector, whose collections would otherwise
walk every file's function bodies again. The same programs' findings do not change."""
from __future__ import annotations

import gc
import textwrap

import libcst as cst
import pytest

from tensorlint import project
from tensorlint.config import Config
from tensorlint.engine import analyze

TORCH = """\
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)

    def forward(self, x):
        return torch.relu(self.fc(x))

class Net(Block):
    def head(self, x):
        def scale(y, n):
            return y if n == 0 else scale(y * 2, n - 1)
        return scale(self.forward(x), 2)

def train(net, batches):
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for x, y in batches:
        out = net.head(x)
        loss = nn.functional.mse_loss(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()

net = Net(8)
train(net, [(torch.randn(4, 8), torch.randn(4, 8))])
"""

KERAS = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

def make(units):
    def block(x, depth):
        if depth == 0:
            return x
        return block(layers.Dense(units, activation="relu")(x), depth - 1)
    inputs = keras.Input(shape=(16,))
    outputs = layers.Dense(3, activation="softmax")(block(inputs, 2))
    return keras.Model(inputs, outputs)

class Scaled(keras.layers.Layer):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor

model = make(32)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(10, 16), np.random.randint(0, 3, size=(10,)), epochs=1)
"""

TF1 = """\
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, None])
w = tf.Variable(tf.zeros([4, 2]))
y = tf.matmul(x, w)

def feed(batch):
    return {x: batch}

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(y, feed_dict=feed(np.zeros((3, 4), dtype=np.float32)))
"""

# a constructor called with the wrong arguments (TL443) and a call rebuilt in a loop (TL220):
# the rules' own walks over the file's classes and loops
ARITY = """\
import torch.nn as nn

class Base(nn.Module):
    def __init__(self, width, depth):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

class Child(Base):
    pass

model = Child(8)
for epoch in range(3):
    net = nn.Linear(8, 8)
"""


def _nodes_named(names: set) -> list:
    """Definitions of those names still alive, less those of the project modules that analyses
    imported and keep on purpose (tensorlint.project's tree cache: an earlier test's module may
    define an `__init__` too)."""
    kept = {id(n) for _, module in list(project._trees.values()) if module.tree is not None
            for n in _walk(module.tree)}
    return [o for o in gc.get_objects()
            if type(o) in (cst.FunctionDef, cst.ClassDef) and o.name.value in names and id(o) not in kept]


def _defined(text: str) -> set:
    tree = cst.parse_module(text)
    return {n.name.value for n in _walk(tree) if type(n) in (cst.FunctionDef, cst.ClassDef)}


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


@pytest.mark.parametrize("text", [TORCH, KERAS, TF1, ARITY], ids=["torch", "keras", "tf1", "arity"])
def test_a_files_definitions_are_freed_when_its_analysis_returns_with_the_collector_off(text):
    config = Config(select=("ALL",))
    analyze(text, "warm.py", config)
    names = _defined(text)
    gc.collect()
    gc.disable()
    try:
        result = analyze(text, "program.py", config)
        left = _nodes_named(names)
    finally:
        gc.enable()
    assert result.findings is not None
    assert left == [], f"{len(left)} definitions kept alive by reference cycles"


def test_the_collector_finds_no_syntax_tree_left_in_cycles_after_an_analysis():
    config = Config(select=("ALL",))
    analyze(TORCH, "warm.py", config)
    gc.collect()
    gc.disable()
    try:
        for i, text in enumerate((TORCH, KERAS, TF1, ARITY)):
            analyze(text, f"program{i}.py", config)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage = [o for o in gc.garbage if isinstance(o, cst.CSTNode)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert garbage == []


@pytest.mark.parametrize("text", [TORCH, KERAS, TF1, ARITY], ids=["torch", "keras", "tf1", "arity"])
def test_an_analysis_reports_the_same_after_an_earlier_one_released_its_values(text):
    config = Config(select=("ALL",))
    first = [(f.code, f.span) for f in analyze(text, "program.py", config).findings]
    analyze(textwrap.dedent(TORCH), "other.py", config)
    again = [(f.code, f.span) for f in analyze(text, "program.py", config).findings]
    assert again == first


def test_the_constructor_arity_check_still_reports_through_a_base_classes_init():
    found = analyze(ARITY, "program.py", Config(select=("ALL",))).findings
    assert [f.span.start.line for f in found if f.code == "TL443"] == [11]
