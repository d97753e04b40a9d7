"""Conversion between engine findings and LSP types. No rule knowledge: only shapes of data.

Engine positions are 1-based lines and 0-based columns in code points; LSP positions are
0-based lines and columns in the negotiated encoding's code units (UTF-16 unless the client
offered UTF-8 or UTF-32).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable, Sequence

from lsprotocol import types

from tensorlint.findings import Applicability, Edit, Finding, Position, Severity, Span, ValueInfo

SOURCE = "tensorlint"

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The document's lines as LSP counts them (\\n, \\r\\n and \\r end a line)."""
    return _NEWLINE.split(text)


# -- columns -------------------------------------------------------------------------------


def units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of `encoding`."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_client_column(line: str, column: int, encoding: str) -> int:
    return units(line[: max(0, column)], encoding)


def from_client_column(line: str, character: int, encoding: str) -> int:
    """Code-point column of a client column; inside a character rounds down, past the end clamps."""
    if encoding == types.PositionEncodingKind.Utf32:
        return min(max(0, character), len(line))
    seen = 0
    for index, ch in enumerate(line):
        width = units(ch, encoding)
        if seen + width > character:
            return index
        seen += width
    return len(line)


class Document:
    """The lines of one text, with conversions in one position encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16):
        self.text = text
        self.lines = split_lines(text)
        self.encoding = encoding

    def line(self, number: int) -> str:
        """Text of 1-based line `number`, or "" past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def position(self, pos: Position) -> types.Position:
        if pos.line > len(self.lines):
            last = len(self.lines)
            return types.Position(last - 1, units(self.lines[-1], self.encoding))
        line = max(1, pos.line)
        return types.Position(line - 1, to_client_column(self.line(line), pos.column, self.encoding))

    def range(self, span: Span) -> types.Range:
        return types.Range(self.position(span.start), self.position(span.end))

    def engine_position(self, pos: types.Position) -> Position:
        line = pos.line + 1
        return Position(line, from_client_column(self.line(line), pos.character, self.encoding))

    def engine_span(self, rng: types.Range) -> Span:
        return Span(self.engine_position(rng.start), self.engine_position(rng.end))

    def end(self) -> types.Position:
        return types.Position(len(self.lines) - 1, units(self.lines[-1], self.encoding))


# -- findings -> diagnostics ------------------------------------------------------------------


def diagnostic(finding: Finding, doc: Document, uri: str, version: int | None) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=doc.range(r.span)), message=r.message
        )
        for r in finding.related
    ]
    return types.Diagnostic(
        range=doc.range(finding.span),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=types.CodeDescription(href=finding.url) if finding.url else None,
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
        data=diagnostic_data(finding, doc, version),
    )


def diagnostic_data(finding: Finding, doc: Document, version: int | None) -> dict[str, Any]:
    """What code actions need later, so that they need no second analysis."""
    data: dict[str, Any] = {"name": finding.name, "version": version}
    if finding.fix is not None:
        data["fix"] = {
            "message": finding.fix.message,
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"range": _range_json(doc.range(e.span)), "newText": e.content} for e in finding.fix.edits
            ],
        }
    return data


def _range_json(rng: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


def fix_from_data(data: Any) -> tuple[str, Applicability, list[types.TextEdit]] | None:
    """The fix a published diagnostic carries: title, applicability, edits; None if none or bad."""
    if not isinstance(data, dict) or not isinstance(data.get("fix"), dict):
        return None
    fix = data["fix"]
    try:
        edits = [
            types.TextEdit(
                range=types.Range(
                    types.Position(int(e["range"]["start"]["line"]), int(e["range"]["start"]["character"])),
                    types.Position(int(e["range"]["end"]["line"]), int(e["range"]["end"]["character"])),
                ),
                new_text=str(e["newText"]),
            )
            for e in fix["edits"]
        ]
        applicability = Applicability(fix.get("applicability", "unsafe"))
    except (KeyError, TypeError, ValueError):
        return None
    return str(fix.get("message", "Fix")), applicability, edits


def text_edits(edits: Iterable[Edit], doc: Document) -> list[types.TextEdit]:
    return [types.TextEdit(range=doc.range(e.span), new_text=e.content) for e in edits]


def non_overlapping(fix_edits: Sequence[Sequence[Edit]]) -> list[Edit]:
    """Edits of several fixes that can be applied together: a fix overlapping an earlier one is skipped."""
    taken: list[Edit] = []
    for edits in sorted(fix_edits, key=lambda es: min((e.span.start for e in es), default=Position(0, 0))):
        if any(_overlaps(e.span, t.span) for e in edits for t in taken):
            continue
        taken.extend(edits)
    return sorted(taken, key=lambda e: (e.span.start, e.span.end))


def _overlaps(a: Span, b: Span) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one place: order would be ambiguous
    return a.start < b.end and b.start < a.end


def workspace_edit(
    uri: str, version: int | None, edits: list[types.TextEdit], document_changes: bool
) -> types.WorkspaceEdit:
    """A workspace edit for one document; versioned when the client supports documentChanges,
    so that a client rejects it for a document that has changed since."""
    if document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=list(edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: list(edits)})


# -- keeping results across an edit ----------------------------------------------------------


class LineShift:
    """Maps lines of an old text to a new one: lines before the changed region stay, lines
    after it move by the change in line count, lines inside it stay where they were (clamped)."""

    def __init__(self, old: str, new: str):
        a, b = split_lines(old), split_lines(new)
        prefix = 0
        limit = min(len(a), len(b))
        while prefix < limit and a[prefix] == b[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
            suffix += 1
        self.prefix, self.old_suffix_start = prefix, len(a) - suffix
        self.delta = len(b) - len(a)
        self.new_len = len(b)
        self.same = a == b

    def line(self, line: int) -> int:
        if line <= self.prefix:
            return line
        if line > self.old_suffix_start:
            return line + self.delta
        return max(1, min(line, self.new_len))

    def span(self, span: Span) -> Span:
        return Span(
            Position(self.line(span.start.line), span.start.column),
            Position(self.line(span.end.line), span.end.column),
        )

    def finding(self, finding: Finding) -> Finding:
        """The finding moved to the new text. Its fix is dropped: its edits were made for the old one."""
        if self.same:
            return finding
        return replace(
            finding,
            span=self.span(finding.span),
            related=tuple(replace(r, span=self.span(r.span)) for r in finding.related),
            fix=None,
        )

    def value(self, value: ValueInfo) -> ValueInfo:
        if self.same:
            return value
        origin = self.span(value.origin) if value.origin is not None else None
        return ValueInfo(self.span(value.span), value.text, origin)
