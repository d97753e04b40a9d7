"""A value one of two things chosen by a setting, used where the same setting is tested again:
the file is walked once more for each answer of the setting (every tied test taken that way),
and a value finding of such a walk is reported with the answer it holds on. Tests that are not
tied (another setting, a parameter of the same name, a setting the file changes) are not."""
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.interp.flag_paths import flag_key, tied_flags
import libcst as cst

ALL = Config(select=("ALL",))

MODELS = textwrap.dedent("""
    import argparse
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    parser = argparse.ArgumentParser()
    parser.add_argument('--model', default='rnn')
    parser.add_argument('--deep', action='store_true')
    args = parser.parse_args()


    class Scores(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 5)

        def forward(self, x, h):
            return self.fc(x), h


    class LogProbs(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 5)

        def forward(self, x):
            return F.log_softmax(self.fc(x), dim=-1)


""")

CHOOSE = textwrap.dedent("""
    if {test}:
        model = LogProbs()
    else:
        model = Scores()
    criterion = nn.NLLLoss()
""")

TRAIN = textwrap.dedent("""

    def train():
        for step in range(10):
            x, y = torch.randn(4, 8), torch.randint(0, 5, (4,))
            if {test}:
                out = model(x)
            else:
                out, h = model(x, None)
            loss = criterion(out, y)
            loss.backward()


    for epoch in range(2):
        train()
""")


def _tl304(text):
    return [f for f in analyze(text, "<flag>", ALL).findings if f.code == "TL304"]


@pytest.mark.parametrize("choose, again", [
    ("args.model == 'transformer'", "args.model == 'transformer'"),
    ("args.model == 'transformer'", "not args.model != 'transformer'"),
    ('"transformer" == args.model', "args.model == 'transformer'"),
    ("args.deep", "args.deep"),
    ("not args.deep", "not args.deep"),
])
def test_the_answer_that_picks_raw_scores_is_judged(choose, again):
    found = _tl304(MODELS + CHOOSE.format(test=choose) + TRAIN.format(test=again))
    assert len(found) == 1
    assert "where `args." in found[0].message


def test_the_test_negated_in_the_other_branch_order():
    train = TRAIN.replace("out = model(x)\n        else:\n            out, h = model(x, None)",
                          "out, h = model(x, None)\n        else:\n            out = model(x)")
    found = _tl304(MODELS + CHOOSE.format(test="args.model == 'transformer'")
                   + train.format(test="args.model != 'transformer'"))
    assert [f.line for f in found] == [f.line for f in _tl304(MODELS + CHOOSE.format(test="args.model == 'transformer'")
                                                              + TRAIN.format(test="args.model == 'transformer'"))]


def test_both_models_give_log_probabilities():
    fixed = MODELS.replace("return self.fc(x), h", "return F.log_softmax(self.fc(x), dim=-1), h")
    assert _tl304(fixed + CHOOSE.format(test="args.model == 'rnn'") + TRAIN.format(test="args.model == 'rnn'")) == []


@pytest.mark.parametrize("again", [
    "args.model == 'lstm'",  # another answer: not the same question
    "args.deep",  # another setting
])
def test_tests_that_are_not_the_same_question(again):
    assert _tl304(MODELS + CHOOSE.format(test="args.model == 'transformer'") + TRAIN.format(test=again)) == []


def test_a_parameter_of_the_same_name_is_not_the_module_setting():
    train = TRAIN.replace("def train():", "def train(args):").replace("train()\n", "train(args)\n")
    assert _tl304(MODELS + CHOOSE.format(test="args.model == 'transformer'")
                  + train.format(test="args.model == 'transformer'")) == []


@pytest.mark.parametrize("change", [
    "args.model = 'transformer'\n",
    "setattr(args, 'model', 'transformer')\n",
    "vars(args)['model'] = 'transformer'\n",
    "args = parser.parse_args([])\n",
])
def test_a_setting_the_file_changes_is_not_tied(change):
    text = MODELS + CHOOSE.format(test="args.model == 'transformer'") + change + TRAIN.format(test="args.model == 'transformer'")
    assert _tl304(text) == []


def test_a_single_test_stays_joined():
    text = MODELS + CHOOSE.format(test="args.model == 'transformer'") + textwrap.dedent("""
        x, y = torch.randn(4, 8), torch.randint(0, 5, (4,))
        loss = criterion(model(x), y)
    """)
    assert _tl304(text) == []


def test_which_tests_are_tied():
    def keys(src):
        return tied_flags([cst.parse_module(src)], src)
    two = "args = f()\nif args.a == 1:\n    m = 1\nelse:\n    m = 2\nif args.a != 1:\n    pass\n"
    assert keys(two) == [(("args", "a"), ("int", "1"))]
    assert keys(two.replace("if args.a != 1", "if args.b != 1")) == []
    assert keys(two.replace("    m = 2", "    n = 2")) == []  # nothing chosen: no value differs by the answer
    assert keys(two + "def g():\n    global args\n    args = 3\n") == []
    assert keys(two + "for args in range(3):\n    pass\n") == []
    assert flag_key(cst.parse_expression("x.y.z is None"))[0] == (("x", "y", "z"), ("name", "None"))
    assert flag_key(cst.parse_expression("a.b < 3")) is None
    assert flag_key(cst.parse_expression("f(a) == 3")) is None
    assert flag_key(cst.parse_expression("a == b")) is None


def test_the_language_server_s_analysis_finds_the_same():
    from tensorlint.incremental import IncrementalAnalysis

    text = MODELS + CHOOSE.format(test="args.model == 'transformer'") + TRAIN.format(test="args.model == 'transformer'")
    inc = IncrementalAnalysis()
    first = [(f.code, f.line, f.message) for f in inc.analyze(text, "<flag>", ALL).findings if f.code == "TL304"]
    assert first == [(f.code, f.line, f.message) for f in _tl304(text)] and len(first) == 1
    edited = text.replace("for epoch in range(2):", "for epoch in range(3):")
    again = [(f.code, f.line) for f in inc.analyze(edited, "<flag>", ALL).findings if f.code == "TL304"]
    assert again == [(c, line) for c, line, _ in first]
    untied = edited.replace("criterion = nn.NLLLoss()", "criterion = nn.NLLLoss()\nargs.model = 'rnn'")
    assert [f for f in inc.analyze(untied, "<flag>", ALL).findings if f.code == "TL304"] == []
