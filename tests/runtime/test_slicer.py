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
    assert sorted(lines) == [1, 2, 4, 6, 7, 11]
    assert lines[4].code == "model = nn.Linear(10, 2)"
    loop = lines[11]
    assert loop.kind == "loop" and loop.binding == "epoch"
    # inside the loop: the assignment the call needs, the forward call, the loss call; nothing after
    assert [(u.kind, u.line) for u in loop.body] == [("exec", 13), ("call", 14), ("call", 15)]
    assert loop.body[1].call.target == "out" and loop.body[1].call.func.code == "model"
    assert [a.code for a in loop.body[2].call.args] == ["out", "y"]
    # the optimizer, the unused tensor, print, backward, step, open and the __main__ body are gone
    assert not {5, 8, 9, 16, 17, 18, 20, 21} & set(sliced.kept_lines)


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
