"""TL413 on an optimizer whose model is never called on the way to the losses backpropagated
since its zero_grad(): the file shows every value those losses come from, and none of them runs
the model (the bug of a GAN whose second discriminator's loss is computed with the first one).
Silent when the loss may come from the model through code the file does not show: the model
passed to a helper or wrapper, a second name for it, a branch that calls it, a gradient
accumulated from an earlier backward().

The failing programs that need nothing outside the file are run on torch below: after the
step, every parameter of the optimizer's model still has `.grad` None and has not changed."""
from __future__ import annotations

import copy
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

DISCS = """
    import torch
    import torch.nn as nn

    class Critic(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(8, width), nn.LeakyReLU(0.2), nn.Linear(width, 1))

        def forward(self, x):
            return self.body(x)

        def compute_loss(self, x, target):
            return torch.mean((self.forward(x) - target) ** 2)
"""

BLOCKS = """

    class Block(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.model = nn.Sequential(nn.Linear(n_in, n_out), nn.LeakyReLU(0.2))

        def forward(self, x):
            return self.model(x)

    class Gen(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = Block(8, 16)
            self.up = Block(16, 8)

        def forward(self, z):
            return self.up(self.down(z))
"""

CASES = {
    # the loss of the second critic is computed with the first one (a method of the other object);
    # the engine knows both models here, and TL411 says it (once: TL413 stays silent)
    "two-critics-method-of-the-other": DISCS + """
    critic_a, critic_b = Critic(16), Critic(16)
    opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
    data = [torch.randn(4, 8) for _ in range(3)]
    for real in data:
        opt_a.zero_grad()
        loss_a = critic_a.compute_loss(real, 1.0)
        loss_a.backward()
        opt_a.step()
        opt_b.zero_grad()
        loss_b = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(real * 0.5, 0.0)
        loss_b.backward()
        opt_b.step()  # expect: TL411
    """,
    # called directly, in a function, with a criterion object (known models: TL411)
    "function-loop-wrong-network-called": DISCS + """
    def train(epochs):
        gen = nn.Linear(4, 8)
        disc = Critic(32)
        aux = Critic(32)
        opt_aux = torch.optim.SGD(aux.parameters(), lr=0.01)
        bce = nn.BCEWithLogitsLoss()
        for epoch in range(epochs):
            z = torch.randn(16, 4)
            fake = gen(z).detach()
            opt_aux.zero_grad()
            err = bce(disc(fake), torch.zeros(16, 1))
            err.backward()
            opt_aux.step()  # expect: TL411

    train(2)
    """,
    # the model and its loss come from a module the file star-imports (the bicyclegan layout)
    "star-imported-class-compute-loss": """
    import torch
    from nets import *

    d_vae = MultiDiscriminator()
    d_lr = MultiDiscriminator()
    d_vae = d_vae.cuda()
    d_lr.apply(weights_init_normal)
    optimizer_d_vae = torch.optim.Adam(d_vae.parameters(), lr=2e-4)
    optimizer_d_lr = torch.optim.Adam(d_lr.parameters(), lr=2e-4)
    for i, batch in enumerate(loader):
        real_b = batch["B"].cuda()
        optimizer_d_vae.zero_grad()
        loss_d_vae = d_vae.compute_loss(real_b, 1)
        loss_d_vae.backward()
        optimizer_d_vae.step()
        optimizer_d_lr.zero_grad()
        loss_d_lr = d_vae.compute_loss(real_b, 1)
        loss_d_lr.backward()
        optimizer_d_lr.step()  # expect: TL413
    torch.save(d_lr.state_dict(), "d_lr.pth")
    """,
    # models from a factory of another package, trained in a function, a criterion object
    "factory-models-in-function": """
    import torch
    import torch.nn as nn
    from gan_zoo import build_generator, build_discriminator

    def fit(loader, epochs=5):
        netG = build_generator(nz=100)
        netD = build_discriminator(ndf=64)
        netD2 = build_discriminator(ndf=64)
        optD2 = torch.optim.Adam(netD2.parameters(), lr=2e-4, betas=(0.5, 0.999))
        criterion = nn.BCELoss()
        for epoch in range(epochs):
            for real, _ in loader:
                noise = torch.randn(real.size(0), 100, 1, 1)
                fake = netG(noise)
                netD2.zero_grad()
                out_real = netD(real).view(-1)
                out_fake = netD(fake.detach()).view(-1)
                errD2 = criterion(out_real, torch.ones_like(out_real)) + criterion(out_fake, torch.zeros_like(out_fake))
                errD2.backward()
                optD2.step()  # expect: TL413
    """,
    # the samples come from a generator built of the file's own blocks (its forward and theirs
    # are followed, so calling them with gradient-carrying tensors hides nothing from the loop;
    # the engine knows both critics: TL411 says it)
    "generator-of-own-blocks": DISCS + BLOCKS + """
    loader = [torch.randn(4, 8) for _ in range(3)]
    gen = Gen()
    critic_a, critic_b = Critic(16), Critic(16)
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-3)
    opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
    for real in loader:
        opt_g.zero_grad()
        fake = gen(torch.randn(4, 8))
        loss_g = critic_a.compute_loss(fake, 1.0) + critic_b.compute_loss(fake, 1.0)
        loss_g.backward()
        opt_g.step()
        opt_a.zero_grad()
        loss_a = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(fake.detach(), 0.0)
        loss_a.backward()
        opt_a.step()
        opt_b.zero_grad()
        loss_b = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(gen(torch.randn(4, 8)).detach(), 0.0)
        loss_b.backward()
        opt_b.step()  # expect: TL411
    """,
    # the same, in a function
    "generator-of-own-blocks-in-function": DISCS + BLOCKS + """
    def train(loader):
        gen = Gen()
        critic_a, critic_b = Critic(16), Critic(16)
        opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
        opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
        for real in loader:
            fake = gen(torch.randn(4, 8))
            opt_a.zero_grad()
            loss_a = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(fake.detach(), 0.0)
            loss_a.backward()
            opt_a.step()
            opt_b.zero_grad()
            loss_b = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(fake.detach(), 0.0)
            loss_b.backward()
            opt_b.step()  # expect: TL411

    train([torch.randn(4, 8) for _ in range(3)])
    """,
    # -- look-alikes that must stay silent ----------------------------------------------------
    # the generator's class comes from elsewhere: calling it may train the second critic
    "ok-generator-of-unseen-class": DISCS + """
    from zoo import Generator
    gen = Generator()
    critic_a, critic_b = Critic(16), Critic(16)
    opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
    for real in loader:
        fake = gen(torch.randn(4, 8), critic_b)
        opt_a.zero_grad()
        loss_a = critic_a.compute_loss(real, 1.0) + critic_a.compute_loss(fake.detach(), 0.0)
        loss_a.backward()
        opt_a.step()
        opt_b.zero_grad()
        loss_b = critic_a.compute_loss(real, 1.0) + gen.penalty(fake)
        loss_b.backward()
        opt_b.step()
    """,
    # the second critic scores the samples in the generator's own forward
    "ok-own-block-calls-the-critic": DISCS + BLOCKS + """
    critic_a, critic_b = Critic(16), Critic(16)

    class Judged(nn.Module):
        def __init__(self):
            super().__init__()
            self.gen = Gen()

        def forward(self, z):
            return critic_b(self.gen(z))

    judged = Judged()
    loader = [torch.randn(4, 8) for _ in range(3)]
    opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
    for real in loader:
        opt_b.zero_grad()
        loss_b = critic_a.compute_loss(real, 1.0) + judged(torch.randn(4, 8)).mean()
        loss_b.backward()
        opt_b.step()
    """,
    "ok-each-critic-its-own-loss": DISCS + """
    critic_a, critic_b = Critic(16), Critic(16)
    opt_a = torch.optim.Adam(critic_a.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(critic_b.parameters(), lr=1e-3)
    for real in [torch.randn(4, 8) for _ in range(3)]:
        opt_a.zero_grad()
        critic_a.compute_loss(real, 1.0).backward()
        opt_a.step()
        opt_b.zero_grad()
        loss_b = critic_b.compute_loss(real, 1.0)
        loss_b.backward()
        opt_b.step()
    """,
    "ok-model-passed-to-helper": DISCS + """
    from losses import adversarial_loss

    critic = Critic(16)
    opt = torch.optim.Adam(critic.parameters(), lr=1e-3)
    for real in [torch.randn(4, 8) for _ in range(3)]:
        opt.zero_grad()
        loss = adversarial_loss(critic, real)
        loss.backward()
        opt.step()
    """,
    "ok-model-inside-a-wrapper": """
    import torch
    from nets import *

    disc = Discriminator()
    trainer = GanTrainer(disc)
    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    for batch in loader:
        opt.zero_grad()
        loss = trainer.d_loss(batch)
        loss.backward()
        opt.step()
    """,
    "ok-second-name-for-the-model": """
    import torch
    from nets import *

    disc = Discriminator()
    net = disc.cuda()
    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    for batch in loader:
        opt.zero_grad()
        loss = net.compute_loss(batch)
        loss.backward()
        opt.step()
    """,
    "ok-one-branch-calls-the-model": DISCS + """
    main, other = Critic(8), Critic(8)
    opt = torch.optim.SGD(main.parameters(), lr=0.1)
    for step, real in enumerate([torch.randn(4, 8) for _ in range(4)]):
        opt.zero_grad()
        if step % 2:
            loss = other.compute_loss(real, 0.0)
        else:
            loss = main.compute_loss(real, 1.0)
        loss.backward()
        opt.step()
    """,
    "ok-gradient-from-an-earlier-backward": DISCS + """
    enc, head = Critic(8), Critic(8)
    opt = torch.optim.SGD(enc.parameters(), lr=0.1)
    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.zero_grad()
        enc.compute_loss(real, 1.0).backward()
        loss = head.compute_loss(real, 0.0)
        loss.backward()
        opt.step()
    """,
    "ok-no-zero-grad-before-step": DISCS + """
    a, b = Critic(8), Critic(8)
    opt = torch.optim.SGD(a.parameters(), lr=0.1)
    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.step()
        loss = b.compute_loss(real, 0.0) + a.compute_loss(real, 1.0)
        loss.backward()
    """,
    "ok-module-function-reads-the-model": DISCS + """
    critic = Critic(8)
    opt = torch.optim.SGD(critic.parameters(), lr=0.1)

    def penalty(x):
        return critic(x).pow(2).mean()

    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.zero_grad()
        loss = penalty(real)
        loss.backward()
        opt.step()
    """,
    "ok-outputs-collected-by-append": DISCS + """
    critic, other = Critic(8), Critic(8)
    opt = torch.optim.SGD(critic.parameters(), lr=0.1)
    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.zero_grad()
        outs = []
        outs.append(critic(real))
        outs.append(other(real))
        loss = torch.cat(outs).pow(2).mean()
        loss.backward()
        opt.step()
    """,
    "ok-output-written-into-a-buffer": DISCS + """
    critic = Critic(8)
    opt = torch.optim.SGD(critic.parameters(), lr=0.1)
    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.zero_grad()
        scores = torch.zeros(4, 1)
        scores[:] = critic(real)
        loss = scores.pow(2).mean()
        loss.backward()
        opt.step()
    """,
    "ok-forward-hook-keeps-the-output": DISCS + """
    critic = Critic(8)
    opt = torch.optim.SGD(critic.parameters(), lr=0.1)
    kept = []

    def keep(module, inputs, output):
        kept.append(output)

    critic.register_forward_hook(keep)
    for real in [torch.randn(4, 8) for _ in range(4)]:
        opt.zero_grad()
        critic(real)
        loss = kept[-1].pow(2).mean()
        loss.backward()
        opt.step()
    """,
    "ok-imported-model": """
    import torch
    from nets import disc, d_loss

    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    for batch in loader:
        opt.zero_grad()
        loss = d_loss(batch)
        loss.backward()
        opt.step()
    """,
}


def _text(name: str) -> str:
    return textwrap.dedent(CASES[name]).lstrip("\n")


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_never_called(name):
    text = _text(name)
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings
             if f.code in ("TL411", "TL413")}
    assert found == _expected(text)


def test_message_names_the_model_and_the_loss():
    text = _text("star-imported-class-compute-loss")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL413"]
    assert "`d_lr` (line 9)" in f.message and "never called" in f.message
    assert "line 18 (computed at line 17)" in f.message and len(f.related) == 3


SELF_CONTAINED = sorted(n for n, t in CASES.items() if "from nets" not in t and "from losses" not in t
                        and "from gan_zoo" not in t and "from zoo" not in t)


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_what_happens_on_torch(name):
    """What the finding says happens (the stepped model gets no gradient and never changes, no
    error), and that the look-alikes do train the model their optimizer holds."""
    torch = pytest.importorskip("torch")
    seen = {}
    real_init = torch.optim.Optimizer.__init__

    def remember(self, params, defaults):
        params = list(params)
        real_init(self, params, defaults)
        seen[id(self)] = (params, [copy.deepcopy(p.detach()) for p in params])

    torch.optim.Optimizer.__init__ = remember
    try:
        exec(compile(_text(name), name, "exec"), {"__name__": "__main__"})
    finally:
        torch.optim.Optimizer.__init__ = real_init
    stuck = [params for params, before in seen.values()
             if all(p.grad is None and torch.equal(p.detach(), b) for p, b in zip(params, before))]
    assert len(stuck) == (0 if name.startswith("ok-") else 1)
