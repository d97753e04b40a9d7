"""TL434 backward-through-freed-graph, written the ways the error comes about: a GAN whose
discriminator loss reads the generated batch without `.detach()` before the generator loss reads
it again, a critic loop whose last generated batch is scored again by the generator step, the
same loss backpropagated twice in a function, a generated batch reshaped on the way. The
look-alikes: `.detach()` in the discriminator step, `retain_graph=True`, a batch recomputed
before the second step, the two backward calls in the two branches of an `if`, a branch that
ends in `continue`, a batch made under `torch.no_grad()`, and a target made from a size. Each
case marks its expected findings with `# expect: TL434`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "gan-step-without-detach": """
    import torch
    import torch.nn as nn

    G = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
    opt_g, opt_d = torch.optim.Adam(G.parameters()), torch.optim.Adam(D.parameters())
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(10):
        real = torch.randn(32, 784)
        fake = G(torch.randn(32, 16)).view(32, -1)
        ones = torch.ones(fake.size(0), 1)
        opt_d.zero_grad()
        d_loss = criterion(D(real), ones) + criterion(D(fake), torch.zeros_like(ones))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = criterion(D(fake), ones)
        g_loss.backward()  # expect: TL434
        opt_g.step()
    """,
    "critic-loop-and-loss-twice-in-a-function": """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            return self.fc(x)

    generator, critic = Net(), Net()

    def train_step(x):
        for _ in range(5):
            fake = generator(x)
            critic(fake).mean().backward()
        (-critic(fake).mean()).backward()  # expect: TL434

    def step_twice(x, y):
        loss = ((generator(x) - y) ** 2).mean()
        loss.backward()
        print(loss.item())
        loss.backward()  # expect: TL434
    """,
    "ok-detach-retain-recompute-branches": """
    import torch
    import torch.nn as nn

    G, D = nn.Linear(4, 8), nn.Linear(8, 1)
    z = torch.randn(16, 4)
    for step in range(10):
        fake = G(z)
        D(fake.detach()).mean().backward()
        (-D(fake).mean()).backward()
        fake = G(z)
        D(fake).mean().backward(retain_graph=True)
        (-D(fake).mean()).backward()
        fake = G(z)
        D(fake).mean().backward()
        fake = G(z)
        (-D(fake).mean()).backward()
        out = G(z)
        if step % 2:
            out.sum().backward()
        else:
            out.mean().backward()
        out = G(z)
        if step < 3:
            out.sum().backward()
            continue
        out.mean().backward()
        with torch.no_grad():
            frozen = G(z)
        D(frozen).mean().backward()
        D(frozen).sum().backward()
        fake = G(z)
        D(fake).mean().backward()
        target = torch.ones(fake.size(0), 1)
        ((D(torch.randn(16, 8)) - target) ** 2).mean().backward()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_backward_through_freed_graph(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL434"}
    assert found == _expected(text)


def test_message_names_the_tensor_and_both_backward_calls():
    text = textwrap.dedent(CASES["gan-step-without-detach"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL434"]
    assert "graph of fake (made at line 10)" in f.message and "line 14" in f.message
    assert [r.span.start.line for r in f.related] == [14, 10]


def test_old_retain_variables_keyword_keeps_the_graph():
    text = ("import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nz = torch.randn(16, 4)\n"
            "fake = G(z)\nD(fake).mean().backward(retain_variables=True)\n(-D(fake).mean()).backward()\n")
    assert [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL434"] == []
