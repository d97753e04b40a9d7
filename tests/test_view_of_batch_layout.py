"""Views of tensors whose batch size is a symbol: a loader's batch `B` is at least 2 and not
known, yet a transpose or permute of it still lays its dims out in another order, and `view`
refuses to merge them. TL114 reckons the strides with a stand-in for `B` (so the judgement holds
for every batch of two samples or more). The facts it takes: torch's default collate stacks new
contiguous tensors; `topk` returns new contiguous tensors; an elementwise result is laid out as
torch's TensorIterator lays it out (the first operand whose strides tell two dims apart orders
them); `expand_as` keeps the dims it does not broadcast; `x.eq(y)` is `torch.eq(x, y)`;
`max((1, 5))` is 5; `target.view(1, -1)` of a `[B]` batch is `[1, B]`.

The look-alikes use `reshape` or `contiguous()`, view only the top-1 row, split without merging,
or take batches from a collate function of their own. Every program is run with torch too: the
cases raise, the look-alikes run."""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import run_tensorlint  # noqa: E402
from test_variants import _expected  # noqa: E402

CASES = {
    "accuracy-topk-of-a-batch": """
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    def accuracy(output, target, topk=(1,)):
        maxk = max(topk)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        res = []
        for k in topk:
            correct_k = correct[:k].view(-1).float().sum(0)  # expect: TL114
            res.append(correct_k * 100.0 / target.size(0))
        return res

    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 10))
    loader = DataLoader(TensorDataset(torch.randn(64, 3, 8, 8), torch.randint(0, 10, (64,))), batch_size=16)
    for images, target in loader:
        top1, top5 = accuracy(model(images), target, topk=(1, 5))
    """,
    "functional-eq-of-transposed-predictions": """
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    net = nn.Linear(20, 7)
    loader = DataLoader(TensorDataset(torch.randn(40, 20), torch.randint(0, 7, (40,))), batch_size=8)
    for x, y in loader:
        top = torch.topk(net(x), 3, dim=1)[1].t()
        hits = torch.eq(top, y.view(1, -1).expand_as(top))
        rate = hits[:3].view(-1).float().mean()  # expect: TL114
    """,
    "transposed-batch-viewed": """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64)), batch_size=16, shuffle=True)
    for x, _ in loader:
        cols = x.t()
        flat = cols.view(-1, 10)  # expect: TL114
    """,
    "permuted-images-scaled-then-viewed": """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.rand(32, 3, 8, 8), torch.zeros(32)), batch_size=4)
    for images, _ in loader:
        pixels = images.permute(0, 2, 3, 1) * 2.0 - 1.0
        rows = pixels.view(-1, 3)  # expect: TL114
    """,
    "transposed-first-operand-decides-the-layout": """
    import torch
    x = torch.randn(16, 10)
    y = (x.t() + torch.zeros(10, 16)).view(-1)  # expect: TL114
    """,
}

LOOKALIKES = {
    "made-contiguous-first": """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.rand(32, 3, 8, 8), torch.zeros(32)), batch_size=4)
    for images, _ in loader:
        rows = images.permute(0, 2, 3, 1).contiguous().view(-1, 3)
        cols = images.transpose(2, 3).reshape(-1, 8)
    """,
    "contiguous-first-operand-decides-the-layout": """
    import torch
    x = torch.randn(16, 10)
    y = (torch.zeros(10, 16) + x.t()).view(-1)
    """,
    "split-only": """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.randn(64, 12), torch.randn(64)), batch_size=16)
    for x, _ in loader:
        parts = x.t().view(3, 4, -1)
    """,
    "batches-of-an-own-collate": """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    def collate(samples):
        return torch.stack([s[0] for s in samples])

    loader = DataLoader(TensorDataset(torch.randn(64, 12)), batch_size=16, collate_fn=collate)
    for x in loader:
        flat = x.view(-1)
    """,
}

VALUES = """
import torch
from torch.utils.data import DataLoader, TensorDataset

z = torch.zeros(min(3, 7), max([2, 4]))  # value: Tensor[3, 4] float32
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16)
for x, y in loader:
    row = y.view(1, -1)  # value: Tensor[1, B] int64
    top = x.topk(max((1, 5)), 1)[1].t()  # value: Tensor[5, B] int64
    hits = top.eq(row.expand_as(top))  # value: Tensor[5, B] bool
    wide = row.expand_as(torch.zeros(5, int(input())))  # value: Tensor[5, B] int64
"""


_ACCURACY = CASES["accuracy-topk-of-a-batch"].replace("  # expect: TL114", "")
# the same helper flattening with reshape, and the same helper asked for the top-1 row only
LOOKALIKES["accuracy-with-reshape"] = _ACCURACY.replace("correct[:k].view(-1)", "correct[:k].reshape(-1)")
LOOKALIKES["accuracy-of-the-top-one-only"] = _ACCURACY.replace("topk=(1, 5)", "topk=(1,)").replace(
    "top1, top5 = accuracy", "(top1,) = accuracy")


def test_values():
    text = VALUES.lstrip("\n")
    values = {}
    for v in analyze(text, "case.py", Config(select=("ALL",)), collect_values=True).values:
        values.setdefault(v.span.start.line, []).append(v.text)
    expected = {i: m.group(1).strip() for i, line in enumerate(text.splitlines(), 1) if (m := re.search(r"# value: (.*)$", line))}
    for line, want in expected.items():
        assert want in values.get(line, []), (line, values.get(line))


@pytest.mark.parametrize("name", sorted(CASES) + sorted(LOOKALIKES))
def test_view_findings(tmp_path, name):
    text = textwrap.dedent({**CASES, **LOOKALIKES}[name]).lstrip("\n")
    (tmp_path / "prog.py").write_text(text)
    out = run_tensorlint(["check", "--select", "ALL", "--format", "json", "prog.py"], tmp_path)
    assert {(f["code"], f["location"]["row"]) for f in out.json() if f["code"] == "TL114"} == _expected(text)


@pytest.mark.parametrize("name", sorted(CASES) + sorted(LOOKALIKES))
def test_programs_behave_as_judged(name):
    """torch itself raises on the cases and runs the look-alikes."""
    text = textwrap.dedent({**CASES, **LOOKALIKES}[name])
    if name in CASES:
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            exec(compile(text, name, "exec"), {"__name__": "__main__"})
    else:
        exec(compile(text, name, "exec"), {"__name__": "__main__"})


def test_message_names_the_batch(tmp_path):
    (tmp_path / "prog.py").write_text(textwrap.dedent(CASES["accuracy-topk-of-a-batch"]).lstrip("\n"))
    [finding] = run_tensorlint(["check", "--select", "TL114", "--format", "json", "prog.py"], tmp_path).json()
    assert "`correct[:k]`" in finding["message"] and "[5, B]" in finding["message"]
    assert "for a batch of more than one sample" in finding["message"]
