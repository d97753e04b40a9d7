"""What the slice keeps and leaves out (no subprocess, no framework needed)."""
from __future__ import annotations

import pytest

from tensorlint.runtime import parse_shape
from tensorlint.runtime.slicer import slice_source

TRAIN = """\
import torch
import torch.nn as nn

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 10)
y = torch.randint(0, 2, (8,))
unused = torch.randn(1000, 1000)
print(model)

for epoch in range(3):
    optimizer.zero_grad()
    scaled = x * 2
    out = model(scaled)
    loss = nn.functional.cross_entropy(out, y)
    loss.backward()
    optimizer.step()
    log = open("log.txt", "w")

if __name__ == "__main__":
    model(x)
"""


def units_by_line(sliced):
    return {u.line: u for u in sliced.units}


def test_slice_keeps_model_and_inputs_and_drops_training_statements():
    sliced = slice_source(TRAIN)
    assert sliced.frameworks == ["torch"]
    lines = units_by_line(sliced)
    assert sorted(lines) == [1, 2, 4, 6, 7, 11, 21]
    assert lines[4].code == "model = nn.Linear(10, 2)"
    loop = lines[11]
    assert loop.kind == "loop" and loop.binding == "epoch"
    # inside the loop: the assignment the call needs, the forward call, the loss call; nothing after
    assert [(u.kind, u.line) for u in loop.body] == [("exec", 13), ("call", 14), ("call", 15)]
    assert loop.body[1].call.target == "out" and loop.body[1].call.func.code == "model"
    assert [a.code for a in loop.body[2].call.args] == ["out", "y"]
    # the optimizer, the unused tensor, print, backward, step and open are gone
    assert not {5, 8, 9, 16, 17, 18} & set(sliced.kept_lines)
    # the __main__ body is the script's entry: its model call is a call site
    assert lines[21].kind == "call" and lines[21].call.func.code == "model"


def test_try_bodies_become_call_sites_and_handlers_are_dropped():
    text = "import torch\nm = torch.nn.Linear(2, 2)\ntry:\n    out = m(torch.zeros(1, 3))\nexcept RuntimeError as e:\n    print(e)\n"
    sliced = slice_source(text)
    call = units_by_line(sliced)[4]
    assert call.kind == "call" and call.call.text == "m(torch.zeros(1, 3))"
    assert 6 not in sliced.kept_lines


def test_multiline_statements_keep_their_first_line_and_dedent():
    text = "import keras\ntry:\n    model = keras.Sequential([\n        keras.layers.Dense(2),\n    ])\nexcept Exception:\n    pass\nmodel.fit(\n    x, y)\n"
    sliced = slice_source(text)
    lines = units_by_line(sliced)
    assert lines[3].code.splitlines()[0] == "model = keras.Sequential(["
    assert lines[3].code.splitlines()[1] == "    keras.layers.Dense(2),"
    assert lines[8].call.method == "fit"


def test_setup_loops_are_replayed_and_training_loops_are_not():
    text = (
        "import torch.nn as nn\nlayers = []\nfor i in range(3):\n    layers.append(nn.Linear(4, 4))\n"
        "model = nn.Sequential(*layers)\nfor i in range(3):\n    print(i)\n"
    )
    sliced = slice_source(text)
    lines = units_by_line(sliced)
    assert lines[3].kind == "exec" and "layers.append" in lines[3].code
    assert 6 not in lines


def test_syntax_error_is_reported_not_raised():
    sliced = slice_source("import torch\ndef f(:\n")
    assert sliced.error and "line 2" in sliced.error


@pytest.mark.parametrize(
    "spec, expected",
    [("1,3,224,224", ([1, 3, 224, 224], None)), ("8x128:int64", ([8, 128], "int64")), ("(2, 5)", ([2, 5], None))],
)
def test_parse_shape(spec, expected):
    assert parse_shape(spec) == expected


def test_parse_shape_rejects_garbage():
    with pytest.raises(ValueError):
        parse_shape("a,b")


SIDE_EFFECTS = """\
import os, shutil, subprocess, sys, time
import os.path as osp
import numpy as np
import torch
import torch.nn as nn
from pathlib import Path

sys.path.insert(0, osp.join(osp.dirname(__file__), "src"))
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
np.random.seed(0)
torch.set_default_dtype(torch.float32)
OUT = Path("runs")
for i in range(3):
    (OUT / f"epoch{i}.txt").write_text("x")
while True:
    pass
n = 0
while n < 10:
    n += 1
os.system("touch marker")
os.fork()
shutil.rmtree("data")
subprocess.Popen(["sleep", "100"])
time.sleep(100)
print("hello")
layers = []
for i in range(2):
    layers.append(nn.Linear(4, 4))
model = nn.Sequential(*layers)
for p in model[0].parameters():
    p.requires_grad = False
width = 4
while width < 4:
    width *= 2
x = torch.randn(2, width)
y = model(x)
"""


def test_statements_that_build_nothing_the_model_needs_are_not_replayed():
    sliced = slice_source(SIDE_EFFECTS)
    kept = {u.line for u in sliced.units}
    lines = SIDE_EFFECTS.splitlines()

    def line(prefix):
        return next(i for i, text in enumerate(lines, 1) if text.startswith(prefix))

    # side effects and loops that compute nothing the model reads
    for dropped in ("for i in range(3):", "while True:", "while n < 10:", "os.system", "os.fork", "shutil.rmtree",
                    "subprocess.Popen", "time.sleep", "print("):
        assert line(dropped) not in kept, dropped
    # what builds the model, its input and the interpreter state they depend on
    for needed in ("sys.path.insert", "os.environ[", "np.random.seed", "torch.set_default_dtype", "layers = []",
                   "for i in range(2):", "model = ", "for p in model[0]", "width = 4", "while width < 4:", "x = ", "y = "):
        assert line(needed) in kept, needed


FILE_WITH_SIDE_EFFECTS = """\
import os
import shutil
import subprocess
import torch
import torch.nn as nn
from pathlib import Path

HERE = Path(__file__).parent
for epoch in range(3):
    (HERE / f"loop{{epoch}}.txt").write_text("the loop ran")
while True:
    pass
os.system("touch " + str(HERE / "system.txt"))
shutil.rmtree(HERE / "keep")
subprocess.run(["touch", str(HERE / "run.txt")])
print("printed at module level")
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
out = model(torch.randn(5, 4))
"""


def test_side_effects_at_module_level_never_happen_and_the_model_still_runs(torch_python, text_check, tmp_path):
    (tmp_path / "keep").mkdir()
    # the process-tree mode lets the file write: a replayed side effect would leave its mark
    report = text_check(FILE_WITH_SIDE_EFFECTS.format(), sandbox="process-tree", device="cpu", static=False, timeout=60)
    assert report.status == "ok", report.message
    assert report.call(18, "forward")["output"]["shape"] == [5, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep", "user.py"]
    assert "printed" not in report.output


def test_files_are_opened_for_reading_only_and_graph_contexts_are_entered():
    text = (
        "import torch\nimport tensorflow as tf\n"
        "with open('data.txt') as f:\n    rows = f.read()\n"
        "with open('log.txt', 'w') as log:\n    width = 4\n"
        "with tf.Session() as sess:\n    m = torch.nn.Linear(width, len(rows))\n    out = m(torch.zeros(1, width))\n"
    )
    units = slice_source(text).units
    codes = [u.code for u in units]
    assert any("open('data.txt')" in c and "f = " in c for c in codes)
    assert not any("open('log.txt', 'w')" in c for c in codes)
    assert any("tf.Session()" in c and "sess = " in c for c in codes)


BRANCHES = """\
import argparse
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", default="small")
args = parser.parse_args()
cfg = {{}}
sizes = []
if args.dataset == "small":
    {change}
elif args.dataset == "big":
    {change_big}
if args.dataset == "small":
    shown = {{"verbose": True}}
model = nn.Linear({width}, 2)
"""


def test_an_if_that_changes_what_the_model_reads_in_place_is_kept():
    for change, change_big, width in (("args.width = 4", "args.width = 8", "args.width"),
                                      ("cfg['width'] = 4", "cfg['width'] = 8", "cfg['width']"),
                                      ("sizes.append(4)", "sizes.append(8)", "sizes[0]")):
        sliced = slice_source(BRANCHES.format(change=change, change_big=change_big, width=width))
        assert 9 in sliced.kept_lines and 12 in sliced.kept_lines, change
        # an if that changes only what nothing kept reads stays out
        assert 13 not in sliced.kept_lines, change


# A function that walks a model's children and calls itself on each, inside its loop: the slice
# follows it once; the loop met again inside its own body is left out, never followed forever.
RECURSIVE_WALK = """\
import torch
import torch.nn as nn


class Scaled(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return 0.5 * self.inner(x)


def wrap_linears(module):
    for name, child in module.named_children():
        if isinstance(child, nn.Linear):
            setattr(module, name, Scaled(child))
        else:
            wrap_linears(child)


model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Sequential(nn.Linear(16, 3)))
wrap_linears(model)
out = model(torch.randn(4, 6))
"""

MUTUAL_WALK = """\
import torch
import torch.nn as nn


def visit(module):
    while module is not None:
        descend(module)
        module = None


def descend(module):
    for child in module.children():
        child.register_buffer("seen", torch.zeros(1)) if isinstance(child, nn.Linear) else None
        visit(child)
        layer = nn.Linear(2, 2)


net = nn.Sequential(nn.Linear(3, 5), nn.Tanh())
visit(net)
y = net(torch.randn(2, 3))
"""


@pytest.mark.parametrize("text", [RECURSIVE_WALK, MUTUAL_WALK], ids=["self", "mutual"])
def test_a_function_that_calls_itself_in_its_loop_is_followed_once(text):
    sliced = slice_source(text)
    assert sliced.error is None
    assert sliced.call_count() == 1
    loops = [u for u in sliced.units if u.kind == "loop"]
    assert [u.line for u in loops] == ([15] if text is RECURSIVE_WALK else [6])


def test_a_recursive_walk_that_wraps_layers_still_runs_the_model(torch_python, text_check):
    report = text_check(RECURSIVE_WALK, device="cpu", static=False, timeout=120)
    assert report.status == "ok", report.message
    assert report.call(24, "forward")["output"]["shape"] == [4, 3]
