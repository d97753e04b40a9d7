"""A statement the replay leaves out because it prints or logs (`print(model(x).shape)`,
`logger.info(model(x))`) still holds the program's calls of its model: they run, on the
program's own input, and an error in them is the program's, at that line."""
from __future__ import annotations

from tensorlint.runtime.slicer import slice_source

from test_keras_subclass_build import SINGLE

TORCH = """\
import logging
import torch
import torch.nn as nn

model = nn.Linear(8, 2)
x = torch.randn(5, {width})
{line}
"""

# a subclassed Keras model whose call reshapes 8 values into `width`, called only inside a print
KERAS = SINGLE.format(width="{width}", build='import numpy as np\nprint(net(np.zeros((3, 5), "float32")).shape)')

WAYS = (
    "print(model(x).shape)",
    "print('out', model(x).sum().item())",
    "logging.info('out %s', model(x))",
)


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_the_slice_keeps_the_model_call_and_leaves_the_print_out():
    for line in WAYS:
        units = slice_source(TORCH.format(width=8, line=line)).units
        calls = [u for u in units if u.kind == "call"]
        assert [(c.line, c.call.text) for c in calls] == [(7, "model(x)")], line
        assert not any(u.code.startswith(("print", "logging")) for u in units), line
    # a print of plain values holds no call of a model: left out whole
    units = slice_source(TORCH.format(width=8, line="print(x.shape)")).units
    assert not [u for u in units if u.kind == "call"]


def test_a_shape_error_inside_a_print_is_the_programs(torch_python, text_check):
    for line in WAYS:
        report = text_check(TORCH.format(width=5, line=line))
        assert report.status == "errors", (line, report.message)
        assert [d.line for d in errors(report)] == [7], line
        fixed = text_check(TORCH.format(width=8, line=line))
        assert fixed.status == "ok", (line, fixed.message)
        assert fixed.call(7, "forward")["status"] == "ok"


def test_a_keras_model_called_only_inside_a_print_is_built_on_the_programs_data(tf_python, text_check):
    report = text_check(KERAS.format(width=8))
    assert report.status == "ok", report.message
    assert not any(c.get("synthesized_input") for c in report.calls), report.message
    report = text_check(KERAS.format(width=16))  # Reshape of 8 values into 16
    assert report.status == "errors", report.message
    assert 17 in {d.line for d in errors(report)}
