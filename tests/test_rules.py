"""Every rule's own examples, run through the engine: failing lines are flagged with the rule's
code, passing examples and look-alikes stay silent. Plus the catalog's meta checks."""
from __future__ import annotations

import re

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.rule import DOC_SECTIONS, all_rules

RULES = all_rules()
ALL = Config(select=("ALL",))


def _cases(kind):
    for rule in RULES:
        for i, text in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, text, id=f"{rule.code}-{kind}-{i}")


def _lines_marked(text: str, code: str) -> set[int]:
    return {n for n, line in enumerate(text.splitlines(), 1) if re.search(rf"#.*\b{code}\b", line)}


@pytest.mark.parametrize("rule,text", list(_cases("failing")))
def test_failing_example_is_flagged_on_marked_lines(rule, text):
    expected = _lines_marked(text, rule.code)
    assert expected, "a failing example marks its faulty lines with the rule's code"
    found = {f.line for f in analyze(text.replace(f"# {rule.code}", "#"), "example.py", ALL).findings if f.code == rule.code}
    assert found == expected


@pytest.mark.parametrize("rule,text", list(_cases("passing")) + list(_cases("lookalikes")))
def test_passing_examples_and_lookalikes_are_silent(rule, text):
    found = [f for f in analyze(text, "example.py", ALL).findings if f.code == rule.code]
    assert found == []


def test_every_rule_has_examples_and_docs():
    for rule in RULES:
        assert rule.failing and rule.passing, rule.code
        assert rule.code == "TL001" or rule.lookalikes, rule.code
        sections = rule.doc_sections()
        for name in DOC_SECTIONS:
            assert sections.get(name), f"{rule.code} lacks '## {name}'"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.summary


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TL\d{3}", c) for c in codes)


def test_fixes_declared_match_offered_fixes():
    """A rule that offers a fix says so in its metadata, and the fix applies to the example."""
    for rule in RULES:
        for text in rule.failing:
            for f in analyze(text.replace(f"# {rule.code}", "#"), "example.py", ALL).findings:
                if f.code == rule.code and f.fix is not None:
                    assert rule.fix is not None, rule.code
                    assert f.fix.applicability == rule.fix


def test_readme_lists_every_rule():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    missing = [r.code for r in RULES if f"[{r.code}]" not in readme]
    assert missing == []
