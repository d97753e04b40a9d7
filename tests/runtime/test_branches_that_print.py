"""An `if` that prints besides binding the model (`if args.pretrained: print("=> using a pretrained
model"); model = ...`) is replayed whole: printing changes nothing the model needs, so the model the
program builds is checked, not left "partly made". A branch that writes a file stays left out."""
from __future__ import annotations

import pytest

PROGRAM = """\
from pprint import pprint
import torch
from torch import nn

pretrained = False
{branch}
out = model(torch.randn(4, 8))
"""

BRANCHES = [
    'if pretrained:\n    print("=> pretrained")\n    model = nn.Linear(8, 2)\nelse:\n    print("=> new")\n    model = nn.Linear({width}, 2)',
    'if pretrained:\n    model = nn.Linear(8, 2)\nelif not pretrained:\n    pprint({{"new": True}})\n    model = nn.Linear({width}, 2)',
    'model = None\nif not pretrained:\n    model = nn.Sequential(nn.Linear({width}, 4), nn.ReLU(), nn.Linear(4, 2))\n    print(model)',
]


@pytest.mark.parametrize("branch", BRANCHES)
def test_the_model_a_printing_branch_builds_is_checked(torch_python, text_check, branch):
    bad = text_check(PROGRAM.format(branch=branch.format(width=6)))
    assert bad.status == "errors", bad.message
    line = PROGRAM.format(branch=branch.format(width=6)).splitlines().index("out = model(torch.randn(4, 8))") + 1
    assert line in [d.line for d in bad.diagnostics() if d.severity == "error"], bad.message
    good = text_check(PROGRAM.format(branch=branch.format(width=8)))
    assert good.status == "ok", good.message


def test_a_branch_that_writes_a_file_stays_left_out(torch_python, text_check):
    branch = 'if not pretrained:\n    model = nn.Linear(6, 2)\n    open("log.txt", "w").write("new")'
    report = text_check(PROGRAM.format(branch=branch))
    assert report.status == "could-not-check", report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"], report.message
