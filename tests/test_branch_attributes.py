"""An attribute of `self` set in both branches of a test the program does not decide holds
either value afterwards, as a name does: `self.attn = nn.Linear(h, h)` under one branch and
`nn.Linear(2 * h, h)` under the other is not the layer of the branch that happened to run last.
Only what both branches agree on, or what the program decides, reaches a finding."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def codes(src: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.start.line) for f in analyze(textwrap.dedent(src), "m.py", ALL).findings]


# three ways to write a branch whose test the file does not decide
UNDECIDED = {
    "if-else": """
        if method in ('general', 'dot'):
            self.attn = nn.Linear(hidden, hidden)
        else:
            self.attn = nn.Linear(hidden * 2, hidden)
    """,
    "elif": """
        if method == 'general':
            self.attn = nn.Linear(hidden, hidden)
        elif method == 'concat':
            self.attn = nn.Linear(hidden * 2, hidden)
        else:
            self.attn = nn.Linear(hidden * 3, hidden)
    """,
    "flag": """
        self.attn = nn.Linear(hidden, hidden)
        if wide:
            self.attn = nn.Linear(hidden * 2, hidden)
    """,
}


def program(init: str, make: str, forward: str = "self.attn(x)", x: str = "(1, 10)") -> str:
    """A module whose `__init__` runs `init` after `super().__init__()`, built by `make` and
    called on a tensor of shape `x`."""
    return (
        "import sys\nimport torch\nimport torch.nn as nn\n\n"
        "class Attn(nn.Module):\n"
        "    def __init__(self, method, hidden, wide=False):\n"
        "        super().__init__()\n"
        + textwrap.indent(textwrap.dedent(init).strip("\n"), "        ") + "\n\n"
        "    def forward(self, x):\n"
        f"        return {forward}\n\n\n"
        f"a = {make}\n"
        f"out = a(torch.randn{x})\n"
    )


@pytest.mark.parametrize("name", sorted(UNDECIDED))
def test_an_undecided_branch_does_not_pick_the_last_layer(name):
    # method and wide come from the command line: either layer may be the one built
    src = program(UNDECIDED[name], "Attn(sys.argv[1], 10, wide=len(sys.argv) > 2)")
    assert [c for c in codes(src) if c[0] == "TL202"] == []


def test_a_branch_the_program_decides_still_gives_its_layer():
    # 'concat' is written in the file: the wider layer is built, and a [1, 10] input is wrong
    src = program(UNDECIDED["elif"], "Attn('concat', 10)")
    assert "TL202" in [code for code, _ in codes(src)]


def test_both_branches_agreeing_on_the_input_size_still_report():
    src = program("""
        self.fc = nn.Linear(20, 2)
        if wide:
            self.drop = nn.Dropout(0.5)
        else:
            self.drop = nn.Dropout(0.1)
    """, "Attn('a', 10, wide=len(sys.argv) > 1)", forward="self.fc(self.drop(x))", x="(4, 10)")
    # the branches differ in the dropout's rate only: it passes its input on as either does,
    # and the Linear after it is fed 10 features
    assert "TL202" in [code for code, _ in codes(src)]


def test_a_branch_that_returns_leaves_the_other_ones_attributes():
    src = program("""
        self.fc = nn.Linear(10, 2)
        if wide:
            self.fc = nn.Linear(30, 2)
            return
        self.out = nn.Identity()
    """, "Attn('a', 10, wide=len(sys.argv) > 1)", forward="self.fc(x)", x="(4, 30)")
    # after the `if`, only the path that did not return goes on: fc is Linear(10, 2) there
    assert "TL202" in [code for code, _ in codes(src)]


def test_layers_agreeing_on_the_input_size_keep_it():
    # either Linear takes 20 features: whichever is built, a [1, 10] input is wrong
    src = program("""
        if method == 'small':
            self.attn = nn.Linear(20, 5)
        else:
            self.attn = nn.Linear(20, 50)
    """, "Attn(sys.argv[1], 10)")
    assert "TL202" in [code for code, _ in codes(src)]
