"""Hover values of a function whose callers change with an edit made elsewhere.

A function nobody calls runs with unknown arguments and reads the module's names as they are at
the end of the file; one the program calls reads them as they were at its last call. An edit in
the calling code (a rebinding, a deleted or added call) changes which applies, so the values in
the function's body change although its chunk's text did not: the incremental analysis must
give what a full analysis gives."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))

METHOD = """import torch
import torch.nn as nn

act = torch.relu


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        h = self.fc(x)
        y = act(h)
        return y


model = Net()
CALL
act = torch.sigmoid
"""

FUNCTION = """import torch

act = torch.relu


def step(x):
    h = x * 2
    y = act(h)
    return y


CALL
act = torch.sigmoid
"""

# the chunk that calls, then edits of it that leave the function uncalled
METHOD_CALLS = {
    "called": "out = model(torch.randn(2, 4))\n",
    "rebound before the call": "model = nn.Linear(4, 3)\nout = model(torch.randn(2, 4))\n",
    "call deleted": "\n",
    "call in a loop": "for _ in range(2):\n    out = model(torch.randn(2, 4))\n",
    "call commented out": "# out = model(torch.randn(2, 4))\n",
}
FUNCTION_CALLS = {
    "called": "z = step(torch.randn(3, 4))\n",
    "rebound before the call": "step = torch.tanh\nz = step(torch.randn(3, 4))\n",
    "call deleted": "z = None\n",
    "called in a function": "def main():\n    return step(torch.randn(3, 4))\n\n\nmain()\n",
    "call guarded out": "if False:\n    pass\n",
}


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _sequence(template, calls, order):
    return [template.replace("CALL\n", calls[name]) for name in order]


def _check(texts):
    inc = IncrementalAnalysis()
    seen = set()
    for text in texts:
        full = analyze(text, "m.py", CONFIG, collect_values=True)
        assert _key(inc.analyze(text, "m.py", CONFIG)) == _key(full)
        seen.add(tuple(_key(full)[1]))
    return seen


@pytest.mark.parametrize("template,calls", [(METHOD, METHOD_CALLS), (FUNCTION, FUNCTION_CALLS)],
                         ids=["method", "function"])
@pytest.mark.parametrize("edit", range(1, 5))
def test_a_called_function_made_uncalled_and_called_again(template, calls, edit):
    names = list(calls)
    texts = _sequence(template, calls, ["called", names[edit], "called"])
    seen = _check(texts)
    # the edit changes what the body's hovers say (else the case tests nothing)
    assert len(seen) == 2


@pytest.mark.parametrize("template,calls", [(METHOD, METHOD_CALLS), (FUNCTION, FUNCTION_CALLS)],
                         ids=["method", "function"])
def test_an_uncalled_function_made_called(template, calls):
    names = list(calls)
    _check(_sequence(template, calls, [names[2], "called", names[4], names[1], "called", names[3]]))


def test_values_in_the_body_follow_the_call():
    # what a user sees: the body's hover carries the shape of the call's argument only while called
    inc = IncrementalAnalysis()
    texts = _sequence(FUNCTION, FUNCTION_CALLS, ["called", "call deleted", "called"])
    line = FUNCTION.splitlines().index("    y = act(h)") + 1
    hovers = []
    for text in texts:
        got = inc.analyze(text, "m.py", CONFIG)
        hovers.append(sorted(v.text for v in got.values if v.span.start.line == line))
    assert "Tensor[3, 4] float32" in hovers[0] and "Tensor[3, 4] float32" in hovers[2]
    assert "Tensor[3, 4] float32" not in hovers[1]
