"""torch.distributions as the hover shows them: the shapes and dtypes of samples, reparameterized
samples, log-probabilities, entropies and KL divergences, written the ways policy-gradient,
actor-critic and VAE code writes them (`Categorical(probs)`, `torch.distributions.Normal(mu,
std)`, `import torch.distributions as D`, `Independent(Normal(...), 1)`), and unknown where a
parameter is not known. The shapes agree with what torch computes (checked by running the
cases)."""
from __future__ import annotations

import re
import textwrap

import pytest

from test_engine_facts import _check_values, _values


CASES = {
    "categorical-policy": """
        import torch
        import torch.nn as nn
        from torch.distributions import Categorical

        policy = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2), nn.Softmax(dim=-1))
        states = torch.randn(16, 4)
        m = Categorical(policy(states))
        actions = m.sample()  # value: Tensor[16] int64
        log_probs = m.log_prob(actions)  # value: Tensor[16] float32
        entropy = m.entropy()  # value: Tensor[16] float32
    """,
    "categorical-logits-keyword": """
        import torch
        import torch.distributions as D

        logits = torch.randn(8, 5, 6)
        dist = D.Categorical(logits=logits)
        draws = dist.sample((3,))  # value: Tensor[3, 8, 5] int64
        one = dist.log_prob(torch.zeros(8, 5, dtype=torch.long))  # value: Tensor[8, 5] float32
    """,
    "normal-reparameterized": """
        import torch
        import torch.nn as nn

        mu_layer = nn.Linear(32, 6)
        h = torch.randn(10, 32)
        mu, log_std = mu_layer(h), torch.zeros(10, 6)
        normal = torch.distributions.Normal(mu, log_std.exp())
        x_t = normal.rsample()  # value: Tensor[10, 6] float32
        log_prob = normal.log_prob(x_t).sum(1, keepdim=True)  # value: Tensor[10, 1] float32
        scalar = torch.distributions.normal.Normal(0.0, 1.0).log_prob(x_t)  # value: Tensor[10, 6] float32
    """,
    "multivariate-and-independent": """
        import torch
        from torch.distributions import MultivariateNormal, Independent, Normal, kl_divergence

        mean = torch.zeros(12, 3)
        cov = torch.eye(3).unsqueeze(0)
        mvn = MultivariateNormal(mean, cov)
        lp = mvn.log_prob(torch.randn(12, 3))  # value: Tensor[12] float32
        ent = mvn.entropy()  # value: Tensor[12] float32
        ind = Independent(Normal(mean, torch.ones(12, 3)), 1)
        ilp = ind.log_prob(torch.randn(12, 3))  # value: Tensor[12] float32
        kl = kl_divergence(Normal(mean, 1.0), Normal(0.0, 1.0))  # value: Tensor[12, 3] float32
    """,
    # what is not known stays unknown: the parameters' shapes, or a distribution not modeled
    "unknown-parameters": """
        import torch
        from torch.distributions import Categorical, Normal

        def act(policy, state):
            m = Categorical(policy(state))
            a = m.sample()  # value: Tensor[...] int64
            return m.log_prob(a)

        def sample(mu, sigma):
            z = Normal(mu, sigma).rsample()  # parameters of unknown value: no value (not even a dtype)
            return z
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_distribution_values(name):
    _check_values(CASES[name])


def test_unknown_parameters_give_no_value():
    text = textwrap.dedent(CASES["unknown-parameters"])
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "z = Normal(mu, sigma)" in t)
    assert line not in _values(text)


def test_unknown_parameter_shape_gives_no_shape():
    text = textwrap.dedent("""
        import torch
        from torch.distributions import Normal

        def sample(mu, sigma):
            return Normal(mu, sigma).rsample()

        x = sample(torch.randn(4, 2), 1.0)
        y = sample(torch.randn(4, 2), torch.ones(3))
    """)
    got = _values(text)
    # the second call's parameters do not broadcast: torch raises, nothing is inferred
    assert all("[4, 2]" in v for v in got.get(8, [])) and got.get(8)
    assert not any("[4, 3]" in v or "[4, 2]" in v for v in got.get(9, []))


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_run_under_torch(name):
    """The shapes above are torch's own: every case runs and its marked values have them."""
    torch = pytest.importorskip("torch")
    text = textwrap.dedent(CASES[name])
    scope: dict = {}
    exec(compile(text, "case.py", "exec"), scope)
    for line in text.splitlines():
        m = re.match(r"\s*(\w+)(?:, \w+)? = .*# value: Tensor\[([\d, ]+)\] (\w+)$", line)
        if m and m.group(1) in scope:
            value = scope[m.group(1)]
            assert isinstance(value, torch.Tensor)
            assert list(value.shape) == [int(d) for d in m.group(2).split(",")], line
            assert str(value.dtype) == "torch." + m.group(3), line
