"""TL429 penalty-weight-per-element, written the ways WGAN-GP code draws its interpolation
weight: `np.random.random(size=real.shape)` wrapped in a tensor type, `torch.rand(real.size())`,
`torch.rand_like(fake)`, `torch.rand(*real.shape)`, with the interpolation wrapped in
`Variable(..., requires_grad=True)`, made a leaf by `.requires_grad_(True)` or reassigned, and
`(1 - alpha)` on either side. The look-alikes: a weight per sample (`(N, 1, 1, 1)`, or `(N, 1)`
expanded), noise added to the data for an R1 penalty, and an interpolation nobody
differentiates. Each case marks its expected findings with `# expect: TL429`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "numpy-draw-variable-reassigned": """
    import numpy as np
    import torch
    from torch import autograd
    from torch.autograd import Variable

    Tensor = torch.FloatTensor

    def compute_gradient_penalty(D, real_samples, fake_samples):
        alpha = Tensor(np.random.random(size=real_samples.shape))  # expect: TL429
        interpolates = alpha * real_samples + ((1 - alpha) * fake_samples)
        interpolates = Variable(interpolates, requires_grad=True)
        d_interpolates = D(interpolates)
        fake = Variable(Tensor(real_samples.shape[0], 1).fill_(1.0), requires_grad=False)
        gradients = autograd.grad(outputs=d_interpolates, inputs=interpolates, grad_outputs=fake,
                                  create_graph=True, retain_graph=True, only_inputs=True)[0]
        return ((gradients.norm(2, dim=1) - 1) ** 2).mean()
    """,
    "torch-draws-in-methods": """
    import torch

    class Trainer:
        def penalty(self, critic, real, fake):
            eps = torch.rand_like(fake)  # expect: TL429
            mixed = ((1 - eps) * fake + eps * real).requires_grad_(True)
            score = critic(mixed)
            grad = torch.autograd.grad(score.sum(), [mixed], create_graph=True)[0]
            return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()

        def penalty2(self, critic, real, fake):
            w = torch.rand(*real.shape, device=real.device)  # expect: TL429
            x = w * real + (1 - w) * fake
            x.requires_grad_(True)
            g = torch.autograd.grad(outputs=critic(x).sum(), inputs=x, create_graph=True)[0]
            return ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    """,
    "ok-per-sample-r1-and-no-grad": """
    import torch

    def gp(critic, real, fake):
        alpha = torch.rand(real.size(0), 1, 1, 1, device=real.device)
        x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        g = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
        return ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()

    def gp_expanded(critic, real, fake):
        alpha = torch.rand(real.size(0), 1).expand(real.size())
        x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        g = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
        return ((g.norm(2, dim=1) - 1) ** 2).mean()

    def r1(critic, real):
        noise = torch.rand(real.shape)
        x = (real + 0.1 * noise).requires_grad_(True)
        g = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
        return g.pow(2).sum()

    def blend(real, fake):
        alpha = torch.rand(real.size())
        return alpha * real + (1 - alpha) * fake
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_penalty_weight_per_element(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL429"}
    assert found == _expected(text)


def test_message_names_the_draw_and_the_gradient():
    text = textwrap.dedent(CASES["numpy-draw-variable-reassigned"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL429"]
    assert "np.random.random(size=real_samples.shape)" in f.message and "line 14" in f.message
    assert [r.span.start.line for r in f.related] == [14]
