"""`tensorlint rule` and the generated rule pages."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tensorlint.rule import all_rules

ROOT = Path(__file__).resolve().parents[2]


def test_rule_list_names_every_rule(tl):
    r = tl("rule", "--all")
    assert r.code == 0
    listed = [line.split()[0] for line in r.out.splitlines()]
    assert listed == [rule.code for rule in all_rules()]


def test_rule_list_as_json(tl):
    rows = tl("rule", "--all", "--format", "json").json()
    assert [(row["code"], row["name"], row["default"]) for row in rows] == [(r.code, r.name, r.default) for r in all_rules()]
    assert all(row["explanation"] and row["url"].endswith(row["code"]) for row in rows)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_prints_its_documentation(tl, rule):
    r = tl("rule", rule.code.lower())
    assert r.code == 0
    assert r.out.startswith(f"# {rule.name} ({rule.code})")
    for section in rule.doc_sections():
        assert f"## {section}" in r.out
    assert tl("rule", rule.name).out == r.out
    info = tl("rule", rule.code, "--format", "json").json()
    assert info["code"] == rule.code and info["explanation"] == rule.docs()


def test_unknown_rule_is_a_usage_error(tl):
    r = tl("rule", "TL999")
    assert r.code == 2 and "TL999" in r.err
    assert tl("rule").code == 2


def test_rule_docs_are_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
