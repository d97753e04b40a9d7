"""Hypothesis strategies that write small PyTorch training scripts, with and without the bugs the
fixable rules target, in the shapes people write them: the model as `nn.Linear`, `nn.Sequential`
or an `nn.Module` subclass; the loop flat, over epochs and batches, over a DataLoader, or in a
function; the data passed directly, unpacked (`model(*xs)`), through a helper or in a tuple; the
loss total kept as a number, a tensor, an attribute or a list and used afterwards as either; GAN
loops with two optimizers cleared in different ways.

Every script makes its own data (tiny tensors), runs a few iterations and finishes in well under
a second on a CPU, so the original and the fixed version can both be run.
"""
from __future__ import annotations

import re

from hypothesis import strategies as st

N, F = 8, 4


def _mostly(usual: str, others: list[str]):
    """`usual` half of the time, one of `others` otherwise."""
    return st.one_of(st.just(usual), st.sampled_from(others))


def _indent(lines, depth: int) -> list[str]:
    return [("    " * depth + line) if line else line for line in lines]


@st.composite
def regression_programs(draw) -> str:
    classify = draw(st.booleans())
    out_dim = 3 if classify else 1
    model_kind = draw(st.sampled_from(["linear", "sequential", "module"]))
    # each bug is drawn now and then, so that most programs hold one or none and run to the end
    input_kind = draw(_mostly("float", ["randint", "long", "int_dtype", "double", "numpy64"]))
    call = draw(_mostly("direct", ["starred", "helper", "tuple_helper", "forward"]))
    shape = draw(st.sampled_from(["flat", "epochs", "function", "loader"]))
    clearing = draw(_mostly("opt", ["opt_after", "model", "none", "guarded", "accumulate"]))
    scheduler = draw(st.booleans())
    total_kind = draw(st.sampled_from([None, "aug", "assign", "assign_rev", "attr", "scaled", "list"]))
    later = draw(st.sampled_from(["none", "print", "fstring", "item", "cpu", "numpy", "compare", "stack"]))
    extras = draw(st.sets(st.sampled_from(["eval", "nan_check", "log_softmax"]), max_size=1))
    if classify:
        loss_kind = draw(_mostly("ce", ["ce_float_target", "nll_log_softmax"]))
    else:
        loss_kind = draw(_mostly("mse_fn", ["mse_mod", "l1_broadcast", "nonscalar", "bce_on_logits"]))

    head = ["import math", "import numpy as np", "import torch", "import torch.nn as nn", "import torch.nn.functional as F", ""]
    if shape == "loader":
        head.insert(4, "from torch.utils.data import DataLoader, TensorDataset")
    if model_kind == "linear":
        head += [f"model = nn.Linear({F}, {out_dim})"]
    elif model_kind == "sequential":
        # a Dropout makes eval mode matter (TL407 is about models whose layers change with it)
        head += [f"model = nn.Sequential(nn.Linear({F}, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, {out_dim}))"]
    else:
        head += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()",
                 f"        self.hidden = nn.Linear({F}, 8)", f"        self.out = nn.Linear(8, {out_dim})", "",
                 "    def forward(self, x):", "        return self.out(torch.relu(self.hidden(x)))", "", "model = Net()"]
    head += ["opt = torch.optim.SGD(model.parameters(), lr=0.01)"]
    if scheduler:
        head += ["sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)"]
    head += [{
        "float": f"x = torch.randn({N}, {F})",
        "randint": f"x = torch.randint(0, 5, ({N}, {F}))",
        "long": f"x = torch.randn({N}, {F}).long()",
        "int_dtype": f"x = torch.zeros({N}, {F}, dtype=torch.int64)",
        "double": f"x = torch.randn({N}, {F}).double()",
        "numpy64": f"x = torch.from_numpy(np.random.rand({N}, {F}))",
    }[input_kind]]
    if classify:
        head += [f"y = torch.randint(0, {out_dim}, ({N},))" + (".float()" if loss_kind == "ce_float_target" else "")]
    elif loss_kind == "l1_broadcast":
        head += [f"y = torch.randn({N})"]
    elif loss_kind == "bce_on_logits":
        head += [f"y = torch.rand({N}, 1)"]
    else:
        head += [f"y = torch.randn({N}, 1)"]
    if loss_kind == "mse_mod":
        head += ["criterion = nn.MSELoss()"]
    elif loss_kind == "bce_on_logits":
        head += ["criterion = nn.BCELoss()"]
    if call == "helper":
        head += ["", "def predict(m, inputs):", "    return m(inputs)", ""]
    elif call == "tuple_helper":
        head += ["", "def predict(m, batch):", "    return m(batch[0])", ""]
    if total_kind == "attr":
        head += ["", "class Stats:", "    total = 0.0", "", "stats = Stats()"]
    acc = {"aug": "total", "assign": "total", "assign_rev": "total", "scaled": "total", "attr": "stats.total", "list": "losses"}.get(total_kind)

    xb, yb = ("xb", "yb") if shape == "loader" else ("x", "y")
    body = []
    if clearing == "opt":
        body += ["opt.zero_grad()"]
    elif clearing == "model":
        body += ["model.zero_grad()"]
    if call == "starred":
        body += [f"inputs = [{xb}]", "out = model(*inputs)"]
    elif call == "helper":
        body += [f"out = predict(model, {xb})"]
    elif call == "tuple_helper":
        body += [f"out = predict(model, ({xb}, {yb}))"]
    elif call == "forward":
        body += [f"out = model.forward({xb})"]
    else:
        body += [f"out = model({xb})"]
    body += {
        "ce": [f"loss = F.cross_entropy(out, {yb})"],
        "ce_float_target": [f"loss = F.cross_entropy(out, {yb})"],
        "nll_log_softmax": [f"loss = F.nll_loss(torch.log(F.softmax(out, dim=1)), {yb})" if "log_softmax" in extras
                            else f"loss = F.nll_loss(F.log_softmax(out, dim=1), {yb})"],
        "mse_fn": [f"loss = F.mse_loss(out, {yb})"],
        "mse_mod": [f"loss = criterion(out, {yb})"],
        "l1_broadcast": [f"loss = F.l1_loss(out, {yb})"],
        "nonscalar": [f"loss = F.mse_loss(out, {yb}, reduction='none')"],
        "bce_on_logits": [f"loss = criterion(out, {yb})"],
    }[loss_kind]
    if "nan_check" in extras:
        body += ["if loss.item() == float('nan'):", "    break"]
    body += ["loss.backward()"]
    if clearing == "guarded":
        body += ["if torch.isfinite(loss).all():", "    opt.step()"]
    elif clearing == "accumulate":
        body += ["if (step + 1) % 2 == 0:", "    opt.step()", "    opt.zero_grad()"]
    else:
        body += ["opt.step()"]
    if clearing == "opt_after":
        body += ["opt.zero_grad()"]
    body += {
        None: [],
        "aug": ["total += loss"],
        "assign": ["total = total + loss"],
        "assign_rev": ["total = loss + total"],
        "scaled": [f"total += loss * {xb}.size(0)"],
        "attr": ["stats.total += loss"],
        "list": ["losses.append(loss)"],
    }[total_kind]

    lines = list(head)
    init = {"list": ["losses = []"], "attr": [], None: []}.get(total_kind, ["total = 0.0"])
    eval_block = ["model.eval()", "with torch.no_grad():", "    val = model(x)"]
    if shape == "flat":
        lines += init + ["for step in range(3):"] + _indent(body, 1)
        if scheduler:
            lines += ["    sched.step()"]
        if "eval" in extras:
            lines += _indent(eval_block, 1)
        result = acc
    elif shape == "epochs":
        lines += init + ["for epoch in range(2):"] + _indent(["for step in range(2):"] + _indent(body, 1), 1)
        if scheduler:
            lines += ["    sched.step()"]
        if "eval" in extras:
            lines += _indent(eval_block, 1)
        result = acc
    elif shape == "loader":
        lines += [f"loader = DataLoader(TensorDataset(x, y), batch_size=4)"] + init
        lines += ["for epoch in range(2):"] + _indent(["for step, (xb, yb) in enumerate(loader):"] + _indent(body, 1), 1)
        if scheduler:
            lines += ["    sched.step()"]
        if "eval" in extras:
            lines += _indent(eval_block, 1)
        result = acc
    else:  # a function that trains and returns the total
        inner = init + ["for step in range(3):"] + _indent(body, 1)
        if scheduler:
            inner += ["    sched.step()"]
        if "eval" in extras:
            inner += _indent(eval_block, 1)
        inner += [f"return {acc}" if acc else "return None"]
        lines += ["def train():"] + _indent(inner, 1) + ["", "result = train()"]
        result = "result" if acc else None
    if result:
        if total_kind == "list":
            lines += {
                "none": [], "print": [f"print(len({result}))"], "fstring": [f"print(f'{{len({result})}} losses')"],
                "item": [f"print([v.item() for v in {result}])"], "cpu": [f"print([v.cpu() for v in {result}])"],
                "numpy": [f"print(torch.stack({result}).detach().numpy())"], "compare": [f"print(min({result}) < 10)"],
                "stack": [f"print(torch.stack({result}).mean().item())"],
            }[later]
        else:
            lines += {
                "none": [], "print": [f"print({result} / 3)"], "fstring": [f"print(f'{{{result}:.3f}}')"],
                "item": [f"print({result}.item())"], "cpu": [f"print({result}.cpu())"],
                "numpy": [f"print({result}.detach().numpy())"], "compare": [f"print({result} < 10)"],
                "stack": [f"print(torch.stack([{result}, {result}]).sum())"],
            }[later]
    return "\n".join(lines) + "\n"


@st.composite
def gan_programs(draw) -> str:
    """Two models, two optimizers: the discriminator and the generator step in turn."""
    g_model = draw(st.sampled_from(["linear", "sequential"]))
    clearing = draw(st.sampled_from(["none", "g_only", "d_only", "both", "d_model", "both_model"]))
    d_first = draw(st.booleans())
    detach = draw(st.booleans())
    holder = draw(st.sampled_from(["globals", "class"]))
    d_twice = draw(st.booleans())  # the discriminator's loss in two backward() calls (real, fake)

    g = "nn.Linear(4, 8)" if g_model == "linear" else "nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))"
    fake_d = "fake.detach()" if detach else "fake"
    d_block = []
    if clearing in ("d_only", "both"):
        d_block += ["opt_d.zero_grad()"]
    elif clearing in ("d_model", "both_model"):
        d_block += ["D.zero_grad()"]
    if d_twice:
        d_block += ["bce(D(real), torch.ones(8, 1)).backward()", f"bce(D({fake_d}), torch.zeros(8, 1)).backward()"]
    else:
        d_block += [f"d_loss = bce(D(real), torch.ones(8, 1)) + bce(D({fake_d}), torch.zeros(8, 1))", "d_loss.backward()"]
    d_block += ["opt_d.step()"]
    g_block = []
    if clearing in ("g_only", "both"):
        g_block += ["opt_g.zero_grad()"]
    elif clearing == "both_model":
        g_block += ["G.zero_grad()"]
    g_block += ["g_loss = bce(D(fake), torch.ones(8, 1))", "g_loss.backward()", "opt_g.step()"]
    body = ["fake = G(torch.randn(8, 4))"] + (d_block + g_block if d_first else g_block + ["fake = G(torch.randn(8, 4))"] + d_block)
    setup = [f"G = {g}", "D = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))",
             "opt_g = torch.optim.Adam(G.parameters(), lr=1e-3)", "opt_d = torch.optim.Adam(D.parameters(), lr=1e-3)",
             "bce = nn.BCEWithLogitsLoss()", "real = torch.randn(8, 8)"]
    lines = ["import torch", "import torch.nn as nn", ""]
    if holder == "globals":
        lines += setup + ["for it in range(3):"] + _indent(body, 1)
        lines += ["print(D[0].weight.grad.norm() if D[0].weight.grad is not None else None)"]
    else:  # the same loop as methods of a trainer that keeps everything in attributes
        lines += ["class GANTrainer:", "    def __init__(self):"] + _indent([_attrs(s) for s in setup], 2)
        lines += ["", "    def fit(self, steps):", "        for it in range(steps):"] + _indent([_attrs(b) for b in body], 3)
        lines += ["", "GANTrainer().fit(3)"]
    return "\n".join(lines) + "\n"


def _attrs(line: str) -> str:
    return re.sub(r"(?<![\w.])(G|D|opt_g|opt_d|bce|real)\b", r"self.\1", line)


def training_programs():
    return st.one_of(regression_programs(), gan_programs())
