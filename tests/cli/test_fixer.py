"""Applying fixes: only the edits change, rounds until stable, never unparseable code."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

import tensorlint.runner as runner
from cli_helpers import notebook, write
from fake_engine import fake_analyze
from tensorlint.findings import Applicability, Edit, Finding, Fix, Severity, Span
from tensorlint.fixer import apply_findings, fix_until_stable, parses

PROGRAM = "import torch\nm = torch.nn.Linear(3, 1)\ny = m(torch.randint(0, 5, (2, 3)))\n"
FIXED = PROGRAM.replace("(2, 3)))", "(2, 3)).float())")


def finding(span: Span, *edits: Edit, applicability=Applicability.SAFE) -> Finding:
    return Finding("TL101", "x", "m", Severity.ERROR, span, Fix("t", edits, applicability))


def fix_text(text: str, unsafe: bool = False, analyze=fake_analyze):
    return fix_until_stable(text, analyze, apply_findings, parses, unsafe=unsafe)


def test_a_fix_is_applied_where_it_says():
    assert fix_text(PROGRAM).state == FIXED


def test_crlf_trailing_space_and_tabs_outside_the_edit_stay():
    text = "# -*- coding: utf-8 -*-\r\nimport torch   \r\nm = torch.nn.Linear(3, 1)\t\r\ny = m(torch.randint(0, 5, (2, 3)))\r\n"
    result = fix_text(text)
    assert result.state == text.replace("(2, 3)))", "(2, 3)).float())")


def test_columns_are_code_points():
    text = "import torch\nnäme = 'é'; y = m(torch.randint(0, 5, (2, 3)))\n"
    assert fix_text(text).state == text.replace("(2, 3)))", "(2, 3)).float())")


def test_overlapping_fixes_wait_for_the_next_round():
    text = "a = 1\n"
    first = finding(Span.of(1, 0, 1, 1), Edit(Span.of(1, 0, 1, 1), "b"))
    second = finding(Span.of(1, 0, 1, 5), Edit(Span.of(1, 0, 1, 5), "c = 2"))
    new, applied = apply_findings(text, [first, second])
    assert new == "b = 1\n" and applied == [first]


def test_a_fix_is_all_or_nothing():
    text = "a = 1\nb = 2\n"
    taken = finding(Span.of(1, 0, 1, 5), Edit(Span.of(1, 0, 1, 5), "a = 7"))
    both = finding(Span.of(1, 4, 1, 5), Edit(Span.of(1, 4, 1, 5), "9"), Edit(Span.of(2, 4, 2, 5), "8"))
    new, applied = apply_findings(text, [both, taken])
    assert new == "a = 7\nb = 2\n" and applied == [taken]  # line 2 untouched: its fix lost line 1


def test_unsafe_fixes_only_when_asked():
    unsafe = lambda t: fake_analyze(t, unsafe=True)  # noqa: E731
    assert fix_text(PROGRAM, analyze=unsafe).state == PROGRAM
    assert fix_text(PROGRAM, unsafe=True, analyze=unsafe).state == FIXED


def test_a_fix_that_would_break_the_code_is_not_applied():
    text = PROGRAM + "z = 1  # break me\n"
    result = fix_text(text)
    assert parses(result.state)
    assert result.state == FIXED + "z = 1  # break me\n"
    assert [f.code for f in result.fixed] == ["TL101"]
    assert [f.code for f in result.remaining] == ["TL999"]


def test_rounds_stop_when_nothing_changes():
    always = lambda t: [finding(Span.of(1, 0, 1, 1), Edit(Span.of(1, 0, 1, 1), "a"))]  # noqa: E731
    result = fix_text("a = 1\n", analyze=always)  # the edit changes nothing: stop at once
    assert result.state == "a = 1\n" and result.fixed == []


# -- property: any mixture of line endings, whitespace, encodings --------------------------

LINES = st.sampled_from([
    "import torch", "m = torch.nn.Linear(3, 1)", "y = m(torch.randint(0, 5, (2, 3)))",
    "z = [torch.randint(0, 9, (4,)), torch.randint(1, 2, (1, 1))]", "if True:", "    w = torch.randint(0, 2, (2,))",
    "    pass", "x = 'ü€'  ", "\t", "", "# comment with torch.randint(0, 1, (1,)) inside", "s = '''",
    "torch.randint(0, 3, (3,))'''",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=14), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_fixing_is_exact_parseable_and_idempotent(lines, newline, declare):
    head = ["# -*- coding: utf-8 -*-"] if declare else []
    text = newline.join(head + lines) + newline
    if not parses(text):
        return
    result = fix_text(text)
    assert parses(result.state)
    assert fake_analyze(result.state) == []  # nothing left to fix
    assert fix_text(result.state).state == result.state  # idempotent
    assert result.state.replace(".float()", "") == text  # nothing changed outside the edits
    assert len(result.fixed) == text.count("torch.randint(")


# -- through the command line, with the fake analyzer in place of the engine ---------------


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(runner, "_analyze", lambda text, path, config, *rest: fake_analyze(text))


def test_fix_writes_the_file_and_reports_what_remains(tl, tmp_path, fake):
    write(tmp_path, {"train.py": PROGRAM, "other.py": PROGRAM + "z = 1  # break me\n"})
    r = tl("check", "--fix", "--show-fixes", "--no-cache", ".")
    assert (tmp_path / "train.py").read_text() == FIXED
    assert r.code == 1  # other.py still has a finding without a usable fix
    assert "Fixed 2 findings:" in r.out and "1 × TL101" in r.out
    assert "other.py:4:8: TL999" in r.out
    assert tl("check", "--no-cache", "train.py").code == 0


def test_fix_keeps_latin1_crlf_bytes(tl, tmp_path, fake):
    original = "# -*- coding: latin-1 -*-\r\nimport torch\r\nname = 'café'   \r\ny = m(torch.randint(0, 5, (2, 3)))\r\n"
    (tmp_path / "t.py").write_bytes(original.encode("latin-1"))
    assert tl("check", "--fix", "--no-cache", ".").code == 0
    expected = original.replace("(2, 3)))", "(2, 3)).float())").encode("latin-1")
    assert (tmp_path / "t.py").read_bytes() == expected


def test_diff_prints_and_changes_nothing(tl, tmp_path, fake):
    write(tmp_path, {"train.py": PROGRAM, "clean.py": "x = 1\n"})
    r = tl("check", "--diff", "--no-cache", ".")
    assert r.code == 1
    assert (tmp_path / "train.py").read_text() == PROGRAM
    assert "--- a/train.py\n+++ b/train.py\n" in r.out
    assert "-y = m(torch.randint(0, 5, (2, 3)))\n+y = m(torch.randint(0, 5, (2, 3)).float())\n" in r.out
    assert "clean.py" not in r.out
    (tmp_path / "train.py").write_text(FIXED)
    nothing = tl("check", "--diff", "--no-cache", ".")
    assert nothing.code == 0 and nothing.out == ""


def test_fix_from_stdin_prints_the_fixed_text(tl, tmp_path, fake):
    r = tl("check", "--fix", "--stdin-filename", "t.py", "-", stdin=PROGRAM)
    assert r.out == FIXED and r.code == 0


def test_summary_offers_the_fix(tl, tmp_path, fake):
    write(tmp_path, {"train.py": PROGRAM})
    r = tl("check", "--no-cache", ".")
    assert "[*] 1 fixable with `tensorlint check --fix`." in r.out
    assert "train.py:3:7: TL101 [*]" in r.out


def test_notebook_fix_writes_valid_notebook_json(tl, tmp_path, fake):
    nb = notebook("import torch\nm = torch.nn.Linear(3, 1)", ("markdown", "# Title\ntorch.randint(0, 1, (1,))"),
                  "%matplotlib inline\ny = m(torch.randint(0, 5, (2, 3)))\n")
    write(tmp_path, {"nb.ipynb": nb})
    r = tl("check", "--no-cache", ".")
    assert "nb.ipynb:cell 2:2:7: TL101" in r.out
    assert tl("check", "--fix", "--no-cache", ".").code == 0
    data = json.loads((tmp_path / "nb.ipynb").read_text())
    before = json.loads(nb)
    assert data["cells"][2]["source"] == ["%matplotlib inline\n", "y = m(torch.randint(0, 5, (2, 3)).float())\n"]
    data["cells"][2]["source"] = before["cells"][2]["source"]
    assert data == before  # everything else as it was
