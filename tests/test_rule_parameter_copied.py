"""TL431 parameter-copied-after-wrapping, written the ways people write it: a ViT class token
and positional embedding moved with `.to(self.device)` after `nn.Parameter(...)`, `.cuda()`
on a module attribute, hand-made weights cast with `.double()` and given to an optimizer,
`torch.nn.Parameter` spelled out, an annotated assignment. The look-alikes move the tensor
before wrapping it, call an in-place method, or make a copy for one computation. Each case
marks its expected findings with `# expect: TL431`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "vit-tokens-moved-after-wrapping": """
    import torch
    import torch.nn as nn

    class InputEmbedding(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            self.proj = nn.Linear(48, args.latent_size)
            self.class_token = nn.Parameter(torch.randn(1, 1, args.latent_size)).to(self.device)  # expect: TL431
            self.pos_embedding = nn.Parameter(torch.randn(1, 1, args.latent_size)).to(self.device)  # expect: TL431

        def forward(self, x):
            x = self.proj(x)
            return torch.cat([self.class_token.expand(x.size(0), -1, -1), x], dim=1) + self.pos_embedding
    """,
    "cuda-on-an-attribute-annotated": """
    from torch import nn, randn

    class Gate(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.alpha: nn.Parameter = nn.Parameter(randn(n)).cuda()  # expect: TL431

        def forward(self, x):
            return x * self.alpha.sigmoid()
    """,
    "hand-made-weights-cast-and-optimized": """
    import torch

    W1 = torch.nn.Parameter(torch.randn(784, 128) * 0.01).double()  # expect: TL431
    b1 = torch.nn.Parameter(torch.zeros(128, dtype=torch.float64))
    opt = torch.optim.Adam([W1, b1], lr=1e-3)
    """,
    "ok-moved-before-wrapping": """
    import torch
    import torch.nn as nn

    class InputEmbedding(nn.Module):
        def __init__(self, dim, device):
            super().__init__()
            self.class_token = nn.Parameter(torch.randn(1, 1, dim).to(device))
            self.scale = nn.Parameter(torch.ones(1, device=device, dtype=torch.float64))
    """,
    "ok-in-place-and-data-moves": """
    import torch
    import torch.nn as nn

    frozen = nn.Parameter(torch.zeros(3)).requires_grad_(False)
    w = nn.Parameter(torch.zeros(3))
    w.data = w.data.to("cuda")
    """,
    "ok-copy-for-a-computation": """
    import torch
    import torch.nn as nn

    class Mix(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.randn(4))

        def forward(self, x):
            w = self.w.to(x.dtype)
            return x * w
    """,
    "ok-a-parameter-class-of-another-library": """
    from mylib import Parameter

    p = Parameter(3).to("cuda")
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_parameter_copied_after_wrapping(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL431"}
    assert found == _expected(text)


def test_fix_moves_the_call_inside_the_parameter():
    text = textwrap.dedent(CASES["vit-tokens-moved-after-wrapping"]).lstrip("\n")
    found = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL431"]
    assert [f.line for f in found] == [9, 10]
    assert "not in model.parameters()" in found[0].message
    [edit] = found[0].fix.edits
    assert edit.content == "nn.Parameter(torch.randn(1, 1, args.latent_size).to(self.device))"
