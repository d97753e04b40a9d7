"""A stand-in analyzer for fixer tests (tests only, never shipped).

It flags every `torch.randint(...)` not followed by `.float()` and offers the fix TL101 offers:
append `.float()`. `BREAKING` makes a second fake finding whose fix would break the syntax.
"""
from __future__ import annotations

import bisect
import re

from tensorlint.findings import Applicability, Edit, Finding, Fix, Position, Severity, Span
from tensorlint.fixer import line_starts

RANDINT = re.compile(r"torch\.randint\((?:[^()]|\([^()]*\))*\)(?!\.float\(\))")
BREAKING = re.compile(r"# break me")


def _pos(starts: list[int], offset: int) -> Position:
    line = bisect.bisect_right(starts, offset)
    return Position(line, offset - starts[line - 1])


def fake_analyze(text: str, path: str = "", config=None, *, unsafe: bool = False) -> list[Finding]:
    starts = line_starts(text)
    out = []
    for m in RANDINT.finditer(text):
        a, b = _pos(starts, m.start()), _pos(starts, m.end())
        fix = Fix("Append `.float()`", (Edit(Span(b, b), ".float()"),),
                  Applicability.UNSAFE if unsafe else Applicability.SAFE)
        out.append(Finding("TL101", "integer-input", "int64 tensor into a float layer", Severity.ERROR, Span(a, b), fix))
    for m in BREAKING.finditer(text):
        a, b = _pos(starts, m.start()), _pos(starts, m.end())
        fix = Fix("Break the code", (Edit(Span(a, a), "(("),))
        out.append(Finding("TL999", "breaks", "would break", Severity.ERROR, Span(a, b), fix))
    return sorted(out, key=Finding.sort_key)
