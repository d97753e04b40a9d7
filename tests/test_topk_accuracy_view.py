"""The top-k accuracy helper that many training scripts copy (pytorch/examples' imagenet script
before 49e1a88) views a slice of the transposed top-k indices, which torch refuses for k > 1 and
a batch of two samples or more. The scores usually come from a model the file does not show
(`models.__dict__[args.arch]()`, `torch.load`), so their shape is not known: `topk(k, 1)` says
they have two dims or more, `.t()` that they have no more, and `expand_as` that the transposed
indices have one column per label of the batch. Copies and moves keep a dense tensor's strides,
so the labels moved to the accelerator still tell. Checked against torch where it runs."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

torch = pytest.importorskip("torch")

ALL = Config(select=("ALL",))

HEAD = """
import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16)
"""


def _tl114(text: str) -> list:
    return [f.line for f in analyze(textwrap.dedent(text), "case.py", ALL).findings if f.code == "TL114"]


def _raises(text: str, model: str = "torch.nn.Linear(10, 10)") -> bool:
    """Whether the program raises torch's view error when its model is a real one."""
    code = textwrap.dedent(text).replace("torch.load('model.pt')", model).replace(".cuda(", ".to('cpu', ")
    code = code.replace("torch.cuda.is_available()", "True").replace("yb.to('cuda')", "yb")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 or "view size is not compatible" in proc.stderr, proc.stderr
    return proc.returncode != 0


BUGS = {
    "method-form-labels-moved": HEAD + """
model = torch.load('model.pt')
for x, y in loader:
    if torch.cuda.is_available():
        y = y.cuda(non_blocking=True)
    output = model(x)
    _, pred = output.topk(5, 1, True, True)
    pred = pred.t()
    correct = pred.eq(y.view(1, -1).expand_as(pred))
    acc = [correct[:k].view(-1).float().sum(0, keepdim=True) for k in (1, 5)]
""",
    "function-helper": HEAD + """
def accuracy(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        _, pred = torch.topk(output, maxk, dim=1)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in topk:
            res.append(correct[:k].view(-1).float().sum(0))
        return res

model = torch.load('model.pt')
for xb, yb in loader:
    top1, top5 = accuracy(model(xb), yb.to('cuda'), topk=(1, 5))
""",
    "clone-of-labels": HEAD + """
model = torch.load('model.pt')
for x, y in loader:
    labels = y.clone()
    _, pred = model(x).topk(3, 1)
    pred = pred.t()
    correct = pred.eq(labels.view(1, -1).expand_as(pred))
    hits = correct[:3].view(-1).sum()
""",
}

CORRECT = {
    "reshape": BUGS["method-form-labels-moved"].replace("correct[:k].view(-1)", "correct[:k].reshape(-1)"),
    "contiguous": BUGS["function-helper"].replace("correct[:k].view(-1)", "correct[:k].contiguous().view(-1)"),
    "top-1-only": BUGS["function-helper"].replace("topk=(1, 5)", "topk=(1,)").replace("top1, top5 =", "res ="),
    "flatten": BUGS["clone-of-labels"].replace("view(-1)", "flatten()"),
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_view_of_transposed_top_k_is_flagged(name):
    lines = _tl114(BUGS[name])
    assert len(lines) == 1, lines
    assert "view(-1)" in textwrap.dedent(BUGS[name]).splitlines()[lines[0] - 1]


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_helpers_stay_silent(name):
    assert _tl114(CORRECT[name]) == []


@pytest.mark.parametrize("name", sorted(BUGS))
def test_torch_raises_on_the_flagged_programs(name):
    assert _raises(BUGS[name])


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_torch_runs_the_silent_programs(name):
    assert not _raises(CORRECT[name])


def test_the_scores_shape_is_worked_out_step_by_step():
    text = HEAD + textwrap.dedent("""
    model = torch.load('model.pt')
    for x, y in loader:
        out = model(x).topk(5, 1)
        idx = out[1]
        pred = idx.t()
        wide = y.view(1, -1).expand_as(pred)
    """)
    values = {}
    for v in analyze(text, "case.py", ALL, collect_values=True).values:
        values.setdefault(v.span.start.line, []).append(v.text)
    lines = text.splitlines()
    at = {name: i for i, line in enumerate(lines, 1) for name in ("idx =", "pred =", "wide =") if line.strip().startswith(name)}
    assert "Tensor[...] int64" in values[at["idx ="]]  # the rank is not known yet
    assert "Tensor[5, ?] int64" in values[at["pred ="]]  # `.t()` takes two dims at most
    assert "Tensor[5, B] int64" in values[at["wide ="]]


def test_unknown_receiver_outside_a_torch_program_stays_unknown():
    # no torch imported: `topk` may be anything's method
    text = "import mylib\nm = mylib.load()\n_, pred = m.topk(5, 1)\np = pred.t()\n"
    assert all(v.text.startswith("Tensor") is False for v in analyze(text, "case.py", ALL, collect_values=True).values)


def test_cli_reports_the_helper(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(BUGS["function-helper"]))
    proc = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL114", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "TL114" in proc.stdout and "correct[:k]" in proc.stdout
