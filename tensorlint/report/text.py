"""Formats for people and for CI logs: concise, full, GitHub workflow commands."""
from __future__ import annotations

from ..fixer import is_applicable
from . import Report, location

CONTEXT_LINES = 2


def _mark(report: Report, finding) -> str:
    return " [*]" if is_applicable(finding.fix, report.unsafe_fixes) else ""


def concise(report: Report) -> str:
    out = []
    for result, item in report.items():
        f = item.finding
        message = " ".join(f.message.split("\n"))  # one line per finding
        out.append(f"{location(result, item)}: {f.code}{_mark(report, f)} {message}")
    return "\n".join(out) + ("\n" if out else "")


def full(report: Report) -> str:
    blocks = []
    for result, item in report.items():
        f = item.finding
        row, col = f.span.start.line, f.span.start.column
        first = max(1, row - CONTEXT_LINES)
        width = len(str(row))
        lines = [f"{location(result, item)}: {f.code}{_mark(report, f)} {f.message}", f"{' ' * width} |"]
        for n in range(first, row + 1):
            lines.append(f"{n:>{width}} | {result.line(item.cell, n)}".rstrip())
        source = result.line(item.cell, row)
        end = f.span.end.column if f.span.end.line == row else len(source)
        carets = "^" * max(1, end - col)
        lines.append(f"{' ' * width} | {_pad(source, col)}{carets} {f.code}")
        lines.append(f"{' ' * width} |")
        if f.fix is not None and report.show_fix_titles:
            safety = "" if is_applicable(f.fix, False) else " (unsafe fix)"
            lines.append(f"{' ' * width} = help: {f.fix.message}{safety}")
        for rel in f.related:
            where = f"cell {rel.cell}, line" if rel.cell is not None else "line"
            lines.append(f"{' ' * width} = note: {where} {rel.span.start.line}: {rel.message}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _pad(source: str, col: int) -> str:
    """Spaces under the source up to `col`, keeping its tabs so the carets line up."""
    return "".join(c if c == "\t" else " " for c in source[:col]).ljust(col)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def github(report: Report) -> str:
    out = []
    for result, item in report.items():
        f = item.finding
        props = [
            f"title={_escape_property(f'tensorlint ({f.code})')}",
            f"file={_escape_property(result.display)}",
        ]
        if item.cell is None:  # a notebook's cell line is not a line of the file
            props += [f"line={f.span.start.line}", f"col={f.span.start.column + 1}",
                      f"endLine={f.span.end.line}", f"endColumn={f.span.end.column + 1}"]
        level = LEVELS.get(f.severity.value, "error")
        out.append(f"::{level} {','.join(props)}::{_escape_data(f'{location(result, item)}: {f.code} {f.message}')}")
    return "\n".join(out) + ("\n" if out else "")
