"""TL224: a module of the file called with arguments its forward() cannot take. Written several
ways (an attribute moved to the GPU, a module-level name read in a function, a class built and
called at once, an inherited forward, a keyword forward lacks); the look-alikes take the
arguments through defaults, *args or **kwargs, or are not modules whose forward the file fixes."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL224",))

CRITIC = """
import torch
import torch.nn as nn

class Critic(nn.Module):
    def __init__(self, s, a):
        super().__init__()
        self.l1 = nn.Linear(s + a, 1)

    def forward(self, x, u):
        return self.l1(torch.cat([x, u], 1))
"""


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src), "train.py", ONLY).findings)


BUGS = {
    "list-of-inputs-to-attribute": (CRITIC + """
class DDPG(object):
    def __init__(self):
        self.critic = Critic(3, 1)
        if torch.cuda.is_available():
            self.critic = self.critic.cuda()

    def train(self, state, action):
        return self.critic([state, action])
""", [20]),
    "extra-input-to-name-in-uncalled-function": (CRITIC + """
critic = Critic(3, 1)

def evaluate(s, a, mask):
    return critic(s, a, mask)
""", [16]),
    "inherited-forward-and-stray-keyword": (CRITIC + """
class TwinCritic(Critic):
    pass

def step(s, a):
    twin = TwinCritic(3, 1)
    return twin(s, a, training=True), TwinCritic(3, 1)(s)
""", [18, 18]),
}

OK = {
    "right-arguments": CRITIC + "\ncritic = Critic(3, 1)\nq = critic(torch.zeros(2, 3), torch.zeros(2, 1))\n",
    "defaults-star-args-kwargs": """
import torch.nn as nn

class Enc(nn.Module):
    def forward(self, x, mask=None, *rest, **options):
        return x

enc = Enc()
a = enc(1)
b = enc(1, 2, 3, 4, anything=True)
""",
    "star-argument-at-the-call": CRITIC + "\ncritic = Critic(3, 1)\ninputs = (1, 2)\nq = critic(*inputs)\n",
    "own-call-method": """
import torch.nn as nn

class Pair(nn.Module):
    def forward(self, x, y):
        return x + y

    def __call__(self, pair):
        return self.forward(*pair)

p = Pair()
out = p([1, 2])
""",
    "torch-base-class-forward": """
import torch.nn as nn

class Wide(nn.Linear):
    pass

w = Wide(3, 4)
out = w(1)
""",
    "not-a-module": """
import torch

class Scorer:
    def forward(self, x, y):
        return x

s = Scorer()
out = s([1, 2])
""",
    "decorated-forward": """
import torch
import torch.nn as nn

class Net(nn.Module):
    @torch.jit.ignore
    def forward(self, x, y):
        return x

net = Net()
out = net([1, 2])
""",
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_call_that_forward_cannot_take_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(OK))
def test_lookalikes_stay_silent(name):
    assert _lines(OK[name]) == []
