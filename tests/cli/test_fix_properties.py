"""Property: the engine's safe fixes, applied to every example we ship, give parseable code,
do not bring the fixed finding back, and applying them again changes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tensorlint.config import Config
from tensorlint.fixer import apply_findings, fix_until_stable, parses
from tensorlint.rule import all_rules
from tensorlint.runner import _analyze

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Config(select=("ALL",))


def sources() -> list[str]:
    texts = [ex for r in all_rules() for ex in (*r.failing, *r.passing, *r.lookalikes)]
    for folder in ("examples", "tests/corpus", "tests/seeds"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / folder).rglob("*.py"))]
    return [t for t in texts if parses(t)]


SOURCES = sources()


def analyze(text: str):
    return _analyze(text, "example.py", CONFIG)


def fix(text: str):
    return fix_until_stable(text, analyze, apply_findings, parses)


def test_some_examples_have_safe_fixes():
    assert any(fix(t).fixed for t in SOURCES)


@pytest.mark.skipif(not SOURCES, reason="no examples")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_safe_fixes_are_sound(text, newline, trailing_space):
    lines = text.split("\n")
    text = newline.join(line + ("  " if trailing_space and line.strip() else "") for line in lines)
    result = fix(text)
    assert parses(result.state)
    if not result.fixed:
        assert result.state == text
        return
    still = {(f.code, f.span.start.line) for f in analyze(result.state)}
    for done in result.fixed:
        assert (done.code, done.span.start.line) not in still
    assert fix(result.state).state == result.state
    assert result.state.count(newline) == text.count(newline) or "\n" in "".join(
        e.content for f in result.fixed for e in f.fix.edits
    )
