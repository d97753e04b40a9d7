"""Jupyter notebooks: their code cells as one Python text, and back.

Code cells are joined in order so that names defined in one cell are known in the next.
IPython magics (`%timeit`, `!pip`, `obj?`) become `pass` lines, keeping the line count, and
cells that start with a cell magic (`%%bash`) are left out. Findings are mapped back to
`(cell number, line in cell)`; cells are numbered from 1 among the code cells, as ruff does.
Fixes are applied to the cells' own text and written back into the notebook JSON; metadata,
outputs and markdown cells are kept as they were.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, replace

from .findings import Edit, Finding, Fix, Position, Span

MAGIC = re.compile(r"^\s*(?:[%!]|\w[\w.]*\?\??\s*$|\?)")


class NotebookError(ValueError):
    """The file is not a notebook we can read."""


@dataclass(frozen=True)
class Cell:
    index: int  # position among all cells
    number: int  # 1-based among code cells
    source: str
    start: int = 0  # lines of the joined text before this cell
    lines: int = 0
    masked: frozenset[int] = frozenset()  # lines (1-based, in the cell) that held magics
    included: bool = True


class Notebook:
    def __init__(self, data: dict, sources: list[tuple[int, str]], indent: int | None, trailing_newline: bool):
        self.data = data
        self.indent = indent
        self.trailing_newline = trailing_newline
        self.cells: list[Cell] = []
        parts: list[str] = []
        line = 0
        for number, (index, source) in enumerate(sources, 1):
            if source.lstrip().startswith("%%"):
                self.cells.append(Cell(index, number, source, line, 0, included=False))
                continue
            python, masked = _mask_magics(source)
            if python and not python.endswith("\n"):
                python += "\n"
            count = python.count("\n")
            self.cells.append(Cell(index, number, source, line, count, masked))
            parts.append(python)
            line += count
        self.text = "".join(parts)  # the joined Python text the engine analyzes

    @classmethod
    def parse(cls, raw: str) -> "Notebook":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as err:
            raise NotebookError(f"not valid notebook JSON: {err}") from None
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise NotebookError("not a Jupyter notebook (no list of cells)")
        sources = [
            (i, _source_text(c.get("source", "")))
            for i, c in enumerate(data["cells"])
            if isinstance(c, dict) and c.get("cell_type") == "code"
        ]
        return cls(data, sources, _indent_of(raw), raw.endswith("\n"))

    def with_sources(self, new: dict[int, str]) -> "Notebook":
        """A copy with some code cells' sources (by cell number) replaced."""
        sources = [(c.index, new.get(c.number, c.source)) for c in self.cells]
        return Notebook(self.data, sources, self.indent, self.trailing_newline)

    def __eq__(self, other) -> bool:
        return isinstance(other, Notebook) and [c.source for c in self.cells] == [c.source for c in other.cells]

    __hash__ = None  # mutable data: not hashable

    def locate(self, line: int) -> tuple[Cell, int] | None:
        """The cell holding line `line` of the joined text, and the line within that cell."""
        for cell in self.cells:
            if cell.included and cell.start < line <= cell.start + cell.lines:
                return cell, line - cell.start
        return None

    def to_cell(self, finding: Finding) -> tuple[int | None, Finding]:
        """The finding in its cell's coordinates, with its fix dropped where it cannot apply there."""
        where = self.locate(finding.span.start.line)
        if where is None:
            return None, finding
        cell, _ = where
        fix = finding.fix
        if fix is not None:
            edits = [self._edit_in(cell, e) for e in fix.edits]
            fix = replace(fix, edits=tuple(edits)) if all(e is not None for e in edits) else None
        span = _shift(finding.span, cell.start, cell.lines)
        related = tuple(r for r in finding.related)  # related places may be in other cells: kept joined
        return cell.number, replace(finding, span=span, fix=fix, related=related)

    def _edit_in(self, cell: Cell, edit: Edit) -> Edit | None:
        first, last = edit.span.start.line - cell.start, edit.span.end.line - cell.start
        if first < 1 or last > cell.lines + 1 or any(line in cell.masked for line in range(first, last + 1)):
            return None
        return Edit(_shift(edit.span, cell.start, None), edit.content)

    def cell(self, number: int) -> Cell | None:
        return next((c for c in self.cells if c.number == number), None)

    def dump(self) -> str:
        """The notebook JSON with the current cell sources."""
        data = copy.deepcopy(self.data)
        for cell in self.cells:
            original = data["cells"][cell.index].get("source", "")
            if _source_text(original) != cell.source:
                data["cells"][cell.index]["source"] = (
                    cell.source if isinstance(original, str) else cell.source.splitlines(keepends=True)
                )
        out = json.dumps(data, indent=self.indent, ensure_ascii=False)
        return out + "\n" if self.trailing_newline else out


def _shift(span: Span, lines_before: int, max_line: int | None) -> Span:
    def move(p: Position) -> Position:
        line = p.line - lines_before
        if max_line is not None and line > max_line:  # a span ending at the next cell's start
            return Position(max_line, p.column)
        return Position(max(1, line), p.column)

    return Span(move(span.start), move(span.end))


def _source_text(source) -> str:
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _mask_magics(source: str) -> tuple[str, frozenset[int]]:
    out, masked = [], set()
    continued = False
    for number, text in enumerate(source.split("\n"), 1):
        if continued or MAGIC.match(text):
            # `pass` keeps a block that holds only a magic valid Python
            indent = text[: len(text) - len(text.lstrip())]
            out.append(indent + ("#" if continued else "pass  #") + text.lstrip())
            masked.add(number)
            continued = text.rstrip().endswith("\\")
        else:
            out.append(text)
    return "\n".join(out), frozenset(masked)


def _indent_of(raw: str) -> int | None:
    m = re.search(r"\n( +)\S", raw)
    return len(m.group(1)) if m else None
