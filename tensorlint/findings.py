"""What the engine reports: findings, their locations and fixes.

Positions are 1-based lines and 0-based columns counted in Unicode code points
(Python string indices). Front ends convert: the JSON output adds 1 to columns,
the language server converts to the negotiated position encoding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def parse(cls, text: str) -> "Severity":
        aliases = {"e": "error", "w": "warning", "i": "info", "information": "info", "hint": "info"}
        key = text.strip().lower()
        return cls(aliases.get(key, key))


class Applicability(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 0-based, code points


@dataclass(frozen=True, order=True)
class Span:
    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, col: int, end_line: int, end_col: int) -> "Span":
        # filled in without the frozen dataclasses' __init__ (one object.__setattr__ per field,
        # three times slower): an edit moves the spans of thousands of hover values
        start, end, span = _new(Position), _new(Position), _new(cls)
        start.__dict__.update(line=line, column=col)
        end.__dict__.update(line=end_line, column=end_col)
        span.__dict__.update(start=start, end=end)
        return span


_new = object.__new__


@dataclass(frozen=True)
class Edit:
    span: Span
    content: str


@dataclass(frozen=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True)
class Related:
    span: Span
    message: str
    cell: int | None = None  # in a notebook: the code cell `span` counts lines in


@dataclass
class Finding:
    code: str
    name: str
    message: str
    severity: Severity
    span: Span
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    unnecessary: bool = False  # the span is an unused/ignored parameter
    url: str = ""

    @property
    def line(self) -> int:
        return self.span.start.line

    def sort_key(self):
        return (self.span.start, self.code, self.message)


@dataclass
class ValueInfo:
    """An inferred value at a place in the source, for hovers and inlay hints."""

    span: Span
    text: str  # e.g. "Tensor[B, 16, 28, 28] float32"
    origin: Span | None = None


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    values: list[ValueInfo] = field(default_factory=list)
    syntax_error: bool = False
    skipped: bool = False  # no deep-learning framework imported: not analyzed
    # what was left out of an analysis that went ahead (a statement nested too deeply to
    # follow...), one line each: front ends show them, so that nothing is skipped unsaid
    notes: list[str] = field(default_factory=list)
    # project modules the analysis read (`from model import Net`): it is out of date when they change
    dependencies: tuple = ()
