"""Jupyter notebooks: their code cells as one Python text, and back.

Each code cell is turned into the Python IPython runs (`notebook_cells.transform`: magics,
shell escapes, help requests, cell magics, a shared indent) and parsed on its own, the way
IPython runs it. The cells then make one Python text, in order, so that the analysis carries
what one cell defines into the next: a cell that does not parse, and a cell magic whose body
is not Python, stand there as blank lines (the cell's TL001 is reported at its own line, and
the other cells are still analyzed). Every code cell keeps its number of lines in that text,
so a line of it maps back to `(cell number, line in cell)`; cells are numbered from 1 among
the code cells, as ruff does. Fixes are applied to the cells' own text and written back into
the notebook JSON; metadata, outputs and markdown cells are kept as they were.

Both notebook formats are read: nbformat 4 (`cells`, `source`) and nbformat 3 (`worksheets`,
`input`); a source may be a string or a list of strings.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, replace

from .findings import Edit, Finding, Position, Related, Span
from .notebook_cells import CellCode, syntax_error, transform

_LINE_REF = re.compile(r"\b(lines?) (\d+)(?:-(\d+))?")


class NotebookError(ValueError):
    """The file is not a notebook we can read."""


@dataclass(frozen=True)
class Cell:
    index: int  # place in the JSON: position in its list of cells
    number: int  # 1-based among code cells
    source: str
    start: int = 0  # lines of the joined text before this cell
    lines: int = 0
    code: CellCode | None = None
    error: tuple[int, int, str] | None = None  # (line, column, message): the cell does not parse
    worksheet: int | None = None  # nbformat 3: which worksheet holds the cell

    @property
    def included(self) -> bool:
        """Whether the cell's Python is part of the analyzed text."""
        return self.code is not None and self.code.python and self.error is None

    @property
    def masked(self) -> frozenset[int]:
        return self.code.rewritten if self.code is not None else frozenset()


cell_error = syntax_error  # where and why Python, as IPython compiles a cell, refuses it


class Notebook:
    def __init__(self, data: dict, sources: list[tuple[int | None, int, str]], indent: int | None, trailing_newline: bool):
        self.data = data
        self.indent = indent
        self.trailing_newline = trailing_newline
        self.cells: list[Cell] = []
        parts: list[str] = []
        line = 0
        for number, (worksheet, index, source) in enumerate(sources, 1):
            code = transform(source)
            error = cell_error(code)
            count = code.text.count("\n")
            self.cells.append(Cell(index, number, source, line, count, code, error, worksheet))
            parts.append(code.text if code.python and error is None else "\n" * count)
            line += count
        self.text = "".join(parts)  # the joined Python text the engine analyzes

    @classmethod
    def parse(cls, raw: str) -> "Notebook":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as err:
            raise NotebookError(f"not valid notebook JSON: {err}") from None
        except RecursionError:
            raise NotebookError("not valid notebook JSON: nested too deeply") from None
        if not isinstance(data, dict):
            raise NotebookError("not a Jupyter notebook (the JSON is not an object)")
        sources = []
        if isinstance(data.get("cells"), list):
            for i, c in enumerate(data["cells"]):
                if isinstance(c, dict) and c.get("cell_type") == "code":
                    sources.append((None, i, _source_text(c.get("source", ""))))
        elif isinstance(data.get("worksheets"), list):  # nbformat 3
            for w, sheet in enumerate(data["worksheets"]):
                cells = sheet.get("cells") if isinstance(sheet, dict) else None
                for i, c in enumerate(cells if isinstance(cells, list) else []):
                    if isinstance(c, dict) and c.get("cell_type") == "code":
                        sources.append((w, i, _source_text(c.get("input", ""))))
        else:
            raise NotebookError("not a Jupyter notebook (no list of cells)")
        if not _is_python(data):
            sources = []  # a notebook of another language: none of its cells are Python
        return cls(data, sources, _indent_of(raw), raw.endswith("\n"))

    @classmethod
    def from_sources(cls, sources: list[str]) -> "Notebook":
        """A notebook of these code cells only (an editor's open notebook)."""
        return cls({"cells": []}, [(None, i, s) for i, s in enumerate(sources)], None, True)

    def with_sources(self, new: dict[int, str]) -> "Notebook":
        """A copy with some code cells' sources (by cell number) replaced."""
        sources = [(c.worksheet, c.index, new.get(c.number, c.source)) for c in self.cells]
        return Notebook(self.data, sources, self.indent, self.trailing_newline)

    def __eq__(self, other) -> bool:
        return isinstance(other, Notebook) and [c.source for c in self.cells] == [c.source for c in other.cells]

    __hash__ = None  # mutable data: not hashable

    @property
    def broken(self) -> frozenset[int]:
        """Numbers of the cells that do not parse."""
        return frozenset(c.number for c in self.cells if c.error is not None)

    def locate(self, line: int) -> tuple[Cell, int] | None:
        """The cell holding line `line` of the joined text, and the line within that cell."""
        for cell in self.cells:
            if cell.start < line <= cell.start + cell.lines:
                return cell, line - cell.start
        return None

    def syntax_errors(self, config) -> list[Finding]:
        """TL001 for each cell that does not parse, in the joined text's coordinates."""
        from .engine import _tl001

        out = []
        for cell in self.cells:
            if cell.error is not None:
                line, col, msg = cell.error
                # lines the message names ("... on line 3") are the cell's: as joined-text lines,
                # like every other message, so that they read `cell N, line L` once mapped
                msg = _LINE_REF.sub(lambda m: _joined_ref(m, cell.start), msg)
                out.append(_tl001(msg, cell.start + line, col, config))
        return out

    def to_cell(self, finding: Finding) -> tuple[int | None, Finding]:
        """The finding in its cell's coordinates, with its fix dropped where it cannot apply there;
        lines the message cites become `cell N, line L`."""
        where = self.locate(finding.span.start.line)
        if where is None:
            return None, finding
        cell, _ = where
        fix = finding.fix
        if fix is not None:
            edits = [self._edit_in(cell, e) for e in fix.edits]
            fix = replace(fix, edits=tuple(edits)) if all(e is not None for e in edits) else None
        span = self._span_in(cell, finding.span)
        related = tuple(self._related(r) for r in finding.related)
        return cell.number, replace(finding, span=span, fix=fix, message=self.cite(finding.message), related=related)

    def span_in_cell(self, span: Span) -> tuple[int | None, Span]:
        """A span of the joined text as (cell number, span in that cell)."""
        where = self.locate(span.start.line)
        return (where[0].number, self._span_in(where[0], span)) if where else (None, span)

    def _related(self, related: Related) -> Related:
        where = self.locate(related.span.start.line)
        if where is None:
            return related
        return Related(self._span_in(where[0], related.span), self.cite(related.message), where[0].number)

    def place(self, line: int) -> str:
        """`cell N, line L` for a line of the joined text."""
        where = self.locate(line)
        return f"cell {where[0].number}, line {where[1]}" if where else f"line {line}"

    def cite(self, message: str) -> str:
        """A message's `line N` (and `lines N-M`) in cell coordinates."""
        def one(m: re.Match) -> str:
            first = int(m.group(2))
            if m.group(3) is None:
                return self.place(first)
            a, b = self.locate(first), self.locate(int(m.group(3)))
            if a and b and a[0].number == b[0].number:
                return f"cell {a[0].number}, lines {a[1]}-{b[1]}"
            return f"{self.place(first)} to {self.place(int(m.group(3)))}"

        return _LINE_REF.sub(one, message)

    def _span_in(self, cell: Cell, span: Span) -> Span:
        def move(p: Position) -> Position:
            line = p.line - cell.start
            if line > cell.lines:  # a span ending at the next cell's start
                return Position(max(1, cell.lines), p.column)
            line = max(1, line)
            return Position(line, cell.code.column(line, p.column) if cell.code else p.column)

        return Span(move(span.start), move(span.end))

    def _edit_in(self, cell: Cell, edit: Edit) -> Edit | None:
        first, last = edit.span.start.line - cell.start, edit.span.end.line - cell.start
        if first < 1 or last > cell.lines + 1 or any(line in cell.masked for line in range(first, last + 1)):
            return None
        shifted = any(cell.code.offsets[n - 1] for n in range(first, min(last, cell.lines) + 1)) if cell.code else False
        if shifted and "\n" in edit.content:
            return None  # new lines would need the indent IPython removed
        return Edit(self._span_in(cell, edit.span) if last <= cell.lines else _shift(edit.span, cell.start), edit.content)

    def cell(self, number: int) -> Cell | None:
        return next((c for c in self.cells if c.number == number), None)

    def dump(self) -> str:
        """The notebook JSON with the current cell sources."""
        data = copy.deepcopy(self.data)
        for cell in self.cells:
            if cell.worksheet is None:
                target, key = data["cells"][cell.index], "source"
            else:
                target, key = data["worksheets"][cell.worksheet]["cells"][cell.index], "input"
            original = target.get(key, "")
            if _source_text(original) != cell.source:
                target[key] = cell.source if isinstance(original, str) else cell.source.splitlines(keepends=True)
        out = json.dumps(data, indent=self.indent, ensure_ascii=False)
        return out + "\n" if self.trailing_newline else out


def _joined_ref(m: re.Match, start: int) -> str:
    end = f"-{int(m.group(3)) + start}" if m.group(3) else ""
    return f"{m.group(1)} {int(m.group(2)) + start}{end}"


def _shift(span: Span, lines_before: int) -> Span:
    def move(p: Position) -> Position:
        return Position(max(1, p.line - lines_before), p.column)

    return Span(move(span.start), move(span.end))


def _source_text(source) -> str:
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _is_python(data: dict) -> bool:
    """False only when the notebook says its kernel runs another language."""
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    for holder, key in ((meta.get("kernelspec"), "language"), (meta.get("language_info"), "name")):
        if isinstance(holder, dict) and isinstance(holder.get(key), str) and holder[key].strip():
            return holder[key].strip().lower() in ("python", "python2", "python3", "ipython", "ipython3")
    return True


def _indent_of(raw: str) -> int | None:
    m = re.search(r"\n( +)\S", raw)
    return len(m.group(1)) if m else None
