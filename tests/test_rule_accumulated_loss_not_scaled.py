"""TL007: gradients accumulated over K micro-batches whose losses are not divided by K, before a
step whose size depends on the gradient's scale (clipping, plain SGD). Written several ways: a
nanoGPT-style loop with a GradScaler, `with ctx:` and the next batch fetched after the forward
pass; module-level SGD over `next(loader_iter)`; `range(0, K)` with `K` grown by `*=`; and the
CLI on a file. The look-alikes divide the loss (`loss / K` bound again, `/=`, inside the
`backward()` or `scaler.scale(...)` call), multiply it by a scale, divide the gradients after
the loop, step inside the loop, accumulate once (`K = 1`) or an unknown number of times
(`args.accum`), use Adam without clipping, clear or step the gradients on every pass of the
loader loop, backpropagate under a condition, reduce with `reduction='sum'`, or sum one loss per
task (data indexed by the loop's variable)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL007",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


NANO = """
    import torch

    gradient_accumulation_steps = 5
    grad_clip = 1.0


    def train(model, optimizer, scaler, ctx, get_batch, max_iters):
        X, Y = get_batch('train')
        for iter_num in range(max_iters):
            for micro_step in range(gradient_accumulation_steps):
                with ctx:
                    logits, loss = model(X, Y)
                    {scale}
                X, Y = get_batch('train')
                {backward}
            {after}
            if grad_clip != 0.0:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad(set_to_none=True)
"""


def nano(scale="pass", backward="scaler.scale(loss).backward()", after="pass"):
    return NANO.format(scale=scale, backward=backward, after=after)


SGD = """
    import torch
    import torch.nn.functional as F

    model = torch.nn.Linear(10, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loader_iter = iter(loader)
    ACCUM = 4
    {grow}
    for step in range(1000):
        opt.zero_grad()
        for _ in range({count}):
            x, y = next(loader_iter)
            loss = F.cross_entropy(model(x), y{reduction})
            {backward}
        opt.step()
"""


def sgd(grow="", count="ACCUM", backward="loss.backward()", reduction=""):
    return SGD.format(grow=grow, count=count, backward=backward, reduction=reduction)


EVERY = """
    import torch

    ACCUM = 4


    def fit(model, loader, criterion, optimizer):
        for i, (x, y) in enumerate(loader):
            {body}
            if (i + 1) % ACCUM == 0:
                {clip}
                optimizer.step()
                optimizer.zero_grad()
"""


def every(body="loss = criterion(model(x), y)\n            loss.backward()",
          clip="torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)"):
    return EVERY.format(body=body, clip=clip)


BUGS = {
    "nanogpt-grad-scaler-and-clipping": (nano(), [15]),
    "module-level-sgd": (sgd(), [14]),
    "range-from-zero-count-grown": (sgd(grow="ACCUM *= 2", count="0, ACCUM"), [14]),
    "step-every-k-batches-clipped": (every(), [9]),
    "sgd-step-every-k-steps": ("""
        import torch

        model = torch.nn.Linear(8, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        step = 0
        while step < 1000:
            x, y = sample_batch()
            out = model(x)
            loss = ((out - y) ** 2).mean()
            loss.backward()
            step += 1
            if step % 8 == 0:
                opt.step()
                opt.zero_grad()
    """, [10]),
}

LOOKALIKES = {
    "loss-divided": nano(scale="loss = loss / gradient_accumulation_steps"),
    "loss-divided-in-place": nano(scale="loss /= gradient_accumulation_steps"),
    "divided-in-the-scale-call": nano(backward="scaler.scale(loss / gradient_accumulation_steps).backward()"),
    "divided-in-the-backward-call": sgd(backward="(loss / ACCUM).backward()"),
    "multiplied-by-a-scale": sgd(backward="loss = loss * (1.0 / ACCUM)\n            loss.backward()"),
    "gradients-divided-after-the-loop": nano(after="for p in model.parameters():\n                p.grad /= gradient_accumulation_steps"),
    "step-inside-the-loop": sgd(backward="loss.backward()\n            opt.step()"),
    "one-micro-step": sgd(count="1"),
    "unknown-count": sgd(count="args.accum"),
    "summed-loss": sgd(reduction=", reduction='sum'"),
    "adam-without-clipping": sgd().replace("torch.optim.SGD(model.parameters(), lr=0.1)", "torch.optim.Adam(model.parameters())"),
    "every-k-loss-divided": every(body="loss = criterion(model(x), y) / ACCUM\n            loss.backward()"),
    "every-k-gradients-cleared-each-pass": every(body="optimizer.zero_grad()\n            loss = criterion(model(x), y)\n"
                                                     "            loss.backward()"),
    "every-k-backward-under-a-condition": every(body="loss = criterion(model(x), y)\n            if loss.item() < 10:\n"
                                                    "                loss.backward()"),
    "every-k-adam-without-clipping": every(clip="pass"),
    "one-loss-per-task": """
        import torch
        import torch.nn.functional as F

        model = torch.nn.Linear(10, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for step in range(1000):
            opt.zero_grad()
            for k in range(3):
                loss = F.cross_entropy(model(xs[k]), ys[k])
                loss.backward()
            opt.step()
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_unscaled_accumulation_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_count_and_the_clipping(tmp_path):
    f = tmp_path / "train.py"
    f.write_text(textwrap.dedent(nano()).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL007", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("train.py:15:13: TL007 `loss` is backpropagated on each of the `gradient_accumulation_steps` passes of "
            "this loop, each on a new batch") in out.stdout
    assert "the step at line 20 follows the loop with neither the loss nor the gradients divided" in out.stdout
    assert "the clipping before the step cuts a gradient" in out.stdout


@pytest.mark.parametrize("src", [
    "import torch\nfor _ in range():\n    loss.backward()\nopt.step()\n",
    "import torch\nK = 0x10\nfor _ in range(K):\n    loss = f(next(it))\n    loss.backward(retain_graph=True)\nopt.step()\n",
    "import torch\nK = '3'\nK = 2\nwhile 1:\n    for _ in range(K):\n        x = g()\n        loss = f(x)\n        loss.backward()\n"
    "    scaler.step()\n    sched.step()\n",
    "import torch\nK = 4\nfor _ in range(K):\n    x = g()\n    loss = f(x)\n    loss.backward()\nelse:\n    opt.step()\n",
])
def test_odd_programs_do_not_crash(src):
    analyze(src, "odd.py", ONLY)
