"""The conversions the server makes, without a client: columns, line shifts, noqa edits, settings."""
from __future__ import annotations

from lsprotocol import types

from tensorlint.findings import Finding, Position, Severity, Span
from tensorlint.server.bridge import Document, LineShift, from_client_column, non_overlapping, to_client_column
from tensorlint.server.code_actions import noqa_edit
from tensorlint.server.settings import ServerSettings, effective_config, parse_settings
from tensorlint.config import Config
from tensorlint.findings import Edit

LINE = 'a = "😀日"; model(x)'


def test_columns_round_trip_in_every_encoding():
    col = LINE.index("model")
    assert to_client_column(LINE, col, "utf-16") == col + 1  # the emoji takes two UTF-16 units
    assert to_client_column(LINE, col, "utf-8") == len(LINE[:col].encode())
    assert to_client_column(LINE, col, "utf-32") == col
    for enc in ("utf-8", "utf-16", "utf-32"):
        assert from_client_column(LINE, to_client_column(LINE, col, enc), enc) == col


def test_client_column_past_the_end_clamps():
    assert from_client_column("abc", 99, "utf-16") == 3
    assert Document("x\ny").position(Position(9, 0)) == types.Position(1, 1)


def finding(line: int) -> Finding:
    return Finding("TL101", "n", "m", Severity.ERROR, Span.of(line, 0, line, 3))


def test_line_shift_moves_findings_below_the_edit():
    old = "a\nb\nc\nd\n"
    new = "a\nb\nNEW\nNEW2\nc\nd\n"
    shift = LineShift(old, new)
    assert shift.finding(finding(1)).span.start.line == 1
    assert shift.finding(finding(4)).span.start.line == 6


def test_noqa_edit_appends_extends_or_leaves_alone():
    doc = Document("x = f(a)   \ny = f(b)  # noqa: TL2\nz = f(c)  # noqa\n")
    append = noqa_edit(doc, 0, "TL101")
    assert append.new_text == "  # noqa: TL101" and append.range.start.character == 8 and append.range.end.character == 11
    extend = noqa_edit(doc, 1, "TL101")
    assert extend.new_text == ", TL101" and extend.range.start.character == len("y = f(b)  # noqa: TL2")
    assert noqa_edit(doc, 2, "TL101") is None  # a bare noqa already suppresses everything


def test_overlapping_fixes_are_not_combined():
    e1 = (Edit(Span.of(1, 0, 1, 5), "x"),)
    e2 = (Edit(Span.of(1, 3, 1, 8), "y"),)
    e3 = (Edit(Span.of(2, 0, 2, 1), "z"),)
    assert non_overlapping([e2, e1, e3]) == [e1[0], e3[0]]


def test_settings_nested_flat_and_bad():
    settings, problems = parse_settings(
        {"tensorlint": {"inlayHints": {"enabled": False}, "debounce": 50, "select": "tl1", "mystery": 1}}
    )
    assert settings.inlay_hints is False and settings.debounce_ms == 50 and settings.select == ("TL1",)
    assert len(problems) == 1 and "'mystery'" in problems[0]
    settings, problems = parse_settings({"debounce": -5, "severity": {"TL101": "warning"}})
    assert settings.debounce_ms == ServerSettings().debounce_ms
    assert settings.severity == (("TL101", Severity.WARNING),)
    assert any("'debounce'" in p for p in problems)


def test_editor_settings_win_over_the_project():
    project = Config(ignore=("TL2",), severity=(("TL101", Severity.INFO),))
    merged = effective_config(project, ServerSettings(ignore=("TL3",), severity=(("TL101", Severity.WARNING),)))
    assert merged.ignore == ("TL2", "TL3")
    assert merged.severity_for("TL101", Severity.ERROR) is Severity.WARNING
