"""The rule table (tensorlint/rule_index.py) lets a check import only the rules a file can
trigger. It must match the rule modules, and leaving a rule out for its missing words must
never change what is reported."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tensorlint import engine
from tensorlint.config import Config
from tensorlint.rule import all_rules, python3_only_codes
from tensorlint.rule_index import RULES

ROOT = Path(__file__).resolve().parent.parent
ALL = Config(select=("ALL",))


def test_table_matches_the_rule_modules():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_index.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_table_rows_are_the_rules_own_metadata():
    rules = {r.code: r for r in all_rules()}
    assert [row[0] for row in RULES] == sorted(rules)
    for code, name, module, default, python3_only, words in RULES:
        rule = rules[code]
        assert (rule.name, rule.__module__) == (name, f"tensorlint.rules.{module}")
        assert (default, python3_only, words) == (rule.default, rule.python3_only, rule.triggers)
    assert python3_only_codes() == {r.code for r in all_rules() if r.python3_only}


def test_a_stale_table_is_named_with_the_command_that_writes_it(tmp_path):
    # the table as it would be had a rule module been added without running the script
    table = tmp_path / "rule_index.py"
    table.write_text((ROOT / "tensorlint" / "rule_index.py").read_text().replace("    ('TL201'", "    #"))
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_index.py"), "--check", "--table", str(table)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "does not match the rule modules: run python scripts/gen_rule_index.py" in r.stdout


def _examples() -> list[str]:
    return [text for rule in all_rules() for text in (*rule.failing, *rule.passing, *rule.lookalikes)]


def _findings(analysis) -> list:
    return [(f.code, f.span.start.line, f.span.start.column, f.message) for f in analysis.findings]


def test_leaving_out_rules_for_missing_words_changes_no_finding(monkeypatch):
    """Every rule's examples (most lack most rules' words), all rules selected: the same findings
    whether the rules whose words a text lacks are left out or run."""
    examples = _examples()
    left_out = [_findings(engine.analyze(text, "example.py", ALL)) for text in examples]
    every = engine.enabled_rules
    monkeypatch.setattr(engine, "enabled_rules", lambda config, path, text=None: every(config, path))
    run = [_findings(engine.analyze(text, "example.py", ALL)) for text in examples]
    assert left_out == run
    assert sum(map(len, run)) > 100  # the examples do report


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.triggers], ids=lambda r: r.code)
def test_each_failing_example_holds_one_of_its_rules_words(rule):
    for text in rule.failing:
        assert any(w in text for w in rule.triggers), (rule.code, rule.triggers)


CHILD = """
import json, sys
from tensorlint.cli import main
try:
    main(["check", "--no-cache", "--isolated", sys.argv[1]])
except SystemExit:
    pass
print(json.dumps(sorted(m.rpartition(".")[2][:5] for m in sys.modules if m.startswith("tensorlint.rules.tl"))))
"""


def _check(tmp_path, text: str) -> tuple[str, list[str]]:
    path = tmp_path / "train.py"
    path.write_text(text)
    r = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=tmp_path)
    out, _, loaded = r.stdout.rstrip().rpartition("\n")
    return out, json.loads(loaded)


SHALLOW_COPY = """import copy
import torch.nn as nn


class QNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)


online = QNet()
target = copy.copy(online)
"""


def test_a_check_imports_only_the_rules_its_file_can_trigger(tmp_path):
    out, loaded = _check(tmp_path, SHALLOW_COPY)
    assert "TL438" in out
    assert "tl438" in loaded  # its words are in the file
    assert "tl419" not in loaded and "tl424" not in loaded  # a TF1 session, read_data_sets: absent
    assert "tl501" not in loaded  # opt-in, not selected
    assert "tl201" in loaded  # no words: any file may trigger it
    out, loaded = _check(tmp_path, SHALLOW_COPY.replace("import copy\n", "from copy import copy\n")
                         .replace("copy.copy(", "copy("))
    assert "TL438" in out and "tl438" in loaded
    out, loaded = _check(tmp_path, SHALLOW_COPY.replace("import copy\n", "").replace("copy.copy(online)", "online"))
    assert "TL438" not in out and "tl438" not in loaded


class _TextOnly:
    """A context that holds a file's text and nothing else: a rule that reads anything more (the
    trees, the values, `report`) raises."""

    def __init__(self, text: str):
        self.__dict__["text"] = text
        self.__dict__["_tl_tf_aliases"] = frozenset({"tf"})  # (as if the file imported TensorFlow)

    def __getattr__(self, name):
        raise AssertionError(f"read ctx.{name}")


def _texts_lacking(rule) -> list[str]:
    return [t for t in _examples() if not any(w in t for w in rule.triggers)]


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.triggers], ids=lambda r: r.code)
def test_a_rule_reads_nothing_but_the_text_of_a_file_without_its_words(rule):
    """What `triggers` promises: without its words every handler of the rule returns at once."""
    texts = _texts_lacking(rule)
    assert texts
    for text in texts:
        instance = rule()
        for method in instance.handlers().values():
            assert getattr(instance, method)(_TextOnly(text), None) is None
