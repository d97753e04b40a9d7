"""Correct programs that build on torch.distributions (SAC's temperature, a variational model's
smoke test) stay silent now that their samples and log-probabilities are known tensors, and the
bugs beside them are still found:

- a temperature made trainable by `self.log_alpha.requires_grad = True` carries gradients
  (TL402 must not say its loss has none), as a local `log_alpha.requires_grad = True` does;
- printing one batch's output to see that a model runs (`print(model(x)); break`) is no
  evaluation in training mode (TL415), while a loop that prints every batch's output is."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str) -> list:
    return sorted((f.code, f.line) for f in analyze(textwrap.dedent(text).lstrip("\n"), "case.py", ALL).findings)


SAC_TEMPERATURE = """
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.distributions import Normal


class PolicyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 128)
        self.fc_mu = nn.Linear(128, 1)
        self.fc_std = nn.Linear(128, 1)
        self.{holder} = torch.tensor(np.log(0.01))
        self.{holder}.requires_grad = {flag}
        self.alpha_optimizer = optim.Adam([self.{holder}], lr=0.001)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        dist = Normal(self.fc_mu(x), nn.functional.softplus(self.fc_std(x)))
        action = dist.rsample()
        return torch.tanh(action), dist.log_prob(action)

    def train_alpha(self, s):
        _, log_prob = self.forward(s)
        alpha_loss = -(self.{holder}.exp() * (log_prob - 1.0).detach()).mean()
        self.alpha_optimizer.zero_grad()
        alpha_loss.backward()
        self.alpha_optimizer.step()


PolicyNet().train_alpha(torch.randn(32, 3))
"""


@pytest.mark.parametrize("holder", ["log_alpha", "temperature"])
def test_attribute_made_trainable_carries_gradients(holder):
    assert _codes(SAC_TEMPERATURE.format(holder=holder, flag="True")) == []


def test_attribute_left_without_gradients_is_still_found():
    codes = _codes(SAC_TEMPERATURE.format(holder="log_alpha", flag="False"))
    assert ("TL402", 28) in codes


def test_local_name_made_trainable_carries_gradients():
    assert _codes("""
        import torch
        log_alpha = torch.zeros(())
        log_alpha.requires_grad = True
        opt = torch.optim.Adam([log_alpha], lr=0.001)
        loss = -(log_alpha.exp() * torch.randn(8).detach()).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    """) == []


SMOKE_TEST = """
import torch
import torch.nn as nn
from torch.distributions import Bernoulli
from torch.utils.data import DataLoader, TensorDataset


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784, 10)
        self.dec = nn.Sequential(nn.Linear(10, 256), nn.Dropout(0.1), nn.Linear(256, 784))

    def forward(self, x):
        qz = Bernoulli(logits=self.enc(x))
        z = qz.sample()
        px = Bernoulli(logits=self.dec(z))
        return {{"loss": -(px.log_prob(x).sum(-1)).mean()}}


vae = VAE()
loader = DataLoader(TensorDataset(torch.rand(64, 784).round(), torch.zeros(64)), batch_size=16)
for x, y in loader:
{body}
"""


@pytest.mark.parametrize("body", [
    "    print(vae(x))\n    break",
    "    print('x.shape:', x.shape)\n    print(vae(x))\n    break",
])
def test_one_batch_printed_is_not_an_evaluation(body):
    assert [c for c in _codes(SMOKE_TEST.format(body=body)) if c[0] == "TL415"] == []


def test_every_batch_printed_in_training_mode_is_found():
    codes = _codes(SMOKE_TEST.format(body="    print(vae(x))"))
    assert ("TL415", 22) in codes  # at the loop that runs it
