"""`torch.cat` and `torch.stack` take NumPy's `axis=` as an alias of `dim=`: a join along
`axis=1` is a join along dim 1, never the default dim 0 (a real model's
`torch.cat([P4, P5_upsample], axis=1)` was read as a join over the batch)."""
from __future__ import annotations

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str):
    return [(f.code, f.line) for f in analyze(text, "case.py", ALL).findings]


def test_axis_is_the_joined_dim():
    assert _codes("import torch\na = torch.zeros(2, 3)\nb = torch.cat([a, torch.zeros(2, 4)], axis=1)\n"
                  "c = torch.stack([a, a], axis=2)\n") == []
    # the layer after the join sees the channels both parts give
    assert _codes("import torch\nimport torch.nn as nn\nx = torch.randn(4, 8, 5, 5)\n"
                  "y = torch.cat([x, x], axis=1)\nnn.Conv2d(16, 4, 1)(y)\n") == []


def test_axis_mismatch_is_still_found():
    assert ("TL211", 3) in _codes("import torch\na = torch.zeros(2, 3)\nb = torch.cat([a, torch.zeros(2, 4)], axis=0)\n")
    assert ("TL201", 5) in _codes("import torch\nimport torch.nn as nn\nx = torch.randn(4, 8, 5, 5)\n"
                                  "y = torch.cat([x, x], axis=1)\nnn.Conv2d(8, 4, 1)(y)\n")
