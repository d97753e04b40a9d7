"""Tensors made of a list comprehension (`torch.tensor([float(v) for v in row])`,
`torch.LongTensor([w for w in ids])`): the comprehension is a list, so the tensor has at least
one dim; where every element is a Python number (a numeric literal, `float(...)`, `int(...)`,
`len(...)`, `round(x)`, `t.item()`, or the loop's own variable over a `range` or a list of
numbers) it is 1-D, of the numbers' dtype, and of the list's length where the comprehension runs
over items the program fixes (a list of known length: `[w for w in labels]`). Elements that may be
lists or tensors (`[[v] for v in row]`, `[table[w] for w in ids]`) give a tensor of unknown rank
of at least one dim; a name that shadows `float` makes nothing known."""
from __future__ import annotations

import re
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

VALUES = {
    "numbers": """
        import torch
        labels = [0, 1, 1, 0]
        scores = [0.5, 0.25]
        def f(rows, ts):
            a = torch.tensor([float(v) for v in rows])  # value: Tensor[?] float32
            b = torch.tensor([int(v) for v in rows if v])  # value: Tensor[?] int64
            c = torch.tensor([len(r) for r in rows])  # value: Tensor[?] int64
            d = torch.tensor([w for w in labels])  # value: Tensor[4] int64
            e = torch.tensor([s for s in scores])  # value: Tensor[2] float32
            g = torch.tensor([i for i in range(len(rows))])  # value: Tensor[?] int64
            h = torch.LongTensor([round(v) for v in rows])  # value: Tensor[?] int64
            k = torch.FloatTensor([t.item() for t in ts])  # value: Tensor[?] float32
            m = torch.tensor([0 for _ in rows])  # value: Tensor[?] int64
            return a, b, c, d, e, g, h, k, m
    """,
    "at-least-one-dim": """
        import torch
        def f(rows, table):
            a = torch.tensor([[float(v)] for v in rows])  # value: Tensor[..., ?] ?
            b = torch.LongTensor([table[w] for w in rows])  # value: Tensor[..., ?] int64
            c = torch.tensor([round(v, 2) for v in rows])  # value: Tensor[..., ?] ?
            d = torch.tensor([v for v in rows])  # value: Tensor[..., ?] ?
            return a, b, c, d
    """,
    "shadowed-builtin": """
        import torch
        def float(v):
            return [v, v]
        def f(rows):
            a = torch.tensor([float(v) for v in rows])  # value: Tensor[..., ?] ?
            return a
    """,
}


def _values(text: str) -> dict:
    out = {}
    for v in analyze(text, "case.py", ALL, collect_values=True).values:
        out.setdefault(v.span.start.line, []).append(v.text)
    return out


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values(name):
    text = textwrap.dedent(VALUES[name])
    values = _values(text)
    expected = {i: m.group(1).strip() for i, line in enumerate(text.splitlines(), 1) if (m := re.search(r"# value: (.*)$", line))}
    assert expected
    for line, want in expected.items():
        assert want in values.get(line, []), (line, values.get(line))


def test_bce_target_from_a_comprehension_lacks_the_output_column(tmp_path):
    path = tmp_path / "bce.py"
    path.write_text(textwrap.dedent("""
        import torch
        import torch.nn as nn

        rows = [([0.1, 0.2], 0), ([0.3, 0.4], 1), ([0.5, 0.6], 1)]
        model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
        x = torch.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
        y = torch.tensor([float(label) for _, label in rows])
        loss = nn.BCELoss()(model(x), y)
    """))
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "ALL", "--no-cache", str(path)],
                         capture_output=True, text=True).stdout
    assert "bce.py:9:" in out and "TL208" in out
    for fixed in ("y = torch.tensor([[float(label)] for _, label in rows])",
                  "y = torch.tensor([float(label) for _, label in rows]).unsqueeze(1)"):
        path.write_text(path.read_text().replace(path.read_text().splitlines()[7], fixed))
        out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "ALL", "--no-cache", str(path)],
                             capture_output=True, text=True).stdout
        assert "TL208" not in out, fixed
