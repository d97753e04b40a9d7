"""TL438: `copy.copy` of a torch module, whose copy shares every parameter with the original.
Written several ways (a class attribute, a module-level name read in a function, a train()
nobody calls, moved to a device, an alias of the copy module); the look-alikes copy what is not
a module or what the file does not fix."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL438",))

NET = """
import copy
import torch
import torch.nn as nn

class QNet(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.fc = nn.Linear(n, 2)

    def forward(self, x):
        return self.fc(x)
"""


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src), "train.py", ONLY).findings)


BUGS = {
    "attribute-moved-to-device": (NET + """
class Agent:
    def __init__(self, device):
        self.q = QNet().to(device)
        self.q_target = copy.copy(self.q)
""", [17]),
    "module-name-read-in-uncalled-train": (NET + """
online = QNet(8)

def train(steps):
    target = copy.copy(online)
    for _ in range(steps):
        pass
    return target
""", [17]),
    "alias-and-subclass-of-a-file-class": (NET + """
from copy import copy as shallow

class DuelingQNet(QNet):
    pass

def build():
    net = DuelingQNet()
    net = net.cuda()
    return net, shallow(net)
""", [22]),
    "torchvision-style-container": ("""
import copy
import torch.nn as nn

encoder = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
momentum_encoder = copy.copy(encoder)
""", [6]),
}

OK = {
    "deepcopy": NET + "\nq = QNet()\nq_target = copy.deepcopy(q)\n",
    "copy-of-a-parameter-or-state-dict": NET + """
def snapshot(model):
    return copy.copy(model)

q = QNet()
weights = copy.copy(q.state_dict())
head = copy.copy(q.fc.weight)
""",
    "class-not-derived-from-module": """
import copy
import torch

class Buffer:
    def __init__(self):
        self.items = []

buf = Buffer()
old = copy.copy(buf)
""",
    "copy-module-shadowed": NET + """
def copy_of(x):
    return x

q = QNet()
other = copy_of(q)
""",
    "rebound-from-a-parameter": NET + """
def make(pretrained=None):
    net = QNet()
    if pretrained is not None:
        net = pretrained
    return copy.copy(net)
""",
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_shallow_copy_of_a_module_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(OK))
def test_lookalikes_stay_silent(name):
    assert _lines(OK[name]) == []


def test_message_names_the_module_and_the_fix():
    result = analyze(textwrap.dedent(BUGS["attribute-moved-to-device"][0]), "train.py", ONLY)
    (finding,) = result.findings
    assert "QNet module built at line 16" in finding.message and "deepcopy" in finding.message
    assert finding.fix is not None and "copy.deepcopy" in finding.fix.edits[0].content
