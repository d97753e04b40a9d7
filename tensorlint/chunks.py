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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst


@dataclass
class Chunk:
    """A parsed run of top-level statements. `line_offset` lines precede it in the file."""

    module: cst.Module
    line_offset: int = 0
    text: str = ""
    # what analyses computed about `module` (positions, parent links); the language server's
    # parser hands the same dict with the same tree from one edit to the next
    memo: dict = field(default_factory=dict)


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
    starts = _statement_starts(text)[0]
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


def _statement_starts(text: str, begin: int = 0, sync: frozenset = frozenset()) -> tuple[list[int], int | None]:
    """Offsets of the lines that start a new top-level chunk, scanning from `begin` (a statement
    start, or 0); and the first of the offsets in `sync` that turned out to start one (None if
    none did). The scan stops there: from a statement start on, the rest of the text splits
    as before when it is the same text (the caller's business)."""
    starts: list[int] = []
    depth = 0
    after_decorator = False

    def consider(pos: int) -> bool:
        nonlocal after_decorator
        if not _STARTS_STATEMENT.match(text, pos):
            return False  # indented, blank or comment line: part of the current chunk
        if _CLAUSE.match(text, pos):
            return False  # `else:` and friends continue the statement before them
        if after_decorator:
            after_decorator = text.startswith("@", pos)
            return False  # the decorated definition belongs to its decorators
        after_decorator = text.startswith("@", pos)
        starts.append(pos)
        return True

    if consider(begin) and begin in sync and not after_decorator:
        return starts, begin
    for m in _SCAN.finditer(text, begin):
        kind = m.lastgroup
        if kind == "nl":
            if depth == 0:
                pos = m.end()
                if consider(pos) and pos in sync and not after_decorator:
                    return starts, pos
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
    return starts, None


def split_again(old_text: str, old_pieces: list[Piece], text: str) -> list[Piece]:
    """`split(text)` for a text that is `old_text` (split into `old_pieces`) edited in one
    region: the pieces before and after the region are taken over, the region is scanned."""
    if not old_pieces or not old_text:
        return split(text)
    head = pos = 0
    for piece in old_pieces:  # whole pieces the edit left alone at the start
        if not text.startswith(piece.text, pos):
            break
        head += 1
        pos += len(piece.text)
    head = max(head - 1, 0)  # the last of them may go on into the edit
    begin = sum(len(p.text) for p in old_pieces[:head])
    end = len(text)
    sync = []  # new offsets of the pieces the edit left alone at the end
    for piece in reversed(old_pieces[head + 1:]):
        if end - len(piece.text) < begin or not text.endswith(piece.text, 0, end):
            break
        end -= len(piece.text)
        sync.append(end)
    found, synced = _statement_starts(text, begin, frozenset(sync))
    if head == 0 and found:
        if synced is not None and len(found) == 1:
            return split(text)  # (the text before the first statement would be lost below)
        found[0] = 0  # comments and blank lines before the first statement go with it
    pieces = list(old_pieces[:head])
    line = pieces[-1].line_offset + _count_newlines(pieces[-1].text) if pieces else 0
    bounds = [*found, len(text)] if synced is None else found
    for a, b in zip(bounds, bounds[1:]):
        pieces.append(Piece(text[a:b], line))
        line += _count_newlines(pieces[-1].text)
    if synced is not None:  # the rest as before, moved by the lines the edit added or removed
        rest = old_pieces[len(old_pieces) - sync.index(synced) - 1:]
        delta = line - rest[0].line_offset
        pieces.extend(Piece(p.text, p.line_offset + delta) for p in rest)
    if not pieces:
        return [Piece(text, 0)]
    return pieces


class IncrementalParser:
    """Parses documents chunk by chunk, keeping the trees of chunks it has seen."""

    def __init__(self, max_entries: int = 4096, history: int | None = None):
        # (chunk text, n) -> tree: a text that occurs more than once has a tree per occurrence.
        # The trees of the current document are always kept, however many chunks it has (an
        # edit must find all the others); beyond them, `history` others, or without a history
        # as many as fill `max_entries`.
        self._cache: OrderedDict[tuple, cst.Module] = OrderedDict()
        self._max = max_entries
        self._history = history
        self._memos: dict = {}  # id(module) -> (module, memo dict)
        self._last: list = []  # the keys of the last parse, in order
        self._last_text = ""  # the last text that parsed, and its pieces
        self._last_pieces: list = []
        self.parsed = 0  # chunks parsed (not found in the cache) so far: for measurements

    def parse(self, text: str) -> list[Chunk] | None:
        """The chunks of `text`, or None when the text does not parse. Each chunk has a tree of
        its own (nodes identify places, so a text that occurs twice gets two trees); a chunk
        that an edit did not touch keeps its tree from the last parse, where it was."""
        # split where the last text that parsed was split, except in the region the edit changed
        # (only from a text that parsed: in one that does not, a string left open can make an
        # edit change how the text before it splits)
        pieces = split_again(self._last_text, self._last_pieces, text) if self._last_pieces else split(text)
        keys: list = [None] * len(pieces)
        # the edit is usually one region: chunks before and after it keep their keys
        last = self._last
        head = 0
        while head < min(len(last), len(pieces)) and last[head][0] == pieces[head].text:
            keys[head] = last[head]
            head += 1
        tail = 0
        while tail < min(len(last), len(pieces)) - head and last[-1 - tail][0] == pieces[-1 - tail].text:
            keys[len(pieces) - 1 - tail] = last[-1 - tail]
            tail += 1
        used = {k for k in keys if k is not None}
        for i in range(head, len(pieces) - tail):  # elsewhere: the first tree of that text not in use
            n = 0
            while (pieces[i].text, n) in used:
                n += 1
            keys[i] = (pieces[i].text, n)
            used.add(keys[i])
        chunks = []
        for piece, key in zip(pieces, keys):
            module = self._module(key)
            if module is None:
                self._trim(set(self._last) | used)
                return None
            chunks.append(Chunk(module, piece.line_offset, piece.text, self._memo(module)))
        for key in set(self._last) - used:  # chunks gone from the document keep their tree
            module = self._cache.get(key)  # (for undo) but not what analyses said about it
            if module is not None:
                self._memos.pop(id(module), None)
        self._last = keys
        self._last_text, self._last_pieces = text, pieces
        self._trim(used)
        return chunks

    def _trim(self, used: set) -> None:
        """Forget the oldest trees beyond those in `used` and the allowed others."""
        others = self._history if self._history is not None else max(self._max - len(used), 0)
        excess = len(self._cache) - len(used) - others
        if excess <= 0:
            return
        for k in [k for k in self._cache if k not in used][:excess]:  # oldest first
            del self._cache[k]

    def _memo(self, module: cst.Module) -> dict:
        """What analyses computed about this tree (positions, parent links): kept with it."""
        entry = self._memos.get(id(module))
        if entry is None or entry[0] is not module:
            entry = self._memos[id(module)] = (module, {})
            if len(self._memos) > 2 * len(self._cache) + 64:
                alive = {id(m) for m in self._cache.values()}
                self._memos = {k: v for k, v in self._memos.items() if k in alive}
        return entry[1]

    def _module(self, key: tuple) -> cst.Module | None:
        module = self._cache.get(key)
        if module is not None:
            self._cache.move_to_end(key)
            return module
        import libcst as cst  # the server starts without libcst: it loads with the first parse

        from .cstparse import parse_module

        try:
            module = parse_module(key[0])
        except (cst.ParserSyntaxError, RecursionError, ValueError, SyntaxError):  # libcst's CSTValidationError is one
            return None
        self.parsed += 1
        self._cache[key] = module
        return module

    def clear(self) -> None:
        self._cache.clear()
        self._last = []
        self._last_text, self._last_pieces = "", []


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

