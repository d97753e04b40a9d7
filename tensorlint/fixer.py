"""Applying fixes: text edits in, new text out, nothing else touched.

- Only the edits change the text: line endings, the encoding declaration and trailing
  whitespace elsewhere stay byte for byte (the caller decodes and encodes with the file's
  own codec and never translates newlines).
- A fix is all its edits or none. Fixes whose edits overlap an already chosen fix wait for
  the next round, after the file has been analyzed again.
- Rounds repeat until nothing fixable is left or the text stops changing (at most
  `MAX_ROUNDS`), so applying the result a second time changes nothing.
- A round whose result does not parse is retried fix by fix, keeping only the fixes that
  leave parseable code; a fix that breaks the code is never written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

from .findings import Applicability, Finding, Fix, Position

MAX_ROUNDS = 10
NEWLINE = re.compile(r"\r\n|\r|\n")
State = TypeVar("State")


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; lines end at \\n, \\r\\n or \\r, as Python's tokenizer says."""
    return [0] + [m.end() for m in NEWLINE.finditer(text)]


def to_offset(starts: list[int], text: str, pos: Position) -> int:
    if pos.line < 1:
        return 0
    if pos.line > len(starts):
        return len(text)
    begin = starts[pos.line - 1]
    end = starts[pos.line] if pos.line < len(starts) else len(text)
    line_text = text[begin:end]
    body = len(line_text.rstrip("\r\n"))
    return begin + min(max(pos.column, 0), body if pos.line < len(starts) else len(line_text))


def is_applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and bool(fix.edits) and (fix.applicability == Applicability.SAFE or unsafe)


def apply_findings(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """Apply the fixes of `findings` that do not overlap one another; return the text and the findings fixed."""
    starts = line_starts(text)
    chosen: list[tuple[list[tuple[int, int, str]], Finding]] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=lambda f: (min(e.span.start for e in f.fix.edits), f.code)):
        ranges = []
        for edit in finding.fix.edits:
            a, b = to_offset(starts, text, edit.span.start), to_offset(starts, text, edit.span.end)
            if b < a:
                break
            ranges.append((a, b, edit.content))
        else:
            if _disjoint(ranges, taken):
                chosen.append((ranges, finding))
                taken.extend((a, b) for a, b, _ in ranges)
    edits = sorted((r for ranges, _ in chosen for r in ranges), key=lambda r: (r[0], r[1]))
    pieces, last = [], 0
    for a, b, content in edits:
        pieces.append(text[last:a])
        pieces.append(content)
        last = b
    pieces.append(text[last:])
    return "".join(pieces), [f for _, f in chosen]


def _disjoint(ranges, taken) -> bool:
    """Edits may touch but not overlap; two insertions at one offset would be ambiguous."""
    all_ranges = list(taken)
    for a, b, _ in ranges:
        for c, d in all_ranges:
            if a < d and c < b or (a == b == c == d) or (a == b and c < a < d) or (c == d and a < c < b):
                return False
        all_ranges.append((a, b))
    return True


def parses(text: str) -> bool:
    """Whether Python accepts `text` (and libcst too, where its parser can be asked in
    reasonable time: not for a statement with very long chains, which it takes minutes on)."""
    import libcst

    from .engine import compile_quietly, long_chains_possible

    try:
        compile_quietly(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    if long_chains_possible(text):
        return True
    try:
        libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


@dataclass
class FixResult(Generic[State]):
    state: State
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # findings of the final state


def fix_until_stable(
    state: State,
    analyze: Callable[[State], list[Finding]],
    apply: Callable[[State, list[Finding]], tuple[State, list[Finding]]],
    valid: Callable[[State], bool],
    *,
    unsafe: bool = False,
    max_rounds: int = MAX_ROUNDS,
) -> FixResult[State]:
    """Analyze, apply what can be fixed, and repeat until nothing changes.

    `state` is the text of a Python file, or a notebook; `apply` returns the new state and
    the findings it fixed; `valid` says whether a state parses.
    """
    result = FixResult(state)
    findings = analyze(state)
    for _ in range(max_rounds):
        fixable = [f for f in findings if is_applicable(f.fix, unsafe)]
        if not fixable:
            break
        new_state, applied = apply(state, fixable)
        if applied and not valid(new_state):
            new_state, applied = state, []
            for finding in fixable:  # one at a time, keeping those that leave valid code
                candidate, done = apply(new_state, [finding])
                if done and valid(candidate):
                    new_state = candidate
                    applied.extend(done)
                    break  # positions of the others refer to the old text: re-analyze first
        if not applied or new_state == state:
            break
        result.fixed.extend(applied)
        state = new_state
        findings = analyze(state)
    result.state = state
    result.remaining = findings
    return result

