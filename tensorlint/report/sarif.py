"""SARIF 2.1.0, as GitHub code scanning and other CI systems read it.

Columns are counted in code points (`columnKind: unicodeCodePoints`), 1-based. The rules
section lists every rule tensorlint knows, with the documentation from the rule itself.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..findings import Severity, Span
from . import Report, url_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str, display: str) -> dict:
    if not Path(display).is_absolute():
        return {"uri": quote(display), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(path).as_uri()}


def _region(span: Span) -> dict:
    return {
        "startLine": span.start.line,
        "startColumn": span.start.column + 1,
        "endLine": max(span.end.line, span.start.line),
        "endColumn": span.end.column + 1 if span.end > span.start else span.start.column + 1,
    }


def rule_descriptors(docs_base: str) -> list[dict]:
    from ..rule import all_rules

    out = []
    for rule in all_rules():
        sections = rule.doc_sections()
        full = sections.get("What it does") or rule.summary or rule.name
        out.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary or rule.name},
            "fullDescription": {"text": full},
            "help": {"text": rule.docs() or full, "markdown": rule.docs() or full},
            "helpUri": docs_base + rule.code,
            "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": bool(rule.default)},
            "properties": {"fix": rule.fix.value if rule.fix else "none"},
        })
    return out


def render(report: Report) -> str:
    rules = rule_descriptors(report.docs_base)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for result, item in report.items():
        f = item.finding
        if f.code not in index:  # e.g. TL001, reported by the engine itself
            index[f.code] = len(rules)
            rules.append({"id": f.code, "name": f.name, "shortDescription": {"text": f.name},
                          "helpUri": url_of(f, report.docs_base)})
        location = {"physicalLocation": {"artifactLocation": _uri(result.path, result.display), "region": _region(f.span)}}
        entry = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL.get(f.severity, "error"),
            "message": {"text": f.message},
            "locations": [location],
        }
        if item.cell is not None:
            entry["properties"] = {"cell": item.cell}
        if f.related:
            entry["relatedLocations"] = [
                {"id": n, "message": {"text": r.message},
                 "physicalLocation": {"artifactLocation": _uri(result.path, result.display), "region": _region(r.span)},
                 **({"properties": {"cell": r.cell}} if r.cell is not None else {})}
                for n, r in enumerate(f.related)
            ]
        if f.fix is not None and f.fix.edits:
            entry["fixes"] = [{
                "description": {"text": f.fix.message},
                "artifactChanges": [{
                    "artifactLocation": _uri(result.path, result.display),
                    "replacements": [
                        {"deletedRegion": _region(e.span), "insertedContent": {"text": e.content}} for e in f.fix.edits
                    ],
                }],
            }]
        results.append(entry)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tensorlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": report.docs_base.rsplit("/rules/", 1)[0] or "https://tensorlint.dev",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
