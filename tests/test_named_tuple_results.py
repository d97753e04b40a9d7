"""The named tuples torch returns (`topk`, `sort`, `max(dim)`, `min(dim)`): their fields
`values` and `indices` are the tuple's two results, written several ways; any other attribute
of the tuple, and the fields of a result joined with another kind of value, stay unknown."""
from __future__ import annotations

import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _values(text: str) -> dict:
    out = {}
    for v in analyze(textwrap.dedent(text), "case.py", ALL, collect_values=True).values:
        out.setdefault(v.span.start.line, []).append(v.text)
    return {k: v[-1] for k, v in out.items()}


def test_fields_are_the_two_results():
    got = _values("""
        import torch
        x = torch.randn(8, 10)
        a = torch.topk(x, 3, dim=1).indices
        b = x.topk(3).values
        c = torch.max(x, 1).indices
        d = x.min(dim=0).values
        e = torch.sort(x, 1, descending=True).indices
        r = x.topk(3, 1)
        f = r.indices
    """)
    assert "[8, 3]" in got[4] and "int64" in got[4]
    assert "[8, 3]" in got[5] and "float32" in got[5]
    assert "[8]" in got[6] and "int64" in got[6]
    assert "[10]" in got[7] and "float32" in got[7]
    assert "[8, 10]" in got[8] and "int64" in got[8]
    assert "[8, 3]" in got[10] and "int64" in got[10]


def test_other_attributes_and_joined_results_stay_unknown():
    got = _values("""
        import torch
        x = torch.randn(8, 10)
        a = torch.topk(x, 3, dim=1).shape
        r = x.topk(3, 1) if x.sum() > 0 else (x, x)
        b = r.indices
    """)
    assert "[8, 3]" not in got.get(4, "")
    assert "int64" not in got.get(6, "")
