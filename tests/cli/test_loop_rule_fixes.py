"""Training-loop rules and their fixes, checked against the code around them: TL409 keeps a tensor
when the total is used as one later, TL101/TL102 leave starred arguments alone, TL403 judges each
optimizer of a loop on its own and puts each `zero_grad()` where that optimizer's gradients
start, TL404 does not take a learning-rate scheduler's `step()` for an optimizer step.

Where a test says a program fails or runs, it is run under torch (skipped without it)."""
from __future__ import annotations

import pytest

from fix_safety import Runner, broke
from tensorlint.config import Config
from tensorlint.fixer import apply_findings, fix_until_stable, parses
from tensorlint.runner import _analyze

ALL = Config(select=("ALL",))

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
SETUP = HEAD + ("model = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
                "x, y = torch.randn(40, 5), torch.randn(40, 1)\n")


def findings(text: str, code: str) -> list:
    return [f for f in _analyze(text, "train.py", ALL) if f.code == code]


def lines(text: str, code: str) -> list[int]:
    return sorted(f.span.start.line for f in findings(text, code))


def fixed(text: str, code: str | None = None, unsafe: bool = False) -> str:
    def analyze(t):
        return [f for f in _analyze(t, "train.py", ALL) if code is None or f.code == code]

    return fix_until_stable(text, analyze, apply_findings, parses, unsafe=unsafe).state


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def torch_runner():
    r = Runner(timeout=60)
    if not r.available("torch"):
        r.close()
        pytest.skip(f"{r.python} cannot import torch")
    yield r
    r.close()


def assert_runs_before_and_after(runner, original: str, after: str) -> None:
    before_out, after_out = runner.run(original), runner.run(after)
    assert before_out.status == "ran", before_out
    assert after_out.status == "ran", f"{after_out}\n{after}"
    assert broke(original, after, before_out, after_out) is None


# -- TL409: the fix is chosen from how the total is used ------------------------------------------

def loop_with(accumulate: str, after: str = "", init: str = "total = 0.0\n") -> str:
    return (SETUP + init + "for step in range(5):\n    opt.zero_grad()\n    loss = F.mse_loss(model(x), y)\n"
            f"    loss.backward()\n    opt.step()\n    {accumulate}\n" + after)


@pytest.mark.parametrize("accumulate", [
    "total += loss", "total = total + loss", "total = loss + total", "total += loss * x.size(0)", "total = total + loss * 2",
])
def test_tl409_total_written_several_ways(accumulate):
    text = loop_with(accumulate)
    assert lines(text, "TL409") == [line_of(text, accumulate)]


def trainer_class(after_loop: str) -> str:
    """A trainer keeping its running total in `self.total`; `after_loop` ends `fit`."""
    return HEAD + (
        "class Trainer:\n    def __init__(self):\n        self.model = nn.Linear(5, 1)\n"
        "        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.05)\n        self.total = 0.0\n\n"
        "    def fit(self, x, y):\n        for step in range(5):\n            self.opt.zero_grad()\n"
        "            loss = F.mse_loss(self.model(x), y)\n            loss.backward()\n            self.opt.step()\n"
        f"            self.total = self.total + loss\n        {after_loop}\n\n"
        "print(Trainer().fit(torch.randn(8, 5), torch.randn(8, 1)))\n")


@pytest.mark.parametrize("after_loop,suffix", [
    ("return self.total", ".detach()"),  # returned: it stays a tensor
    ("print(f'{self.total / 5:.3f}')", ".item()"),  # only logged
])
def test_tl409_attribute_totals_in_a_trainer_class(after_loop, suffix, torch_runner):
    text = trainer_class(after_loop)
    assert lines(text, "TL409") == [line_of(text, "self.total = self.total + loss")]
    out = fixed(text, "TL409")
    assert f"self.total = self.total + loss{suffix}" in out
    assert_runs_before_and_after(torch_runner, text, out)


@pytest.mark.parametrize("after", [
    "",
    "print(total / 5)\n",
    "print(f'{total:.4f}')\n",
    "avg = total / 5\nprint('loss', avg, float(avg))\n",
    "if total < 1e9:\n    print('ok')\n",
    "best = min(total, 10.0)\nprint(best)\n",
])
def test_tl409_a_total_only_used_as_a_number_gets_item(after, torch_runner):
    text = loop_with("total += loss", after)
    out = fixed(text, "TL409")
    assert "total += loss.item()" in out
    assert_runs_before_and_after(torch_runner, text, out)


@pytest.mark.parametrize("after", [
    "print(total.item())\n",
    "print(total.cpu())\n",
    "print(total.detach().numpy())\n",
    "print(torch.stack([total, total]).mean())\n",
    "avg = total / 5\nprint(avg.item())\n",  # through another name
    "best = min(total, torch.tensor(10.0))\nprint(best.item())\n",
    "history = []\nhistory.append(total)\nprint(torch.stack(history))\n",  # kept in a list
])
def test_tl409_a_total_used_as_a_tensor_later_gets_detach(after, torch_runner):
    text = loop_with("total += loss", after)
    out = fixed(text, "TL409")
    assert "total += loss.detach()" in out
    assert_runs_before_and_after(torch_runner, text, out)
    # and .item() would have broken it: the reason for the choice
    item = text.replace("total += loss\n", "total += loss.item()\n")
    assert torch_runner.run(item).status == "raised"


def test_tl409_returned_total_keeps_being_a_tensor(torch_runner):
    text = SETUP + (
        "def train_epoch():\n    running = 0.0\n    for step in range(5):\n        opt.zero_grad()\n"
        "        loss = F.mse_loss(model(x), y)\n        loss.backward()\n        opt.step()\n        running += loss\n"
        "    return running / 5\n\nprint(train_epoch().item())\n")
    out = fixed(text, "TL409")
    assert "running += loss.detach()" in out
    assert_runs_before_and_after(torch_runner, text, out)


def test_tl409_a_loss_that_is_not_a_scalar_is_detached_not_itemized(torch_runner):
    text = SETUP + ("total = 0.0\nfor step in range(5):\n    opt.zero_grad()\n    per_sample = F.mse_loss(model(x), y, reduction='none')\n"
                    "    per_sample.mean().backward()\n    opt.step()\n    total += per_sample\nprint(total.shape)\n")
    out = fixed(text, "TL409")
    assert "total += per_sample.detach()" in out
    assert_runs_before_and_after(torch_runner, text, out)


@pytest.mark.parametrize("keep,expected", [
    ("losses.append(loss)", "losses.append(loss.detach())"),
    ("losses += [loss]", "losses += [loss.detach()]"),
    ("losses.extend([loss])", "losses.extend([loss.detach()])"),
    ("losses.insert(0, loss)", "losses.insert(0, loss.detach())"),
])
def test_tl409_losses_kept_in_a_list_written_several_ways(keep, expected, torch_runner):
    text = SETUP + ("losses = []\nfor step in range(5):\n    opt.zero_grad()\n    loss = F.mse_loss(model(x), y)\n"
                    f"    loss.backward()\n    opt.step()\n    {keep}\nprint(torch.stack(list(losses)).mean().item())\n")
    assert lines(text, "TL409") == [line_of(text, keep)]
    out = fixed(text, "TL409")
    assert f"    {expected}\n" in out
    assert_runs_before_and_after(torch_runner, text, out)


def test_tl409_a_list_of_losses_gets_detach(torch_runner):
    text = SETUP + ("losses = []\nfor step in range(5):\n    opt.zero_grad()\n    loss = F.mse_loss(model(x), y)\n"
                    "    loss.backward()\n    opt.step()\n    losses.append(loss)\nprint(torch.stack(losses).mean().item())\n")
    assert lines(text, "TL409") == [line_of(text, "losses.append(loss)")]
    out = fixed(text, "TL409")
    assert "losses.append(loss.detach())" in out
    assert_runs_before_and_after(torch_runner, text, out)


@pytest.mark.parametrize("text", [
    # the sum is differentiated on purpose
    HEAD + "heads = [nn.Linear(5, 1) for _ in range(3)]\nx = torch.randn(8, 5)\nparams = [p for h in heads for p in h.parameters()]\n"
    "total = 0\nfor step in range(3):\n    for h in heads:\n        h(x).pow(2).mean().backward()\n        total = total + h(x).pow(2).mean()\n"
    "grads = torch.autograd.grad(total, params)\n",
    # numbers and detached values
    loop_with("total = total + loss.item()"),
    loop_with("total = total + loss.detach()"),
    loop_with("total += float(loss)"),
    # a total made anew in each iteration
    SETUP + "for step in range(5):\n    opt.zero_grad()\n    total = 0.0\n    loss = F.mse_loss(model(x), y)\n"
    "    total = total + loss\n    total.backward()\n    opt.step()\n",
])
def test_tl409_lookalikes_stay_silent(text):
    assert findings(text, "TL409") == []


# -- TL101 / TL102: no `.float()` on an argument that is unpacked ---------------------------------

INT_MODEL = HEAD + "model = nn.Linear(10, 1)\n"


@pytest.mark.parametrize("data,call", [
    ("xs = [torch.randint(0, 10, (4, 10))]\n", "out = model(*xs)\n"),
    ("xs = (torch.randint(0, 10, (4, 10)),)\n", "out = model(*xs)\n"),
    ("batch = [torch.randint(0, 10, (4, 10))]\n\ndef predict(m, inputs):\n    return m(inputs)\n\n", "out = predict(model, *batch)\n"),
])
def test_tl101_starred_arguments_are_reported_without_a_fix(data, call, torch_runner):
    text = INT_MODEL + data + call
    found = findings(text, "TL101")
    assert [f.span.start.line for f in found] == [line_of(text, call.strip())]
    assert found[0].fix is None
    assert ".float()" not in fixed(text, unsafe=True)
    assert torch_runner.run(text).exception == "RuntimeError"  # the bug is real: mat1 and mat2 dtypes differ


def test_tl101_double_starred_call_gets_no_broken_edit(torch_runner):
    text = HEAD + ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 1)\n\n"
                   "    def forward(self, x):\n        return self.fc(x)\n\nmodel = Net()\nkw = {'x': torch.randint(0, 10, (4, 10))}\n"
                   "out = model(**kw)\n")
    out = fixed(text, unsafe=True)
    assert "kw.float()" not in out and "**kw.float()" not in out
    assert broke(text, out, torch_runner.run(text), torch_runner.run(out)) is None


@pytest.mark.parametrize("data,call,expected", [
    ("x = torch.randint(0, 10, (4, 10))\n", "out = model(x)\n", "out = model(x.float())\n"),
    ("batch = (torch.randint(0, 10, (4, 10)), torch.zeros(4))\n", "out = model(batch[0])\n", "out = model(batch[0].float())\n"),
    ("xs = [torch.randint(0, 10, (4, 10))]\n", "out = model(xs[0])\n", "out = model(xs[0].float())\n"),
])
def test_tl101_plain_arguments_keep_their_fix_and_it_runs(data, call, expected, torch_runner):
    text = INT_MODEL + data + call
    out = fixed(text, "TL101")
    assert out.endswith(expected)
    assert torch_runner.run(text).exception == "RuntimeError"
    assert torch_runner.run(out).status == "ran"


def test_tl102_starred_float64_argument_gets_no_fix():
    text = HEAD + "import numpy as np\nmodel = nn.Linear(3, 1)\nxs = [torch.from_numpy(np.random.rand(4, 3))]\nout = model(*xs)\n"
    found = findings(text, "TL102")
    assert found and found[0].fix is None


# -- TL403: each optimizer on its own --------------------------------------------------------------

GAN_SETUP = HEAD + ("G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))\nD = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
                    "opt_g = torch.optim.Adam(G.parameters(), lr=1e-3)\nopt_d = torch.optim.Adam(D.parameters(), lr=1e-3)\n"
                    "bce = nn.BCEWithLogitsLoss()\nreal = torch.randn(8, 8)\n")
D_STEP = ("    d_loss = bce(D(real), torch.ones(8, 1)) + bce(D(fake.detach()), torch.zeros(8, 1))\n"
          "    d_loss.backward()\n    opt_d.step()\n")
G_STEP = "    g_loss = bce(D(fake), torch.ones(8, 1))\n    g_loss.backward()\n    opt_g.step()\n"


def gan(d_clear: str = "", g_clear: str = "", g_first: bool = False) -> str:
    d = (f"    {d_clear}\n" if d_clear else "") + D_STEP
    g = (f"    {g_clear}\n" if g_clear else "") + G_STEP
    return GAN_SETUP + "for it in range(3):\n    fake = G(torch.randn(8, 4))\n" + (g + d if g_first else d + g)


def test_tl403_gan_with_only_the_generator_cleared_reports_the_discriminator(torch_runner):
    text = gan(g_clear="opt_g.zero_grad()")
    found = findings(text, "TL403")
    assert [f.span.start.line for f in found] == [line_of(text, "d_loss.backward()")]
    assert "opt_d" in found[0].message
    out = fixed(text, "TL403")
    assert out == text.replace("    d_loss.backward()\n", "    opt_d.zero_grad()\n    d_loss.backward()\n")
    assert_runs_before_and_after(torch_runner, text, out)


def test_tl403_gan_with_only_the_discriminator_cleared_reports_the_generator():
    text = gan(d_clear="opt_d.zero_grad()", g_first=True)
    assert lines(text, "TL403") == [line_of(text, "g_loss.backward()")]
    assert fixed(text, "TL403") == text.replace("    g_loss.backward()\n", "    opt_g.zero_grad()\n    g_loss.backward()\n")


def test_tl403_gan_without_any_clearing_gets_one_zero_grad_before_each_optimizers_backward():
    text = gan()
    assert lines(text, "TL403") == [line_of(text, "d_loss.backward()"), line_of(text, "g_loss.backward()")]
    out = fixed(text, "TL403")
    # opt_g.zero_grad() after D's step: g_loss.backward() also reaches D, for D's next step to discard
    assert out == text.replace("    d_loss.backward()\n", "    opt_d.zero_grad()\n    d_loss.backward()\n").replace(
        "    g_loss.backward()\n", "    opt_g.zero_grad()\n    g_loss.backward()\n")


def test_tl403_discriminator_loss_in_two_backward_calls_is_cleared_before_the_first():
    text = GAN_SETUP + ("for it in range(3):\n    fake = G(torch.randn(8, 4))\n    bce(D(real), torch.ones(8, 1)).backward()\n"
                        "    bce(D(fake.detach()), torch.zeros(8, 1)).backward()\n    opt_d.step()\n    opt_g.zero_grad()\n" + G_STEP)
    out = fixed(text, "TL403")
    assert "    opt_d.zero_grad()\n    bce(D(real), torch.ones(8, 1)).backward()\n    bce(D(fake.detach())" in out


def test_tl403_gan_in_a_trainer_class_with_attributes():
    text = HEAD + (
        "class GANTrainer:\n    def __init__(self):\n        self.G = nn.Linear(4, 8)\n        self.D = nn.Linear(8, 1)\n"
        "        self.opt_g = torch.optim.Adam(self.G.parameters())\n        self.opt_d = torch.optim.Adam(self.D.parameters())\n"
        "        self.bce = nn.BCEWithLogitsLoss()\n\n    def fit(self, real, steps):\n        for it in range(steps):\n"
        "            fake = self.G(torch.randn(8, 4))\n"
        "            d_loss = self.bce(self.D(real), torch.ones(8, 1)) + self.bce(self.D(fake.detach()), torch.zeros(8, 1))\n"
        "            d_loss.backward()\n            self.opt_d.step()\n            self.G.zero_grad()\n"
        "            g_loss = self.bce(self.D(fake), torch.ones(8, 1))\n            g_loss.backward()\n            self.opt_g.step()\n\n"
        "GANTrainer().fit(torch.randn(8, 8), 3)\n")
    assert lines(text, "TL403") == [line_of(text, "d_loss.backward()")]
    assert "            self.opt_d.zero_grad()\n            d_loss.backward()" in fixed(text, "TL403")


def test_tl403_two_optimizers_after_one_shared_backward_get_one_finding_and_both_calls(torch_runner):
    text = HEAD + ("enc = nn.Linear(4, 2)\ndec = nn.Linear(2, 4)\nenc_opt = torch.optim.Adam(enc.parameters())\n"
                   "dec_opt = torch.optim.Adam(dec.parameters())\nx = torch.randn(8, 4)\nfor i in range(3):\n"
                   "    loss = ((dec(enc(x)) - x) ** 2).mean()\n    loss.backward()\n    enc_opt.step()\n    dec_opt.step()\n")
    found = findings(text, "TL403")
    assert [f.span.start.line for f in found] == [line_of(text, "loss.backward()")]
    assert "enc_opt" in found[0].message and "dec_opt" in found[0].message and f"lines {line_of(text, 'enc_opt.step')}, {line_of(text, 'dec_opt.step')}" in found[0].message
    out = fixed(text, "TL403")
    assert "    enc_opt.zero_grad()\n    dec_opt.zero_grad()\n    loss.backward()\n" in out
    assert_runs_before_and_after(torch_runner, text, out)


def test_tl403_two_optimizers_on_shared_parameters_are_reported_without_a_fix():
    text = SETUP + ("fine = torch.optim.SGD(model.parameters(), lr=0.001)\nfor i in range(3):\n"
                    "    model(x).pow(2).mean().backward()\n    opt.step()\n    F.mse_loss(model(x), y).backward()\n    fine.step()\n")
    found = findings(text, "TL403")
    assert len(found) == 2 and all(f.fix is None for f in found)


@pytest.mark.parametrize("guard", ["if torch.isfinite(loss):", "if not torch.isnan(loss):", "if loss.item() < 1e6:",
                                   "if torch.isfinite(loss).all():", "if math.isfinite(loss.item()):"])
def test_tl403_a_guarded_step_is_not_accumulation(guard, torch_runner):
    text = "import math\n" + SETUP + ("for i in range(5):\n    loss = F.mse_loss(model(x), y)\n    loss.backward()\n"
                                     f"    {guard}\n        opt.step()\n")
    assert lines(text, "TL403") == [line_of(text, "loss.backward()")]
    out = fixed(text, "TL403")
    assert "    opt.zero_grad()\n    loss.backward()" in out
    assert_runs_before_and_after(torch_runner, text, out)


@pytest.mark.parametrize("guard", ["if (i + 1) % 4 == 0:", "if i % 2 == 0 and torch.isfinite(loss):"])
def test_tl403_a_scheduled_step_stays_accumulation(guard):
    text = SETUP + ("for i in range(8):\n    loss = F.mse_loss(model(x), y)\n    loss.backward()\n"
                    f"    {guard}\n        opt.step()\n")
    assert findings(text, "TL403") == []


@pytest.mark.parametrize("text", [
    gan(d_clear="opt_d.zero_grad()", g_clear="opt_g.zero_grad()"),
    gan(d_clear="D.zero_grad()", g_clear="G.zero_grad()"),
    gan(d_clear="opt_d.zero_grad(set_to_none=True)", g_clear="opt_g.zero_grad()", g_first=True),
    # one clearing through an unknown helper object: cannot tell which optimizer it reaches
    gan(d_clear="helper.reset()", g_clear="opt_g.zero_grad()").replace("for it", "helper = make_helper()\nfor it", 1)
    .replace("helper.reset()", "helper.zero_grad()"),
])
def test_tl403_gan_lookalikes_stay_silent(text):
    assert findings(text, "TL403") == []


def test_tl403_the_gan_bug_shows_at_run_time(torch_runner):
    """Without opt_d.zero_grad(), D steps from the second iteration on with more than its own
    loss's gradient (the last iterations' and the generator's backward add to it); with the fix it
    steps on exactly its own loss's gradient. Both programs are instrumented after fixing."""
    text = gan(g_clear="opt_g.zero_grad()")
    out = fixed(text, "TL403")

    def instrument(program: str, is_fixed: bool) -> str:
        return program.replace("    d_loss.backward()\n", (
            "    own = torch.autograd.grad(d_loss, D[0].weight, retain_graph=True)[0]\n    d_loss.backward()\n"
            f"    assert torch.allclose(D[0].weight.grad, own) == ({is_fixed} or it == 0)\n"))

    assert torch_runner.run(instrument(text, False)).status == "ran"
    assert torch_runner.run(instrument(out, True)).status == "ran"


# -- TL404: a scheduler's step() is not an optimizer step -----------------------------------------

@pytest.mark.parametrize("make,call", [
    ("sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)\n", "sched.step()"),
    ("from torch.optim import lr_scheduler\nsched = lr_scheduler.CosineAnnealingLR(opt, T_max=5)\n", "sched.step()"),
    ("from torch.optim.lr_scheduler import ReduceLROnPlateau\nplateau = ReduceLROnPlateau(opt)\n", "plateau.step(loss.item())"),
    ("from torch.optim.lr_scheduler import OneCycleLR as Cycle\nsched = Cycle(opt, max_lr=0.1, total_steps=10)\n", "sched.step()"),
])
def test_tl404_a_loop_that_only_steps_the_scheduler(make, call, torch_runner):
    text = SETUP + make + ("w0 = model.weight.detach().clone()\nfor epoch in range(5):\n    opt.zero_grad()\n"
                           f"    loss = F.mse_loss(model(x), y)\n    loss.backward()\n    {call}\n"
                           "assert torch.equal(w0, model.weight)  # the weights never changed\n")
    found = findings(text, "TL404")
    assert [f.span.start.line for f in found] == [line_of(text, "loss.backward()")]
    assert "only changes the learning rate" in found[0].message
    assert torch_runner.run(text).status == "ran"  # the assertion holds: nothing was learned


def test_tl404_scheduler_kept_in_a_trainer_attribute():
    text = HEAD + ("class Trainer:\n    def __init__(self):\n        self.model = nn.Linear(5, 1)\n"
                   "        self.opt = torch.optim.Adam(self.model.parameters())\n"
                   "        self.scheduler = torch.optim.lr_scheduler.ExponentialLR(self.opt, gamma=0.9)\n\n"
                   "    def fit(self, x, y):\n        for epoch in range(5):\n            self.opt.zero_grad()\n"
                   "            loss = F.mse_loss(self.model(x), y)\n            loss.backward()\n            self.scheduler.step()\n\n"
                   "Trainer().fit(torch.randn(8, 5), torch.randn(8, 1))\n")
    assert lines(text, "TL404") == [line_of(text, "loss.backward()")]


@pytest.mark.parametrize("text", [
    SETUP + "sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)\nfor epoch in range(5):\n    opt.zero_grad()\n"
    "    F.mse_loss(model(x), y).backward()\n    opt.step()\n    sched.step()\n",
    # a `.step()` of something the analyzer does not know may be an optimizer's
    SETUP + "trainer = make_trainer(opt)\nfor epoch in range(5):\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n"
    "    trainer.step()\n",
    # transformers' warm-up schedule next to the optimizer step
    SETUP + "from transformers import get_linear_schedule_with_warmup\nsched = get_linear_schedule_with_warmup(opt, 2, 10)\n"
    "for epoch in range(5):\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    opt.step()\n    sched.step()\n",
])
def test_tl404_lookalikes_stay_silent(text):
    assert findings(text, "TL404") == []


def test_tl404_transformers_schedule_alone_is_reported():
    text = SETUP + ("from transformers import get_linear_schedule_with_warmup\nsched = get_linear_schedule_with_warmup(opt, 2, 10)\n"
                    "for epoch in range(5):\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    sched.step()\n")
    assert lines(text, "TL404") == [line_of(text, ".backward()")]
