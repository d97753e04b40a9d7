"""TL416: in-place updates of tensors that require gradients and were made by the program (leaves,
parameters) outside torch.no_grad(). Each bug raises `RuntimeError: a leaf Variable that requires
grad is being used in an in-place operation` under torch; each look-alike runs (checked by
running them where torch is installed)."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import run_with_torch  # noqa: E402

ONLY = Config(select=("TL416",))

BUGS = {
    # a model's parameters, known from its layer, updated by hand
    "sgd-over-known-parameters": ("""
        import torch
        import torch.nn as nn

        model = nn.Linear(3, 1)
        x, y = torch.randn(8, 3), torch.randn(8, 1)
        for step in range(10):
            loss = nn.functional.mse_loss(model(x), y)
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p -= 0.1 * p.grad
    """, [11]),
    # nn.Parameter of a subclassed module, through named_parameters()
    "named-parameters-sub": ("""
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(torch.randn(3, 1))

            def forward(self, x):
                return x @ self.w

        net = Net()
        x = torch.randn(8, 3)
        for step in range(10):
            net(x).sum().backward()
            for name, p in net.named_parameters():
                p.sub_(0.1 * p.grad)
    """, [17]),
    # hand-made leaves updated with -= and *=
    "leaves-by-hand": ("""
        import torch

        x, y = torch.randn(16, 3), torch.randn(16, 1)
        w = torch.randn(3, 1, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        for step in range(5):
            loss = ((x @ w + b - y) ** 2).mean()
            loss.backward()
            w -= 0.1 * w.grad
            b *= 0.5
    """, [9, 10]),
    # initialization of a layer's weights without .data or torch.nn.init
    "init-in-place": ("""
        import torch
        import torch.nn as nn

        model = nn.Linear(3, 1)
        model.weight.normal_(0, 0.01)
        model.bias.zero_()
    """, [5, 6]),
    # a model the file imports (not here): the update reads the parameter's own gradient
    "imported-model-manual-sgd": ("""
        import torch
        from model import RNNModel

        model = RNNModel()

        def update(lr):
            for p in model.parameters():
                p.add_(p.grad, alpha=-lr)
    """, [8]),
    # gradients switched on after the tensor was made
    "leaves-marked-later": ("""
        import torch

        x, y = torch.randn(16, 3), torch.randn(16, 1)
        w = torch.zeros(3, 1).requires_grad_()
        b = torch.zeros(1)
        b.requires_grad = True
        for step in range(5):
            loss = ((x @ w + b - y) ** 2).mean()
            loss.backward()
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
    """, [10, 11]),
}

LOOKALIKES = {
    "under-no-grad": """
        import torch
        import torch.nn as nn

        model = nn.Linear(3, 1)
        x, y = torch.randn(8, 3), torch.randn(8, 1)
        for step in range(10):
            loss = nn.functional.mse_loss(model(x), y)
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= 0.1 * p.grad
    """,
    "on-data": """
        import torch
        from torch.autograd import Variable

        w1 = Variable(torch.randn(4, 5), requires_grad=True)
        x = Variable(torch.randn(2, 4))
        for t in range(10):
            loss = x.mm(w1).pow(2).sum()
            loss.backward()
            w1.data -= 1e-3 * w1.grad.data
            w1.grad.data.zero_()
    """,
    "decorated-step-and-computed-tensors": """
        import torch

        w = torch.randn(3, 1, requires_grad=True)

        @torch.no_grad()
        def step():
            w -= 0.1 * w.grad

        h = w * 2
        h += 1
        v = w.clone()
        v.mul_(3)
    """,
    "no-gradients-required": """
        import torch

        acc = torch.zeros(3)
        acc += torch.ones(3)
        acc.mul_(0.5)
        w3 = torch.zeros(3, requires_grad=False)
        w3 += 1
    """,
    "ema-under-no-grad": """
        import torch
        import torch.nn as nn

        model, ema = nn.Linear(3, 1), nn.Linear(3, 1)
        with torch.no_grad():
            for e, p in zip(ema.parameters(), model.parameters()):
                e.mul_(0.99).add_(p, alpha=0.01)
    """,
    "imported-model-update-without-its-gradient": """
        import torch
        from model import RNNModel

        model = RNNModel()
        for p in model.parameters():
            p.requires_grad_(False)
        for p in model.parameters():
            p.mul_(0.5)
    """,
    # tensors computed from leaves (a model's output, a concatenation, an elementwise op) may be
    # changed in place
    "computed-tensors-that-require-gradients": """
        import torch
        import torch.nn as nn

        model = nn.Linear(3, 1)
        w = torch.randn(3, 1, requires_grad=True)
        out = model(torch.randn(4, 3))
        out += 1
        c = torch.cat([w, w])
        c -= 1
        e = torch.exp(w)
        e *= 2
        z = torch.randn(4, 3) @ w
        z.add_(1)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_in_place_update_of_a_leaf_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("torch.no_grad()" in f.message and "leaf" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


RUNNABLE_BUGS = [n for n in BUGS if "imported" not in n]
RUNNABLE_LOOKALIKES = [n for n in LOOKALIKES if "imported" not in n]


@pytest.mark.parametrize("name", RUNNABLE_BUGS)
def test_each_bug_raises_under_torch(name, tmp_path):
    proc = run_with_torch(_text(BUGS[name][0]), tmp_path)
    assert proc.returncode != 0 and "leaf Variable that requires grad" in proc.stderr


@pytest.mark.parametrize("name", RUNNABLE_LOOKALIKES)
def test_each_look_alike_runs_under_torch(name, tmp_path):
    proc = run_with_torch(_text(LOOKALIKES[name]), tmp_path)
    assert proc.returncode == 0, proc.stderr
