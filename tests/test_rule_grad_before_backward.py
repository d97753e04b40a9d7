"""TL420: a tensor's gradient used (`w.grad.zero_()`, `w.grad.data.zero_()`) before any backward
pass has given it one. Each bug raises `AttributeError: 'NoneType' object has no attribute ...`
under torch on the first iteration; each look-alike runs (checked by running them where torch is
installed)."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import run_with_torch  # noqa: E402

ONLY = Config(select=("TL420",))

BUGS = {
    # the autograd tutorial's two-layer network: gradients zeroed before the first backward()
    "script-zeroes-through-data": ("""
        import torch

        x, y = torch.randn(16, 8), torch.randn(16, 2)
        w1 = torch.randn(8, 4, requires_grad=True)
        w2 = torch.randn(4, 2, requires_grad=True)
        for t in range(5):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            w1.grad.data.zero_()
            w2.grad.data.zero_()
            loss.backward()
            w1.data -= 1e-3 * w1.grad.data
            w2.data -= 1e-3 * w2.grad.data
    """, [9, 10]),
    # cleared at the top of the iteration, in a function, with a while loop
    "function-zeroes-at-the-top-of-a-while-loop": ("""
        import torch

        def fit(x, y, steps=5):
            w = torch.zeros(3, 1, requires_grad=True)
            b = torch.zeros(1, requires_grad=True)
            i = 0
            while i < steps:
                w.grad.zero_()
                b.grad.zero_()
                loss = ((x @ w + b - y) ** 2).mean()
                loss.backward()
                with torch.no_grad():
                    w -= 0.1 * w.grad
                    b -= 0.1 * b.grad
                i += 1
            return w, b

        fit(torch.randn(10, 3), torch.randn(10, 1))
    """, [8, 9]),
    # the Variable wrapper of old torch code
    "variable-leaf": ("""
        import torch
        from torch.autograd import Variable

        x = Variable(torch.randn(4, 3))
        w = Variable(torch.randn(3, 1), requires_grad=True)
        for t in range(3):
            w.grad.data.zero_()
            loss = x.mm(w).sum()
            loss.backward()
    """, [7]),
}

LOOKALIKES = {
    # cleared after the update: the gradient exists by then
    "zeroed-after-the-update": """
        import torch

        x, y = torch.randn(16, 8), torch.randn(16, 2)
        w = torch.randn(8, 2, requires_grad=True)
        for t in range(5):
            loss = (x.mm(w) - y).pow(2).sum()
            loss.backward()
            w.data -= 1e-3 * w.grad.data
            w.grad.data.zero_()
    """,
    # cleared by setting it to None, or only once it exists
    "set-to-none-and-guarded": """
        import torch

        x, y = torch.randn(16, 8), torch.randn(16, 2)
        w = torch.randn(8, 2, requires_grad=True)
        for t in range(5):
            if w.grad is not None:
                w.grad.zero_()
            loss = (x.mm(w) - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w -= 1e-3 * w.grad
            w.grad = None
    """,
    # a warm-up backward pass before the loop
    "warm-up-pass-first": """
        import torch

        x, y = torch.randn(16, 8), torch.randn(16, 2)
        w = torch.randn(8, 2, requires_grad=True)
        (x.mm(w) - y).pow(2).sum().backward()
        for t in range(5):
            w.grad.zero_()
            loss = (x.mm(w) - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w -= 1e-3 * w.grad
    """,
    # a model's parameters: their gradients are not the program's fresh leaves
    "optimizer-on-a-parameter-group": """
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 2)
        opt = torch.optim.SGD([{"params": model.parameters(), "lr": 0.1}])
        x, y = torch.randn(16, 8), torch.randn(16, 2)
        for t in range(5):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
    """,
    # a tensor that needs no gradient is never reported (its .grad is read nowhere here)
    "reading-grad-only-to-test-it": """
        import torch

        w = torch.randn(3, requires_grad=True)
        print(w.grad is None)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_gradient_used_before_backward_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("is None here" in f.message and "AttributeError" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


def test_on_by_default():
    program, lines = BUGS["script-zeroes-through-data"]
    assert sorted(f.line for f in analyze(_text(program), "t.py", Config()).findings if f.code == "TL420") == lines


@pytest.mark.parametrize("name", sorted(BUGS))
def test_each_bug_raises_under_torch(name, tmp_path):
    proc = run_with_torch(_text(BUGS[name][0]), tmp_path)
    assert proc.returncode != 0 and "'NoneType' object has no attribute" in proc.stderr


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_each_look_alike_runs_under_torch(name, tmp_path):
    proc = run_with_torch(_text(LOOKALIKES[name]), tmp_path)
    assert proc.returncode == 0, proc.stderr
