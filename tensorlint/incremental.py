"""Incremental parsing: re-parse only the top-level statements whose text changed.

A document is split into chunks, each a run of whole top-level statements (a function, a
class, an `if`/`else` block with its continuations, a decorated definition with its
decorators). Each chunk is parsed by libcst on its own and the tree is cached by the chunk's
text, so an edit inside one function re-parses that function only. The engine accepts the
chunks in place of one parsed module: `analyze(text, path, config, chunks=...)`.

    parser = IncrementalParser()
    chunks = parser.parse(text)      # None when some chunk does not parse

Splitting is lexical and cheap: one regular-expression scan that skips strings (triple-quoted
ones included), comments, bracketed continuation lines and backslash continuations. A line that
starts at column 0 outside all of those starts a new top-level statement, except the clauses
that continue the previous one (`else`, `elif`, `except`, `finally`) and the definition a
decorator belongs to.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

import libcst as cst

from .engine import Chunk

# The lexical items that matter for finding statement boundaries. Strings come first so that
# a `#`, a bracket or a newline inside one is never taken for the real thing.
_SCAN = re.compile(
    r"""
      (?P<str>'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
             |'(?:\\.|[^\\'\r\n])*'|"(?:\\.|[^\\"\r\n])*")
    | \#[^\r\n]*
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | \\(?:\r\n|\r|\n)
    | (?P<nl>\r\n|\r|\n)
    """,
    re.VERBOSE | re.DOTALL,
)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_STARTS_STATEMENT = re.compile(r"[^\s#]")


@dataclass(frozen=True)
class Piece:
    """The text of one chunk and the number of lines before it."""

    text: str
    line_offset: int


def split(text: str) -> list[Piece]:
    """Split `text` into runs of whole top-level statements; their texts add up to `text`."""
    starts = _statement_starts(text)
    if starts:
        starts[0] = 0  # comments and blank lines before the first statement go with it
    else:
        starts = [0]
    pieces = []
    line = 0
    for begin, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[begin:end]
        pieces.append(Piece(piece, line))
        line += _count_newlines(piece)
    return pieces


def _count_newlines(text: str) -> int:
    if "\r" not in text:
        return text.count("\n")
    return len(_NEWLINE.findall(text))


def _statement_starts(text: str) -> list[int]:
    """Offsets of the lines that start a new top-level chunk."""
    starts: list[int] = []
    depth = 0
    after_decorator = False

    def consider(pos: int) -> None:
        nonlocal after_decorator
        if not _STARTS_STATEMENT.match(text, pos):
            return  # indented, blank or comment line: part of the current chunk
        if _CLAUSE.match(text, pos):
            return  # `else:` and friends continue the statement before them
        if after_decorator:
            after_decorator = text.startswith("@", pos)
            return  # the decorated definition belongs to its decorators
        after_decorator = text.startswith("@", pos)
        starts.append(pos)

    consider(0)
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind == "nl":
            if depth == 0:
                consider(m.end())
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
    return starts


class IncrementalParser:
    """Parses documents chunk by chunk, keeping the trees of chunks it has seen."""

    def __init__(self, max_entries: int = 4096):
        self._cache: OrderedDict[str, cst.Module] = OrderedDict()
        self._max = max_entries
        self.parsed = 0  # chunks parsed (not found in the cache) so far: for measurements

    def parse(self, text: str) -> list[Chunk] | None:
        """The chunks of `text`, or None when the text does not parse."""
        chunks = []
        for piece in split(text):
            module = self._module(piece.text)
            if module is None:
                return None
            chunks.append(Chunk(module, piece.line_offset, piece.text))
        return chunks

    def _module(self, text: str) -> cst.Module | None:
        module = self._cache.get(text)
        if module is not None:
            self._cache.move_to_end(text)
            return module
        try:
            module = cst.parse_module(text)
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            return None
        self.parsed += 1
        self._cache[text] = module
        if len(self._cache) > self._max:
            self._cache.popitem(last=False)
        return module

    def clear(self) -> None:
        self._cache.clear()


def logical_line_count(text: str) -> int:
    """How many physical lines the logical line at the start of `text` spans (brackets,
    strings and backslash continuations keep it going)."""
    depth = 0
    lines = 1
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "nl":
            if depth == 0:
                return lines
            lines += 1
        elif kind == "str" or m.group().startswith("\\"):
            lines += _count_newlines(m.group())
    return lines
