"""Output formats of `tensorlint check`.

Each format is a function `(Report) -> str`, picked by `formats.formatter(name)`. They only
convert: the findings, their positions (1-based columns here, as in ruff's output) and their
fixes come from the runner.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from ..runner import FileResult, Item

FORMATS = ("concise", "full", "json", "sarif", "github", "junit")


@dataclass
class Report:
    results: list[FileResult]
    unsafe_fixes: bool = False
    show_fix_titles: bool = True
    docs_base: str = ""
    extra: dict = field(default_factory=dict)

    def items(self):
        """(result, item) for every finding, in file order then position."""
        for r in self.results:
            for item in sorted(r.items, key=lambda i: (i.cell or 0, i.finding.sort_key())):
                yield r, item


def location(result: FileResult, item: Item) -> str:
    f = item.finding
    cell = f"cell {item.cell}:" if item.cell is not None else ""
    return f"{result.display}:{cell}{f.span.start.line}:{f.span.start.column + 1}"


def url_of(finding: Finding, docs_base: str) -> str:
    return finding.url or (docs_base + finding.code if docs_base else "")
