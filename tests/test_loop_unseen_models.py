"""Training loops whose models come from classes that are not in the file (`from models import
Discriminator`): the loss is a value the analysis cannot follow, but `loss.backward()` in a loop
that steps a torch optimizer still computes gradients, and a helper called again with the same
arguments repeats what it did the first time instead of hiding the loop. Each case marks its
expected findings with `# expect: CODE`; the look-alikes expect nothing."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import expectations  # noqa: E402

ALL = Config(select=("ALL",))

GAN = """
    import torch
    import torch.nn.functional as F
    from models.gan import Encoder, Discriminator

    def gan_loss(scores, real=True):
        if real:
            return torch.mean(F.softplus(-scores))
        return torch.mean(F.softplus(scores))

    def train(config, loader, epochs=10):
        E = Encoder(config)
        D = Discriminator(config)
        opt_e = torch.optim.Adam(E.net.parameters(), lr=1e-4)
        opt_d = torch.optim.Adam(D.net.parameters(), lr=1e-4)
        for epoch in range(epochs):
            for x in loader:
                x_rec = E.net(x)
{clear_d}                d_loss = gan_loss(D.net(x), real=True) + gan_loss(D.net(x_rec.detach()), real=False)
                d_loss.backward(){mark}
                opt_d.step()
                opt_e.zero_grad()
                e_loss = torch.mean((x - x_rec) ** 2) + gan_loss(D.net(x_rec), real=True)
                e_loss.backward()
                opt_e.step()
"""

SCRIPT = """
    import torch
    from mynet import Net

    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(5):
        for x, y in loader:
            loss = model.loss(model(x), y)
            loss.backward(){mark}
            optimizer.step(){after}
"""

CASES = {
    "gan-unseen-models-discriminator-never-cleared": GAN.format(clear_d="", mark="  # expect: TL403"),
    "gan-unseen-models-both-cleared": GAN.format(clear_d="                opt_d.zero_grad()\n", mark=""),
    "gan-unseen-models-cleared-to-none": GAN.format(clear_d="                opt_d.zero_grad(set_to_none=True)\n", mark=""),
    # clearing through a model the analysis cannot see into: the reach is unknown, no finding
    "gan-unseen-models-cleared-through-module": GAN.format(clear_d="                D.net.zero_grad()\n", mark=""),
    "script-unseen-model-never-cleared": SCRIPT.format(mark="  # expect: TL403", after=""),
    "script-unseen-model-cleared-after-step": SCRIPT.format(mark="", after="\n            optimizer.zero_grad()"),
    # a helper that clears, called twice with the same arguments: the second call clears too
    "helper-called-twice-clears": """
        import torch
        from mynet import Gen, Disc

        G, D = Gen(), Disc()
        opt_g = torch.optim.Adam(G.parameters())
        opt_d = torch.optim.Adam(D.parameters())

        def reset(which="both"):
            opt_g.zero_grad()
            opt_d.zero_grad()

        for x in loader:
            reset("both")
            D(x).mean().backward()
            opt_d.step()
            reset("both")
            G(x).mean().backward()
            opt_g.step()
    """,
    # code not followed given the model may clear its gradients: nothing to report
    "imported-helper-given-the-model": """
        import torch
        from mynet import Net
        from helpers import train_step

        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            loss = model(x).sum()
            loss.backward()
            train_step(model)
            optimizer.step()
    """,
    "imported-helper-given-the-model-in-a-local-function": """
        import torch
        from mynet import Net
        from helpers import compute_loss

        def loss_of(m, batch):
            return compute_loss(m, batch)

        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for batch in loader:
            loss = loss_of(model, batch)
            loss.backward()
            optimizer.step()
    """,
    # an engine's backward takes the loss: not a tensor's backward(), nothing to judge
    "engine-backward-with-argument": """
        import torch
        from engine import Engine

        engine = Engine()
        optimizer = torch.optim.SGD(engine.parameters(), lr=0.1)
        for x, y in loader:
            loss = engine(x, y)
            engine.backward(loss)
            optimizer.step()
    """,
}


def _findings(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    return text, [f for f in analyze(text, f"{name}.py", ALL).findings if f.code == "TL403"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_loops_over_models_from_elsewhere(name):
    text, findings = _findings(name)
    assert {(f.code, f.line) for f in findings} == {(code, line) for _, line, code in expectations(name, text)}


def test_the_message_names_the_optimizer_left_uncleared():
    _, findings = _findings("gan-unseen-models-discriminator-never-cleared")
    assert len(findings) == 1 and "opt_d.zero_grad()" in findings[0].message and "opt_e" not in findings[0].message
