"""TL205 on a hand-written loss that multiplies per-sample values of shapes `(N,)` and `(N, 1)`:
a policy's log-probabilities weighted by a column of returns or advantages broadcast to `(N, N)`
before the mean, so every action is pushed by every other sample's return. Written the ways
REINFORCE, actor-critic and PPO code writes it, with the correct look-alikes that stay silent."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _check(text: str) -> None:
    text = textwrap.dedent(text)
    want = {i for i, line in enumerate(text.splitlines(), 1) if "# expect: TL205" in line}
    got = {f.line for f in analyze(text, "case.py", ALL).findings if f.code == "TL205"}
    assert got == want


CASES = {
    "reinforce-categorical-returns-column": """
        import torch
        import torch.nn as nn
        from torch.distributions import Categorical

        policy = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2), nn.Softmax(dim=-1))
        optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
        for episode in range(10):
            states = torch.randn(32, 4)
            dist = Categorical(policy(states))
            actions = dist.sample()
            returns = torch.randn(32, 1)
            loss = -(dist.log_prob(actions) * returns).mean()  # expect: TL205
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    """,
    "actor-critic-gaussian-advantages-first": """
        import torch
        import torch.nn as nn

        class Actor(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Linear(8, 64)
                self.mu = nn.Linear(64, 2)

            def forward(self, s):
                return self.mu(torch.tanh(self.body(s)))

        actor = Actor()
        critic = nn.Linear(8, 1)
        opt = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()))
        s = torch.randn(64, 8)
        dist = torch.distributions.Normal(actor(s), 0.5)
        a = dist.sample()
        log_prob = dist.log_prob(a).sum(-1)
        advantage = (torch.randn(64, 1) - critic(s)).detach()
        actor_loss = torch.mean(-advantage * log_prob)  # expect: TL205
        opt.zero_grad()
        actor_loss.backward()
        opt.step()
    """,
    "ppo-ratio-times-advantage-column-summed": """
        import torch
        import torch.nn as nn
        import torch.distributions as D

        net = nn.Linear(6, 3)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        obs = torch.randn(20, 6)
        old_log_probs = torch.randn(20)
        acts = torch.randint(0, 3, (20,))
        adv = torch.randn(20).unsqueeze(1)
        new_log_probs = D.Categorical(logits=net(obs)).log_prob(acts)
        ratio = torch.exp(new_log_probs - old_log_probs)
        loss = -(ratio * adv).sum()  # expect: TL205
        opt.zero_grad()
        loss.backward()
        opt.step()
    """,
    # -- look-alikes that stay silent --------------------------------------------------------
    "returns-of-the-same-shape": """
        import torch
        import torch.nn as nn
        from torch.distributions import Categorical

        policy = nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=-1))
        dist = Categorical(policy(torch.randn(32, 4)))
        actions = dist.sample()
        returns = torch.randn(32, 1)
        loss = -(dist.log_prob(actions) * returns.squeeze(1)).mean()
        loss2 = -(dist.log_prob(actions).unsqueeze(1) * returns).mean()
    """,
    "log-prob-column-kept": """
        import torch
        import torch.nn as nn

        mu = nn.Linear(8, 2)(torch.randn(16, 8))
        normal = torch.distributions.Normal(mu, 1.0)
        log_pi = normal.log_prob(normal.rsample()).sum(1, keepdim=True)
        q = torch.randn(16, 1)
        actor_loss = (0.2 * log_pi - q).mean()
        weighted = (log_pi * q).mean()
    """,
    "outer-product-meant": """
        import torch
        import torch.nn as nn

        enc = nn.Linear(4, 8)
        a = enc(torch.randn(10, 4)).sum(1)
        b = enc(torch.randn(12, 4)).sum(1)
        pairwise = (a[:, None] * b[None, :]).mean()
        scaled = (a * 0.5).mean()
    """,
    "a-batch-of-one-state": """
        import torch
        import torch.nn as nn
        from torch.distributions import Categorical

        policy = nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=-1))
        m = Categorical(policy(torch.randn(1, 4)))
        a = m.sample()
        reward = torch.tensor([[1.0]])
        loss = -(m.log_prob(a) * reward).sum()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_weighted_product(name):
    _check(CASES[name])


def test_cli_reports_the_product(tmp_path):
    path = tmp_path / "reinforce.py"
    path.write_text(textwrap.dedent(CASES["reinforce-categorical-returns-column"]))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"reinforce\.py:13:\d+: TL205 `dist\.log_prob\(actions\)` of shape \[32\] times `returns` .*of shape \[32, 1\] broadcasts "
                     r"to \[32, 32\] before the mean", out), out
