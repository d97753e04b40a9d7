"""A layer given an input of unknown value may be computing on another network's output: its
result's models are not known to be only its own. Through the command line on files: a StarGAN
loop whose images and labels are cast with a tensor type chosen at run time (so the generator's
output is of unknown value) and whose critic's gradient penalty is modelled, where the generator's
optimizer steps after a loss computed by the critic from the generator's output; TL411 must stay
silent there, also when the input is unknown for another reason (a batch from a loader the
file does not show). It still reports an optimizer stepped after a loss that the file shows
comes from another model only."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import run_tensorlint  # noqa: E402
from test_variants import _expected  # noqa: E402

_MODELS = """
import numpy as np
import torch
import torch.nn as nn
import torch.autograd as autograd
from torch.autograd import Variable


class Gen(nn.Module):
    def __init__(self, c_dim=5):
        super().__init__()
        layers = [nn.Conv2d(3 + c_dim, 16, 3, padding=1), nn.ReLU()]
        for _ in range(2):
            layers += [nn.Conv2d(16, 16, 3, padding=1), nn.ReLU()]
        layers += [nn.Conv2d(16, 3, 3, padding=1), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x, c):
        c = c.view(c.size(0), c.size(1), 1, 1)
        c = c.repeat(1, 1, x.size(2), x.size(3))
        return self.model(torch.cat((x, c), 1))


class Critic(nn.Module):
    def __init__(self, c_dim=5):
        super().__init__()
        self.model = nn.Sequential(nn.Conv2d(3, 16, 4, 2, 1), nn.LeakyReLU(0.01))
        self.out1 = nn.Conv2d(16, 1, 3, padding=1)
        self.out2 = nn.Conv2d(16, c_dim, 16)

    def forward(self, img):
        h = self.model(img)
        return self.out1(h), self.out2(h).view(h.size(0), -1)


def penalty(D, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    d_mixed, _ = D(mixed)
    grads = autograd.grad(d_mixed, mixed, torch.ones_like(d_mixed), create_graph=True)[0]
    grads = grads.view(grads.size(0), -1)
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()
"""

CASES = {
    "ok-stargan-inputs-cast-at-run-time": _MODELS + """
cuda = torch.cuda.is_available()
Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
generator, critic = Gen(), Critic()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
optimizer_D = torch.optim.Adam(critic.parameters(), lr=2e-4)
dataloader = [(torch.rand(4, 3, 32, 32), torch.rand(4, 5)) for _ in range(3)]
for i, (imgs, labels) in enumerate(dataloader):
    imgs = Variable(imgs.type(Tensor))
    labels = Variable(labels.type(Tensor))
    sampled_c = Variable(Tensor(np.random.randint(0, 2, (imgs.size(0), 5))))
    fake_imgs = generator(imgs, sampled_c)
    optimizer_D.zero_grad()
    real_validity, pred_cls = critic(imgs)
    fake_validity, _ = critic(fake_imgs.detach())
    loss_D = -torch.mean(real_validity) + torch.mean(fake_validity) + 10 * penalty(critic, imgs.data, fake_imgs.data)
    loss_D.backward()
    optimizer_D.step()
    optimizer_G.zero_grad()
    if i % 5 == 0:
        gen_imgs = generator(imgs, sampled_c)
        fake_validity, pred_cls = critic(gen_imgs)
        loss_G = -torch.mean(fake_validity)
        loss_G.backward()
        optimizer_G.step()
""",
    "ok-generator-fed-an-unseen-batch": _MODELS + """
from loaders import make_loader

generator, critic = Gen(), Critic()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
for imgs, codes in make_loader():
    optimizer_G.zero_grad()
    validity, _ = critic(generator(imgs, codes))
    loss_G = -torch.mean(validity)
    loss_G.backward()
    optimizer_G.step()
""",
    "optimizer-of-a-model-the-loss-never-reaches": _MODELS + """
generator, critic = Gen(), Critic()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
for step in range(10):
    real = torch.rand(4, 3, 32, 32)
    optimizer_G.zero_grad()
    validity, _ = critic(real)
    loss = -torch.mean(validity)
    loss.backward()
    optimizer_G.step()  # expect: TL411
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_input_of_unknown_value(tmp_path, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    (tmp_path / "prog.py").write_text(text)
    out = run_tensorlint(["check", "--select", "TL411,TL413", "--format", "json", "prog.py"], tmp_path)
    found = {(f["code"], f["location"]["row"]) for f in out.json()}
    assert found == _expected(text)
