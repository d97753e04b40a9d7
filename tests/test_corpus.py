"""The bug corpus (tests/corpus): the analyzer, with every rule selected, against inline expectations.

Precision: no finding on a line without a matching `# expect:` comment, in any file.
Recall: every expectation is found, except those listed in tests/corpus/known_gaps.toml.
The corpus programs were run under real torch / TensorFlow (tests/corpus/verify_runtime.py);
runtime_results.json records that run and must match the files as they are now.
"""
from __future__ import annotations

import ast
import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_support import (  # noqa: E402
    CORPUS,
    KNOWN_GAPS,
    analyze_corpus,
    corpus_files,
    expectations,
    format_key,
    load_known_gaps,
)

from tensorlint.rule import all_rules  # noqa: E402

FILES = [p.name for p in corpus_files()]


@pytest.fixture(scope="module")
def results():
    return {r.name: r for r in analyze_corpus()}


@pytest.mark.parametrize("name", FILES)
def test_no_finding_without_expectation(results, name):
    res = results[name]
    assert res.error is None, f"the analyzer crashed on {name}: {res.error}"
    unexpected = [f"{format_key(k)} {res.messages.get(k, '')}" for k in sorted(res.false_positives)]
    assert not unexpected, "findings on lines without a matching `# expect:` comment:\n" + "\n".join(unexpected)


@pytest.mark.parametrize("name", FILES)
def test_every_expectation_found_unless_known_gap(results, name):
    gaps = load_known_gaps()
    res = results[name]
    missed = sorted(k for k in res.missed if k not in gaps)
    assert not missed, (
        "expected findings not reported (add them to known_gaps.toml with a reason only if the engine "
        "really cannot see them yet):\n" + "\n".join(format_key(k) for k in missed)
    )


def test_known_gaps_are_current(results):
    expected = set().union(*(r.expected for r in results.values()))
    gaps = load_known_gaps()
    stale = sorted(format_key(k) for k in gaps if k not in expected)
    fixed = sorted(format_key(k) for k in gaps if k in expected and results[k[0]].satisfied(k))
    assert not stale, f"{KNOWN_GAPS.name} names expectations that do not exist: {stale}"
    assert not fixed, f"now found, remove from {KNOWN_GAPS.name} (bench/recall.py --update): {fixed}"


def test_corpus_shape():
    buggy = [p for p in corpus_files() if expectations(p.name, p.read_text(encoding="utf-8"))]
    clean = [p for p in corpus_files() if p not in buggy]
    assert len(buggy) >= 45
    assert len(clean) >= 15


@pytest.mark.parametrize("name", FILES)
def test_file_says_what_it_models(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith('"""') and len(first) > 20, "the file must start with a one-line docstring"
    if name.startswith("syntax_error"):
        return
    doc = ast.get_docstring(ast.parse(text))
    assert doc and doc.splitlines()[0].endswith((".", ")")), "the docstring's first line is one sentence"


def test_every_rule_has_corpus_cases():
    """Each rule the engine registers is exercised by at least two expectations in the corpus."""
    counts: dict[str, int] = {}
    for p in corpus_files():
        for _, _, code in expectations(p.name, p.read_text(encoding="utf-8")):
            counts[code] = counts.get(code, 0) + 1
    thin = sorted(r.code for r in all_rules() if counts.get(r.code, 0) < 2 and r.code != "TL001")
    assert not thin, f"rules with fewer than two corpus cases: {thin}"


def test_runtime_results_match_the_corpus():
    """Every program was run under torch / TensorFlow as it is now, and behaved as its header says."""
    data = json.loads((CORPUS / "runtime_results.json").read_text(encoding="utf-8"))["files"]
    assert sorted(data) == sorted(FILES), "runtime_results.json is out of date: run tests/corpus/verify_runtime.py"
    for name in FILES:
        digest = hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()
        assert data[name]["sha256"] == digest, f"{name} changed since its runtime check"
        assert data[name]["ok"], f"{name}: runtime outcome differs from its header: {data[name]}"
