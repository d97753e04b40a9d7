"""False positives found by judging every finding on repositories added to the real-script corpus
(bench/precision_real.md: RL agents, a Kaggle solution, research notebooks), each kept as
correct code written several ways that must stay silent (`ok-` cases), next to a look-alike
with the real bug that must still be found (`# expect: CODE`). Only the codes in CODES are
compared; every other line must stay silent for them."""
from __future__ import annotations

import textwrap

import pytest

from test_rules_gradients import _analyze
from test_variants import _expected

CODES = {"TL210"}

_AGENT = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.optim as optim

"""

_MC = _AGENT + """
    net = nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Dropout(0.5), nn.Linear(30, 10))
    opt = optim.SGD(net.parameters(), lr=0.1)
    images = [torch.randn(16, 784) for _ in range(4)]
"""

CASES = {
    # -- TL210: `*shape` of unknown length says nothing of the rank --------------------------
    "ok-210-feature-size-probe-with-observation-shape": _AGENT + """
    class CnnDQN(nn.Module):
        def __init__(self, input_shape, num_actions):
            super().__init__()
            self.input_shape = input_shape
            self.features = nn.Sequential(nn.Conv2d(input_shape[0], 32, 8, stride=4), nn.ReLU())
            self.fc = nn.Linear(self.feature_size(), num_actions)

        def feature_size(self):
            return self.features(torch.zeros(1, *self.input_shape)).view(1, -1).size(1)
    """,
    "ok-210-random-batch-of-given-shape": _AGENT + """
    net = nn.Conv2d(4, 16, 3)

    def probe(obs_shape, batch=8):
        return net(torch.randn(batch, *obs_shape))
    """,
    "ok-210-empty-buffer-of-env-shape": _AGENT + """
    def buffer_for(env, n):
        frames = torch.empty(n, *env.observation_space.shape)
        return nn.MaxPool2d(2)(frames)
    """,
    # look-alikes: the starred sequence's length is known
    "210-zeros-of-one-spatial-dim": _AGENT + """
    conv = nn.Conv2d(1, 8, 3)
    probe = conv(torch.zeros(1, *[84]))  # expect: TL210
    """,
    "210-zeros-of-starred-tuple": _AGENT + """
    size = (2, 84)
    conv = nn.Conv2d(1, 8, 3)
    out = conv(torch.ones(*size))  # expect: TL210
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_false_positives(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in _analyze(text, name) if f.code in CODES}
    assert found == _expected(text)
