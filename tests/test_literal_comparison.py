"""A comparison of literals the program wrote decides its branch.

`Attn('general', hidden)` builds `nn.Linear(hidden, hidden)` under `if method == 'general':` and
`nn.Linear(2 * hidden, hidden)` under `elif method == 'concat':` (spro/practical-pytorch's
seq2seq attention). With the string known, only the branch it selects runs, so the layer is the
one the program builds; a method the program does not fix (a command-line value) keeps the
comparison unknown."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

HEAD = """
import sys
import torch
import torch.nn as nn

class Attn(nn.Module):
    def __init__(self, method, hidden):
        super().__init__()
        self.method = method
        if {test_general}:
            self.attn = nn.Linear(hidden, hidden)
        elif {test_concat}:
            self.attn = nn.Linear(hidden * 2, hidden)

    def forward(self, x):
        return self.attn(x)
"""

TESTS = {
    "equal": ("self.method == 'general'", "self.method == 'concat'"),
    "not-equal": ("self.method != 'concat'", "self.method != 'general'"),
    "in-list": ("method in ['general', 'dot']", "method in ['concat']"),
    "in-tuple": ("method in ('general', 'dot')", "method not in ('general', 'dot')"),
    "chained": ("'general' == method == 'general'", "'concat' == method"),
}


def _codes(text: str) -> list:
    return [(f.code, f.line) for f in analyze(textwrap.dedent(text), "case.py", ALL).findings]


def _program(name: str, use: str) -> str:
    general, concat = TESTS[name]
    return HEAD.format(test_general=general, test_concat=concat) + use


@pytest.mark.parametrize("name", sorted(TESTS))
def test_selected_branch_builds_the_layer(name):
    # the 'general' layer takes 10 features: correct
    assert _codes(_program(name, "a = Attn('general', 10)\nout = a(torch.randn(1, 10))\n")) == []


@pytest.mark.parametrize("name", sorted(TESTS))
def test_other_branch_found(name):
    text = _program(name, "a = Attn('concat', 10)\nout = a(torch.randn(1, 10))\n")
    assert [c for c, _ in _codes(text)] == ["TL202"]


def test_each_instance_takes_its_own_branch():
    text = _program("equal", "a = Attn('general', 10)\nb = Attn('concat', 10)\nx = a(torch.randn(1, 10))\ny = b(torch.randn(1, 20))\n")
    assert _codes(text) == []


def test_comparison_of_unknown_value_stays_unknown():
    # the method comes from the command line: both branches may run; nothing decided for `a`
    text = _program("equal", "x = sys.argv[1] == 'general'\nassert x\n")
    assert _codes(text) == []


@pytest.mark.parametrize("expr, want", [
    ("'a' == 'a'", True), ("'a' == 'b'", False), ("'a' != 'b'", True), ("3 == 3", True),
    ("'x' in ['x', 'y']", True), ("'z' in ('x', 'y')", False), ("'z' not in ('x', 'y')", True), ("None == None", True),
])
def test_literal_comparisons_decide(expr, want):
    # a branch ruled out by the comparison is not analyzed: its bad call is not reported
    text = f"import torch\nimport torch.nn as nn\nif {expr}:\n    nn.Linear(4, 2)(torch.randn(3, 5))\nelse:\n    nn.Linear(5, 2)(torch.randn(3, 4))\n"
    codes = _codes(text)
    assert [line for _, line in codes] == ([4] if want else [6])
