"""A library file's classes built as another module of its project builds them (runtime/
project_calls.py): the values a test, an example or a training script writes out in its call of
the constructor are the project's own, so the class is built with them instead of being left
unbuilt for want of its arguments. A call whose values the text does not fix (a flag, `*args`),
one written to fail (`with pytest.raises(...)`), or of another class of the same name, is not used."""
from __future__ import annotations

from pathlib import Path

from tensorlint.runtime import Options, run_shapecheck
from tensorlint.runtime.project_calls import project_constructors

# a PyTorch block whose constructor takes a list of channel counts (no size the check could make
# up) and which adds its input to its output: the last count must be the input's
TORCH_MODEL = """\
import torch
import torch.nn as nn


class Stack(nn.Module):
    def __init__(self, in_dim, widths, activation="relu"):
        super().__init__()
        dims = [in_dim, *widths]
        self.layers = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1) for a, b in zip(dims, dims[1:]))
        self.act = nn.ReLU() if activation == "relu" else nn.Tanh()

    def forward(self, x):
        out = x
        for layer in self.layers:
            out = self.act(layer(out))
        return out + x
"""

# a TF1 block whose constructor needs its unit count and scope, and whose `attend` nothing in the
# file calls; {width} is how it reads the width of its queries
TF1_BLOCK = """\
import tensorflow as tf


class Attention:
    def __init__(self, num_units, scope, heads=1):
        self.num_units = num_units
        self.scope = scope
        self.heads = heads

    def attend(self, queries, keys):
        with tf.variable_scope(self.scope):
            width = {width}
            q = tf.layers.dense(queries, self.num_units)
            k = tf.layers.dense(keys, self.num_units)
            return tf.matmul(q, k, transpose_b=True) / width
"""


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def found(root: Path, files: dict[str, str], library: str = "lib/model.py") -> dict:
    project(root, files)
    path = root / library
    return project_constructors(str(path), path.read_text(encoding="utf-8"))


def check(path: Path, python: str):
    return run_shapecheck(str(path), None, Options(python=python, timeout=180))


def errors(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.severity == "error"}


PACKAGE = {"lib/__init__.py": "", "lib/model.py": TORCH_MODEL}


def test_a_call_written_with_its_values_is_found_however_it_imports_the_class(tmp_path):
    ways = {
        "from lib.model import Stack\nnet = Stack(16, [32, 8])\n": ([16, [32, 8]], {}),
        "import lib.model as m\nnet = m.Stack(in_dim=16, widths=(32, 8), activation='tanh')\n":
            ([], {"in_dim": 16, "widths": (32, 8), "activation": "tanh"}),
        "from lib import model\nHIDDEN = 2 ** 5\nnet = model.Stack(HIDDEN // 2, [HIDDEN, -(-8)])\n": ([16, [32, 8]], {}),
        "from lib.model import Stack\nIN, OUT = 16, 8\nnet = Stack(IN, widths=[32, OUT])\n": ([16], {"widths": [32, 8]}),
    }
    for i, (caller, (args, kwargs)) in enumerate(ways.items()):
        got = found(tmp_path / str(i), {**PACKAGE, "train.py": caller})["Stack"]
        assert [eval(a) for a in got["args"]] == args and {k: eval(v) for k, v in got["kwargs"].items()} == kwargs, got
        assert got["where"] == f"train.py:{caller.count(chr(10))}", got
    # from inside the package, relatively; and through the package that re-exports it
    inside = found(tmp_path / "rel", {**PACKAGE, "lib/demo.py": "from .model import Stack\n\n\nStack(4, [2])\n"})
    assert inside["Stack"]["where"] == "lib/demo.py:4"
    again = found(tmp_path / "pkg", {**PACKAGE, "lib/__init__.py": "from .model import Stack\n",
                                     "tests/test_stack.py": "from lib import Stack\n\ndef test():\n    Stack(3, [3])\n"})
    assert again["Stack"]["where"] == "tests/test_stack.py:4"


def test_calls_whose_values_the_text_does_not_fix_are_not_used(tmp_path):
    look_alikes = [
        "import argparse\nfrom lib.model import Stack\nargs = argparse.ArgumentParser().parse_args()\n"
        "net = Stack(args.dim, [32])\n",  # a flag
        "from lib.model import Stack\nsizes = [16, [8]]\nnet = Stack(*sizes)\n",  # spread
        "from lib.model import Stack\nW = 8\nW = 16\nnet = Stack(W, [W])\n",  # a name bound twice
        "from lib.model import Stack\nnet = Stack(16)\n",  # a needed argument missing
        "from lib.model import Stack\nIN, OUT = sizes()\nnet = Stack(IN, [OUT])\n",  # computed, then unpacked
        "from lib.model import Stack\nnet = Stack(16, {[32]: 8})\n",  # a dict Python refuses
        "from lib.model import Stack\nnet = Stack(16, [2 ** 10 ** 9])\n",  # a number too large to compute
        "import pytest\nfrom lib.model import Stack\n\ndef test_bad():\n    with pytest.raises(ValueError):\n"
        "        Stack(-1, [])\n",  # written to fail
        "from lib.model import Stack\ntry:\n    Stack(0, [0])\nexcept Exception:\n    pass\n",
        "from other.model import Stack\nnet = Stack(16, [8])\n",  # another module of the same name
        "from lib.model import Stack as Other\nclass Stack:\n    pass\nnet = Stack(16, [8])\n",  # another class
    ]
    broken = "from lib.model import Stack\nnet = Stack(16, [8]\n"  # a module that does not parse
    for i, caller in enumerate([*look_alikes, broken]):
        files = {**PACKAGE, "train.py": caller, "other/__init__.py": "", "other/model.py": "class Stack:\n    pass\n"}
        assert found(tmp_path / str(i), files) == {}, caller


def test_a_model_built_as_the_project_builds_it_fails_at_its_line(torch_python, tmp_path):
    # the project builds it with 8 channels out for 16 in: the residual sum cannot add them
    root = project(tmp_path, {**PACKAGE, "train.py": "from lib.model import Stack\n\nnet = Stack(16, [32, 8])\n"})
    report = check(root / "lib" / "model.py", torch_python)
    assert report.status == "errors", report.message
    assert 16 in errors(report) and "must match the size of tensor b (16)" in errors(report)[16], report.diagnostics()
    assert any("as `train.py:3` builds it" in n for n in report.notes), report.notes


def test_the_same_model_running_every_layer_is_not_blamed(torch_python, tmp_path):
    root = project(tmp_path, {**PACKAGE, "train.py": "from lib.model import Stack\n\nnet = Stack(16, [32, 16])\n"})
    report = check(root / "lib" / "model.py", torch_python)
    assert not errors(report), report.diagnostics()
    assert any(c.get("status") == "ok" for c in report.calls), report.calls


def test_without_a_call_that_fixes_the_values_the_model_is_not_built(torch_python, tmp_path):
    caller = "import sys\nfrom lib.model import Stack\n\nnet = Stack(int(sys.argv[1]), [32, 8])\n"
    root = project(tmp_path, {**PACKAGE, "train.py": caller})
    report = check(root / "lib" / "model.py", torch_python)
    assert not errors(report), report.diagnostics()
    assert report.status == "could-not-check" and "needs `in_dim`, `widths`" in report.message, report.message


def tf1_project(root: Path, width: str, caller: str) -> Path:
    return project(root, {"block.py": TF1_BLOCK.format(width=width), "test_block.py": caller, "setup.py": ""})


CALLER = "from block import Attention\n\nUNITS = 8\n\n\ndef test_build():\n    Attention(UNITS, scope='att')\n"


def test_a_method_of_a_class_the_project_builds_reaches_a_line_that_always_fails(tf_python, tmp_path):
    report = check(tf1_project(tmp_path, "queries.get_shape().as_list[-1]", CALLER) / "block.py", tf_python)
    assert report.status == "errors", report.message
    assert 12 in errors(report) and "'method' object is not subscriptable" in errors(report)[12], report.diagnostics()
    assert next(v.verdict for v in report.findings if v.code == "TL108") == "confirmed"
    assert any("built as `test_block.py:7` builds it" in n for n in report.notes), report.notes


def test_the_same_method_calling_the_shape_method_is_not_run(tf_python, tmp_path):
    report = check(tf1_project(tmp_path, "queries.get_shape().as_list()[-1]", CALLER) / "block.py", tf_python)
    assert not errors(report), report.diagnostics()
    assert not any(c.get("probe") for c in report.calls), report.calls


def test_the_method_is_not_run_when_no_call_fixes_the_constructors_values(tf_python, tmp_path):
    caller = CALLER.replace("Attention(UNITS, scope='att')", "Attention(units, scope='att')").replace(
        "def test_build():", "def test_build(units):")
    report = check(tf1_project(tmp_path, "queries.get_shape().as_list[-1]", caller) / "block.py", tf_python)
    assert not errors(report), report.diagnostics()
    assert not any(c.get("probe") for c in report.calls), report.calls


# a Keras factory of a residual stack: its input's channels must be the last width
KERAS_FACTORY = """\
from tensorflow import keras
from tensorflow.keras import layers


def build(input_shape, widths):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for w in widths:
        x = layers.Conv2D(w, 3, padding="same", activation="relu")(x)
    x = layers.Add()([x, inputs])
    return keras.Model(inputs, x)
"""


def keras_project(root: Path, widths: str) -> Path:
    return project(root, {"nets.py": KERAS_FACTORY, "setup.py": "",
                          "examples/demo.py": f"from nets import build\n\nmodel = build((32, 32, 3), {widths})\n"})


def test_a_factory_built_with_the_projects_values_fails_at_its_line(tf_python, tmp_path):
    report = check(keras_project(tmp_path, "[16, 8]") / "nets.py", tf_python)
    assert report.status == "errors", report.message
    assert 10 in errors(report), report.diagnostics()
    assert any("built as `examples/demo.py:3` builds it, fails" in n for n in report.notes), report.notes


def test_the_same_factory_whose_widths_fit_runs_on_its_declared_input(tf_python, tmp_path):
    report = check(keras_project(tmp_path, "[16, 3]") / "nets.py", tf_python)
    assert not errors(report), report.diagnostics()
    assert any(c.get("status") == "ok" for c in report.calls), report.calls


def test_only_functions_that_make_a_model_are_built_from_the_projects_calls(tmp_path):
    library = KERAS_FACTORY + '''

def train(model, epochs):
    model.fit(x=None, epochs=epochs)
    return model


def read_table(path):
    return open(path).read()
'''
    caller = "from nets import build, read_table\n\nm = build((8, 8, 1), [1])\nt = read_table('data.csv')\n"
    got = found(tmp_path, {"nets.py": library, "setup.py": "", "demo.py": caller}, library="nets.py")
    assert set(got) == {"build"}, got
