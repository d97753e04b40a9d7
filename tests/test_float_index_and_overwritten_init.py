"""TL441 (a tensor indexed by a float tensor) and TL439 (an initialization overwritten before any
read), each written several ways, with the facts they rest on: `topk` and `argsort` give int64
positions, `/` of an integer tensor by an int of unknown value gives floats while `//`, `%`, `*`
and `torch.div(..., rounding_mode="floor")` keep integers."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def lines(code: str, text: str, path: str = "t.py") -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(text).lstrip("\n"), path, ALL).findings if f.code == code)


BEAM = """
import json
import torch
import torch.nn.functional as F
word_map = json.load(open("words.json"))
vocab_size = len(word_map)
scores = F.log_softmax(torch.randn(3, vocab_size), dim=1)
seqs = torch.zeros(3, 1, dtype=torch.long)
_, top = scores.view(-1).topk(3, 0, True, True)
prev = {division}
seqs = torch.cat([seqs[prev], (top % vocab_size).unsqueeze(1)], dim=1)
"""


@pytest.mark.parametrize("division, flagged", [
    ("top / vocab_size", [9]),
    ("top.div(vocab_size)", []),  # a method call: the finding is at the subscript
    ("top // vocab_size", []),
    ("torch.div(top, vocab_size, rounding_mode='floor')", []),
    ("torch.div(top, vocab_size, rounding_mode='trunc')", []),
    ("top.div(vocab_size, rounding_mode='floor')", []),
    ("(top / vocab_size).long()", []),
])
def test_beam_parent_index_through_a_vocabulary_size_of_unknown_value(division, flagged):
    found = lines("TL441", BEAM.format(division=division))
    if division == "top.div(vocab_size)":
        assert found == [10]
    else:
        assert found == flagged


def test_torch_topk_and_argsort_positions_are_integers():
    assert lines("TL441", """
        import torch
        x = torch.randn(10, 4)
        _, idx = torch.topk(x[:, 0], 3)
        order = torch.argsort(x[:, 1])
        a = x[idx]
        b = x[order]
        c = x[x[:, 2].argsort()]
    """) == []


def test_in_a_decode_function_nobody_calls():
    assert lines("TL441", """
        import torch
        import torch.nn.functional as F

        def decode(fc, h, k):
            seqs = torch.zeros(k, 1, dtype=torch.long)
            scores = F.log_softmax(fc(h), dim=1)
            vocab_size = scores.size(1)
            _, flat = scores.view(-1).topk(k)
            parents = flat / vocab_size
            return seqs[parents]

        layer = torch.nn.Linear(8, 30)
        out = decode(layer, torch.randn(2, 8), 2)
    """) == [9]


def test_index_made_float_by_a_cast_or_a_float_factor():
    assert lines("TL441", """
        import torch
        x = torch.randn(8, 3)
        i = torch.arange(4)
        a = x[i.float()]
        b = x[i * 1.5]
        c = x[i * 2]
        d = [1, 2, 3][torch.tensor(1.0)]
    """) == [4, 5, 7]


def test_unknown_operand_keeps_the_index_unknown():
    assert lines("TL441", """
        import torch

        def pick(x, idx, scale):
            return x[idx / scale], x[idx.float() if scale else idx]
    """) == []


def test_python2_program_is_not_judged():
    # PyTorch releases that ran Python 2 floored `/` of integer tensors
    assert lines("TL441", """
        import torch
        x = torch.randn(10, 4)
        _, idx = x.view(-1).topk(3)
        print "rows", x[idx / 4]
    """) == []


def test_through_a_helper_function_of_the_file():
    assert lines("TL441", """
        import torch

        def parents(flat, vocab_size):
            return flat / vocab_size

        scores = torch.randn(3, 40)
        seqs = torch.zeros(3, 2, dtype=torch.long)
        _, flat = scores.view(-1).topk(3)
        seqs = seqs[parents(flat, 40)]
    """) == [4]


INIT = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)
        self.reset()

    def reset(self):
        {first}
        {second}
"""


@pytest.mark.parametrize("first, second, flagged", [
    ("nn.init.zeros_(self.fc.weight)", "nn.init.normal_(self.fc.weight, std=0.02)", [10]),
    ("self.fc.weight.data.fill_(0.01)", "nn.init.xavier_uniform_(self.fc.weight)", [10]),
    ("nn.init.kaiming_normal_(self.fc.weight)", "self.fc.weight.data.copy_(nn.init.calculate_gain('relu') * 1.0 + 0 * 2)", []),
    ("nn.init.zeros_(self.fc.weight)", "nn.init.normal_(self.fc.bias, std=0.02)", []),
    ("nn.init.zeros_(self.fc.weight)", "self.fc.weight.data.mul_(0.5)", []),
    ("nn.init.zeros_(self.fc.weight)", "nn.init.constant_(self.fc.weight, self.fc.weight.mean())", []),
])
def test_two_writes_of_one_tensor_in_a_method(first, second, flagged):
    found = lines("TL439", INIT.format(first=first, second=second))
    if first.startswith("nn.init.kaiming") and "copy_" in second:
        assert found == [10]  # copy_ of a value that cannot read the weight overwrites it
    else:
        assert found == flagged


def test_module_level_writes_in_separate_statements_stay_silent():
    # top-level statements are separate chunks: the rule judges writes inside one block only
    assert lines("TL439", """
        import torch
        import torch.nn as nn
        w = torch.empty(3, 3)
        nn.init.zeros_(w)
        nn.init.normal_(w)
    """) == []


def test_a_write_in_a_loop_over_modules_and_one_under_a_branch():
    assert lines("TL439", """
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))

        def init(net, zero_last):
            for m in net.modules():
                if isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.zeros_(m.bias)
                    nn.init.orthogonal_(m.weight)
            if zero_last:
                nn.init.zeros_(net[2].weight)
            nn.init.normal_(net[2].bias)
    """) == [7]
