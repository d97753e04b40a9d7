"""JSON in the shape of ruff's `--output-format json`, plus `severity`.

Rows and columns are 1-based; an end column is one past the last character, as in ruff.
For notebooks, `cell` is the code cell's number and rows count within the cell.
"""
from __future__ import annotations

import json

from ..findings import Finding, Position
from . import Report, url_of


def _pos(p: Position) -> dict:
    return {"column": p.column + 1, "row": p.line}


def finding_json(finding: Finding, filename: str, cell: int | None, docs_base: str) -> dict:
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"content": e.content, "end_location": _pos(e.span.end), "location": _pos(e.span.start)}
                for e in finding.fix.edits
            ],
            "message": finding.fix.message,
        }
    return {
        "cell": cell,
        "code": finding.code,
        "end_location": _pos(finding.span.end),
        "filename": filename,
        "fix": fix,
        "location": _pos(finding.span.start),
        "message": finding.message,
        "noqa_row": finding.span.start.line,
        "severity": finding.severity.value,
        "url": url_of(finding, docs_base),
    }


def render(report: Report) -> str:
    rows = [finding_json(i.finding, r.path, i.cell, report.docs_base) for r, i in report.items()]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
