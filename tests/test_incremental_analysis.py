"""Incremental analysis (the language server's) gives exactly what a full analysis gives, after
any edit: findings with their messages and positions, and the hover values."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis, chunk_names, dirty_chunks, IncrementalParser

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))[::3]
CONFIG = Config(select=("ALL",))


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _edits(text: str, rnd: random.Random, count: int):
    lines = text.splitlines(keepends=True)
    for _ in range(count):
        i = rnd.randrange(len(lines))
        op = rnd.choice(["dup", "del", "blank", "comment"])
        new = list(lines)
        if op == "dup":
            new.insert(i, lines[i])
        elif op == "del":
            del new[i]
        elif op == "blank":
            new.insert(i, "\n")
        else:
            new.insert(i, " " * (len(lines[i]) - len(lines[i].lstrip())) + "# note\n")
        lines = new
        yield "".join(new)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_incremental_equals_full_analysis(path):
    text = path.read_text()
    inc = IncrementalAnalysis()
    assert _key(inc.analyze(text, str(path), CONFIG)) == _key(analyze(text, str(path), CONFIG, collect_values=True))
    for edited in _edits(text, random.Random(path.name), 5):
        full = analyze(edited, str(path), CONFIG, collect_values=True)
        if full.syntax_error:
            continue
        assert _key(inc.analyze(edited, str(path), CONFIG)) == _key(full)


def test_an_edit_inside_an_uncalled_function_reruns_only_its_chunk():
    text = (
        "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(4, 2)\nx = torch.randn(3, 4)\n"
        "out = model(x)\n\n\ndef helper(t):\n    return t * 2\n\n\nprint(out)\n"
    )
    inc = IncrementalAnalysis()
    inc.analyze(text, "m.py", CONFIG)
    inc.analyze(text.replace("t * 2", "t * 3"), "m.py", CONFIG)
    assert inc.last_run["ran"] == 1


def test_a_changed_definition_reaches_only_code_after_it():
    chunks = IncrementalParser().parse(
        "import torch\n\ndef f():\n    return 1\n\na = f()\n\ndef f():\n    return 2\n\nb = f()\n"
    )
    names = [chunk_names(c.module) for c in chunks]
    first_def = next(i for i, c in enumerate(chunks) if "return 1" in c.text)
    use_a = next(i for i, c in enumerate(chunks) if c.text.startswith("a ="))
    use_b = next(i for i, c in enumerate(chunks) if c.text.startswith("b ="))
    dirty = dirty_chunks(names, {first_def}, set())
    assert use_a in dirty and use_b not in dirty
