"""TL110 float-layer-size, written the ways people write it: a bottleneck block ported from
Python 2 (`mid_planes = out_planes/4`), a head sized `hidden / 2` at the top level, sizes given
by keyword to Embedding and LSTM, a float literal. The look-alikes make an int of the
division, divide something that is not a size, or bind the name again. Each case marks its
expected findings with `# expect: TL110`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "bottleneck-ported-from-python-2": """
    import torch.nn as nn
    import torch.nn.functional as F

    class Bottleneck(nn.Module):
        def __init__(self, in_planes, out_planes, stride, groups):
            super(Bottleneck, self).__init__()
            self.stride = stride
            mid_planes = out_planes/4
            g = 1 if in_planes == 24 else groups
            self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1, groups=g, bias=False)  # expect: TL110
            self.bn1 = nn.BatchNorm2d(mid_planes)
            self.conv2 = nn.Conv2d(mid_planes, mid_planes, kernel_size=3, stride=stride, padding=1, groups=mid_planes, bias=False)
            self.bn2 = nn.BatchNorm2d(mid_planes)

        def forward(self, x):
            return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
    """,
    "head-sized-by-division": """
    import torch

    hidden = 256
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden / 2),  # expect: TL110
        torch.nn.ReLU(),
    )
    """,
    "keywords-of-embedding-and-lstm": """
    from torch import nn

    class Encoder(nn.Module):
        def __init__(self, vocab, dim):
            super().__init__()
            self.embed = nn.Embedding(num_embeddings=vocab, embedding_dim=dim / 2)  # expect: TL110
            half = dim / 2
            self.rnn = nn.LSTM(input_size=dim, hidden_size=half, batch_first=True)  # expect: TL110
    """,
    "float-literal": """
    import torch.nn as nn
    layer = nn.Linear(128, 64.)  # expect: TL110
    """,
    # two assignments on one line: the second name's division is found too
    "two-assignments-on-a-line": """
    import torch.nn as nn
    dim = 64; half = dim / 2
    layer = nn.Linear(dim, half)  # expect: TL110
    """,
    "ok-int-and-floor-division": """
    import math
    import torch.nn as nn

    class Bottleneck(nn.Module):
        def __init__(self, in_planes, out_planes):
            super().__init__()
            mid_planes = out_planes // 4
            wide = int(out_planes / 2)
            up = math.ceil(out_planes / 3)
            self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1)
            self.conv2 = nn.Conv2d(mid_planes, wide, kernel_size=1)
            self.conv3 = nn.Conv2d(wide, up, kernel_size=1)
    """,
    "ok-division-in-arguments-that-are-not-sizes": """
    import torch.nn as nn
    p = 0.5
    layer = nn.Sequential(nn.Linear(32, 16), nn.Dropout(p / 2), nn.BatchNorm1d(16, eps=1e-3 / 10, momentum=1 / 10))
    """,
    "ok-name-bound-again": """
    import torch.nn as nn

    def block(channels):
        mid = channels / 4
        mid = int(mid)
        return nn.Conv2d(channels, mid, 1)
    """,
    "ok-size-from-a-parameter": """
    import torch.nn as nn

    def head(features, classes):
        return nn.Linear(features, classes)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float_layer_size(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL110"}
    assert found == _expected(text)


def test_one_finding_per_float_with_the_floor_division_fix():
    text = textwrap.dedent(CASES["bottleneck-ported-from-python-2"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL110"]
    assert "out_channels of nn.Conv2d is mid_planes" in f.message and "(line 8)" in f.message
    assert [r.span.start.line for r in f.related] == [8]
    [edit] = f.fix.edits
    assert edit.content == "//" and edit.span.start.line == 8
