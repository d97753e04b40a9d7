"""Output formats: concise, full, json (ruff's shape), sarif (schema-valid), github, junit."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cli_helpers import BROKEN, BROKEN_ROW, write
from tensorlint.findings import Applicability, Edit, Finding, Fix, Related, Severity, Span
from tensorlint.report import Report
from tensorlint.report.formats import formatter
from tensorlint.runner import FileResult, Item

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SOURCE = "import torch\nm = torch.nn.Linear(3, 1)\ny = m(torch.randint(0, 5, (2, 3)))\n"


def made_up_report(**kw) -> Report:
    """One file with two findings built by hand: a known span (line 3, columns 6..31) and a fix."""
    call = Span.of(3, 6, 3, 31)
    fixed = Finding(
        code="TL101", name="integer-input-to-float-layer", message="Linear(3, 1) gets an int64 tensor",
        severity=Severity.ERROR, span=call, url="https://tensorlint.dev/rules/TL101",
        fix=Fix("Append `.float()`", (Edit(Span.of(3, 31, 3, 31), ".float()"),), Applicability.SAFE),
        related=(Related(Span.of(2, 4, 2, 25), "layer defined here"),),
    )
    warn = Finding(code="TL206", name="made-up-warning", message='a "quoted", 100% message\nwith a newline',
                   severity=Severity.WARNING, span=Span.of(2, 0, 2, 1),
                   fix=Fix("Rewrite", (Edit(Span.of(2, 0, 2, 1), "m"),), Applicability.UNSAFE))
    result = FileResult("/proj/train.py", "train.py", items=[Item(fixed), Item(warn)], texts={None: SOURCE})
    return Report([result], docs_base="https://tensorlint.dev/rules/", **kw)


def test_concise_columns_are_one_based_and_fixable_is_marked():
    out = formatter("concise")(made_up_report()).splitlines()
    assert out[0].startswith("train.py:2:1: TL206 ")
    assert out[1] == "train.py:3:7: TL101 [*] Linear(3, 1) gets an int64 tensor"


def test_unsafe_fix_is_marked_only_with_unsafe_fixes():
    out = formatter("concise")(made_up_report(unsafe_fixes=True))
    assert "TL206 [*]" in out


def test_full_shows_the_line_a_caret_underline_and_the_fix_title():
    out = formatter("full")(made_up_report())
    block = out.split("\n\n")[1].splitlines()
    assert block[0] == "train.py:3:7: TL101 [*] Linear(3, 1) gets an int64 tensor"
    source_row = next(i for i, line in enumerate(block) if line.startswith("3 | "))
    assert block[source_row] == "3 | y = m(torch.randint(0, 5, (2, 3)))"
    caret_line = block[source_row + 1]
    assert caret_line.index("^") - len("  | ") == 6
    assert caret_line.count("^") == 25
    assert "= help: Append `.float()`" in out
    assert "(unsafe fix)" in out.split("\n\n")[0]


def test_json_has_ruffs_shape():
    rows = json.loads(formatter("json")(made_up_report()))
    assert [r["code"] for r in rows] == ["TL206", "TL101"]
    row = rows[1]
    assert set(row) == {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row",
                        "severity", "url"}
    assert row["location"] == {"row": 3, "column": 7}
    assert row["end_location"] == {"row": 3, "column": 32}
    assert row["filename"] == "/proj/train.py"
    assert row["fix"] == {
        "applicability": "safe",
        "message": "Append `.float()`",
        "edits": [{"content": ".float()", "location": {"row": 3, "column": 32}, "end_location": {"row": 3, "column": 32}}],
    }
    assert row["noqa_row"] == 3 and row["severity"] == "error" and row["url"].endswith("TL101")
    assert rows[0]["fix"]["applicability"] == "unsafe" and rows[0]["severity"] == "warning"


def test_sarif_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(formatter("sarif")(made_up_report()))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    run = doc["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["TL206", "TL101"]
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 7, "endLine": 3, "endColumn": 32}
    assert results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == ".float()"
    assert results[0]["level"] == "warning"
    rules = run["tool"]["driver"]["rules"]
    for r in results:  # every result points at its rule's metadata
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_lists_every_known_rule_with_metadata():
    from tensorlint.rule import all_rules

    doc = json.loads(formatter("sarif")(Report([], docs_base="https://tensorlint.dev/rules/")))
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {r.code for r in all_rules()}
    for rule in all_rules():
        meta = rules[rule.code]
        assert meta["name"] == rule.name
        assert meta["helpUri"].endswith(rule.code)
        assert meta["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert meta["shortDescription"]["text"]


def test_sarif_from_the_command_line_validates(tl, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    write(tmp_path, {"a b/b.py": BROKEN})
    r = tl("check", "--format", "sarif", ".")
    assert r.code == 1
    doc = json.loads(r.out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "a%20b/b.py"
    assert loc["region"]["startLine"] == BROKEN_ROW


def test_github_workflow_commands_escape_their_text():
    out = formatter("github")(made_up_report()).splitlines()
    assert out[1] == (
        "::error title=tensorlint (TL101),file=train.py,line=3,col=7,endLine=3,endColumn=32::"
        "train.py:3:7: TL101 Linear(3, 1) gets an int64 tensor"
    )
    assert out[0].startswith("::warning ")
    assert "100%25 message%0Awith a newline" in out[0]
    assert len(out) == 2


def test_junit_is_xml_with_one_failure_per_finding():
    root = ET.fromstring(formatter("junit")(made_up_report()))
    assert root.tag == "testsuites"
    assert root.get("tests") == "2" and root.get("failures") == "2"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("classname") for c in cases] == ["train.py", "train.py"]
    failure = cases[1].find("failure")
    assert failure.get("type") == "TL101"
    assert failure.text == "line 3, col 7, Linear(3, 1) gets an int64 tensor"


def test_junit_counts_clean_files_and_errors(tl, tmp_path):
    write(tmp_path, {"ok.py": "x = 1\n", "b.py": BROKEN})
    root = ET.fromstring(tl("check", "--format", "junit", ".").out)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert suites["ok.py"].get("failures") == "0" and suites["ok.py"].get("tests") == "1"
    assert suites["b.py"].get("failures") == "1"


def test_statistics_count_per_code(tl, tmp_path):
    write(tmp_path, {"a.py": BROKEN, "b.py": BROKEN, "c.py": "x = 1\n"})
    r = tl("check", "--statistics", ".")
    assert r.code == 1
    assert r.out.splitlines()[0].split("\t")[:2] == ["2", "TL001"]


def test_output_file_gets_the_report(tl, tmp_path):
    write(tmp_path, {"b.py": BROKEN})
    r = tl("check", "--format", "json", "--output-file", "out/report.json", ".")
    assert r.code == 1 and r.out == ""
    rows = json.loads((tmp_path / "out" / "report.json").read_text())
    assert rows[0]["code"] == "TL001" and rows[0]["location"]["row"] == BROKEN_ROW


def test_json_output_is_read_by_the_seed_checker(tl, tmp_path):
    """What ../shared/tools/seedcheck reads: filename, code, location.row, message, in a JSON list."""
    write(tmp_path, {"seed000_ex1.py": BROKEN, "seed000_ex2.py": "x = 1\n"})
    for extra in ([], ["--select", "ALL"]):
        r = tl("check", "--format", "json", *extra, str(tmp_path))
        assert r.code in (0, 1)
        found = [(Path(f["filename"]).name, f["code"], int(f["location"]["row"]), f["message"]) for f in r.json()]
        assert [f[:3] for f in found] == [("seed000_ex1.py", "TL001", BROKEN_ROW)]


def test_clean_json_is_an_empty_list(tl, tmp_path):
    write(tmp_path, {"ok.py": "x = 1\n"})
    r = tl("check", "--format", "json", ".")
    assert r.code == 0 and r.json() == []
