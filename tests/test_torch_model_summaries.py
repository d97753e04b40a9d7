"""`torchsummary.summary(model, (C, H, W))` and `torchinfo.summary(model, input_size=(N, C, H, W))`
run the model once on a random input of that size: the forward pass they run is checked as
any call of the model is. torchsummary's size leaves the batch axis out (it draws a batch of
2), torchinfo's includes it."""
from __future__ import annotations

import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

NET = """\
import torch
import torch.nn as nn
{imp}

class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.out = nn.Linear({features}, 10)

    def forward(self, x):
        x = self.conv(x)
        x = x.view(x.size(0), -1)
        return self.out(x)

model = CNN()
{call}
"""


def _findings(imp: str, call: str, features: str) -> list:
    text = NET.format(imp=imp, call=call, features=features)
    return [(f.code, f.message) for f in analyze(textwrap.dedent(text), "net.py", ALL).findings]


def test_torchsummary_input_without_batch_axis():
    got = _findings("from torchsummary import summary", "summary(model, (1, 28, 28))", "1050")
    assert [c for c, _ in got] == ["TL202"]
    assert "[2, 1568]" in got[0][1]


def test_torchsummary_keyword_and_module_spelling():
    got = _findings("import torchsummary", "torchsummary.summary(model, input_size=[1, 28, 28], device='cpu')", "1050")
    assert [c for c, _ in got] == ["TL202"]


def test_torchinfo_input_with_batch_axis():
    got = _findings("from torchinfo import summary", "summary(model, input_size=(16, 1, 28, 28))", "1050")
    assert [c for c, _ in got] == ["TL202"]
    assert "[16, 1568]" in got[0][1]


def test_matching_sizes_stay_silent():
    assert _findings("from torchsummary import summary", "summary(model, (1, 28, 28))", "32 * 7 * 7") == []
    assert _findings("from torchinfo import summary", "summary(model, (64, 1, 28, 28))", "32 * 7 * 7") == []


def test_unknown_or_multiple_sizes_stay_silent():
    assert _findings("from torchsummary import summary", "summary(model, SIZE)", "1050") == []
    assert _findings("from torchsummary import summary", "summary(model, [(1, 28, 28), (1, 28, 28)])", "1050") == []
    assert _findings("from torchinfo import summary", "summary(model)", "1050") == []


def test_a_summary_of_the_programs_own_is_not_torchsummary():
    own = "def summary(model, size):\n    return None"
    assert _findings(own, "summary(model, (1, 28, 28))", "1050") == []
