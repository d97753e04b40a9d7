"""TL112 int-option-fractional-default, written the ways training scripts declare options: at
module level, in a `get_args()` helper, on an argument group, with the keywords in either order,
with a negative or a leading-dot default. The analyzer reads files of a deep-learning framework only, so each case imports torch. The look-alikes: whole numbers written as floats,
string defaults (argparse converts them), float options, options without a type. Each case marks
its expected findings with `# expect: TL112`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "module-level-and-group": """
    import argparse
    import torch

    parser = argparse.ArgumentParser(description='ViT')
    parser.add_argument('--lr', type=int, default=1e-2,  # expect: TL112
                        help='base learning rate (default : 0.01)')
    group = parser.add_argument_group('regularization')
    group.add_argument('--weight-decay', type=int, default=3e-2)  # expect: TL112
    parser.add_argument('--epochs', type=int, default=10)
    args = parser.parse_args()
    """,
    "helper-keyword-orders": """
    from argparse import ArgumentParser
    import torch

    def get_args(argv=None):
        p = ArgumentParser()
        p.add_argument('--momentum', default=.9, type=int)  # expect: TL112
        p.add_argument('--shift', type=int, default=-0.25)  # expect: TL112
        p.add_argument('--seed', type=int, default=1)
        return p.parse_args(argv)
    """,
    "ok-whole-strings-floats-untyped": """
    import argparse
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument('--epochs', type=int, default=10.0)
    parser.add_argument('--size', type=int, default='3')
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--decay', default=0.5)
    parser.add_argument('--steps', type=int, default=1e3)
    args = parser.parse_args()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_int_option_fractional_default(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL112"}
    assert found == _expected(text)


def test_fix_parses_the_option_as_float():
    text = "import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument('--lr', type=int, default=1e-2)\n"
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL112"]
    assert "--lr" in f.message and "0.01" in f.message
    [edit] = f.fix.edits
    assert edit.content == "float" and (edit.span.start.line, edit.span.start.column) == (4, 28)
