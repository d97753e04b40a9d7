"""Python 2 programs read as the Python 3 text they mean, with their own division.

Much training code that people still run and post (TF1 graphs, early Keras and PyTorch) is
Python 2: `print x`, `except E, e:`, indentation that mixes tabs and spaces. Python 3's parser
refuses such a file at its first `print`, and nothing else in it would be analyzed. `as_python3`
rewrites the statements only Python 2 accepts into their Python 3 spelling, line for line, so
that every line keeps its number and every column outside the rewritten tokens keeps its place
(`Columns` maps the others back); what cannot be rewritten leaves the file as it was.

The program's meaning differs in one place the analysis reads: `/` of two integers floors in
Python 2 (unless the file imports `division` from `__future__`). `python2_division()` tells the
interpreter so while such a file is analyzed.
"""
from __future__ import annotations

import contextlib
import contextvars
import io
import re
import tokenize
from dataclasses import dataclass, field

_FLOOR_DIVISION = contextvars.ContextVar("tensorlint_python2_division", default=False)
_FUTURE_DIVISION = re.compile(r"^[ \t]*from[ \t]+__future__[ \t]+import[^\n]*\bdivision\b", re.M)
_STATEMENT_WORDS = frozenset({"print", "exec"})
# tokens after `print` that make it a name, not a statement: `print(...)`, `print = f`, `print.x`
_NOT_A_STATEMENT = frozenset({"(", "=", ".", ",", ")", "]", "}", ":", "[", "+=", "-=", "*=", "/="})


def python2_division() -> bool:
    """Whether `/` of two integers floors in the program being analyzed (a Python 2 program)."""
    return _FLOOR_DIVISION.get()


@dataclass
class Columns:
    """Maps a (line, column) of the rewritten text to the original's: per line, the rewrites
    as (column in the rewritten text, change in length), left to right."""

    shifts: dict = field(default_factory=dict)  # line (1-based) -> [(new column, delta)]

    def column(self, line: int, col: int) -> int:
        out = col
        for at, delta in self.shifts.get(line, ()):  # (every rewrite makes its text longer or keeps it)
            if col >= at + delta:
                out -= delta
            elif col > at:
                out -= col - at  # inside the inserted text: where it was inserted
        return max(out, 0)


@dataclass
class Rewritten:
    text: str
    columns: Columns
    floor_division: bool  # `/` of integers floors (no `from __future__ import division`)


def as_python3(text: str) -> Rewritten | None:
    """The Python 3 spelling of a Python 2 program, or None when the text holds nothing to
    rewrite or something this reader does not know (then the file stays as it is)."""
    lines = text.splitlines(keepends=True)
    columns = Columns()
    lines = _expand_mixed_indentation(lines, columns)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(lines)).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    edits = _statement_edits(tokens) + _literal_edits(tokens)
    if not edits and not columns.shifts:
        return None
    # right to left on each line: an edit does not move the columns of those before it
    for (row, col), old, new in sorted(edits, key=lambda e: (e[0][0], -e[0][1])):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[col + len(old):]
    for (row, col), old, new in sorted(edits, key=lambda e: e[0]):
        if len(new) != len(old):
            # (columns of the rewritten line: later edits on it have already moved this one)
            before = sum(len(n) - len(o) for (r, c), o, n in edits if r == row and c < col)
            columns.shifts.setdefault(row, []).append((col + before, len(new) - len(old)))
    for shifts in columns.shifts.values():
        shifts.sort()
    out = "".join(lines)
    return Rewritten(out, columns, _FUTURE_DIVISION.search(text) is None)


@contextlib.contextmanager
def reading(rewritten: Rewritten):
    """While a Python 2 program is analyzed: its division."""
    token = _FLOOR_DIVISION.set(rewritten.floor_division)
    try:
        yield
    finally:
        _FLOOR_DIVISION.reset(token)


def _expand_mixed_indentation(lines: list[str], columns: Columns) -> list[str]:
    """Python 2 reads a tab in indentation as up to the next multiple of 8 columns, and lets a
    file mix tabs and spaces; Python 3 refuses the mix. Indentation is expanded when the file
    indents with both."""
    tabs = any(line[:1] == "\t" or line.startswith(" ") and "\t" in line[:len(line) - len(line.lstrip())] for line in lines)
    spaces = any(line[:1] == " " for line in lines)
    if not (tabs and spaces):
        return lines
    out = []
    for row, line in enumerate(lines, 1):
        body = line.lstrip(" \t")
        indent = line[:len(line) - len(body)]
        if "\t" in indent:
            wide = indent.expandtabs(8)
            columns.shifts.setdefault(row, []).append((0, len(wide) - len(indent)))
            line = wide + body
        out.append(line)
    return out


def _statement_edits(tokens) -> list:
    """Edits ((row, col), old, new) for `print x`, `exec code`, `except E, e:`, `raise E, msg`."""
    edits: list = []
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    start = True  # the next token starts a statement
    depth = 0
    i = 0
    while i < len(significant):
        t = significant[i]
        if t.type == tokenize.NEWLINE:
            start, depth = True, 0
            i += 1
            continue
        if start and t.type == tokenize.NAME and t.string in _STATEMENT_WORDS:
            end = _statement_end(significant, i)
            nxt = significant[i + 1] if i + 1 < len(significant) else None
            if nxt is not None and (nxt.type == tokenize.NEWLINE or nxt.string == ";"):
                if t.string == "print":
                    edits.append((t.end, "", "()"))  # a bare `print`: an empty line printed
            elif nxt is not None and nxt.string not in _NOT_A_STATEMENT:
                first = nxt
                if nxt.string == ">>" and t.string == "print":  # `print >>f, x`: printed as `print(f, x)`
                    edits.append((nxt.start, ">>", "  "))
                gap = (t.end[0] == first.start[0]) and first.start[1] - t.end[1]
                if gap:
                    edits.append((t.end, " ", "("))
                else:
                    edits.append((t.end, "", "("))
                last = significant[end - 1]
                edits.append((last.end, "", ")"))
            start = False
            i = end
            continue
        if start and t.type == tokenize.NAME and t.string in ("except", "raise"):
            end = _statement_end(significant, i)
            body = significant[i + 1:end]
            level = 0
            for j, c in enumerate(body):
                if c.string in "([{" and c.type == tokenize.OP:
                    level += 1
                elif c.string in ")]}" and c.type == tokenize.OP:
                    level -= 1
                elif c.string == "," and level == 0 and j > 0:
                    if t.string == "except":
                        edits.append((c.start, ",", " as"))
                    else:
                        edits.append((c.start, ",", "("))
                        edits.append((body[-1].end, "", ")"))
                    break
            start = False
            i = end
            continue
        if t.type == tokenize.OP:
            if t.string in "([{":
                depth += 1
            elif t.string in ")]}":
                depth -= 1
            elif t.string == ";" or (t.string == ":" and depth == 0):
                start = True  # `if x: print y`, `a = 1; print a`
                i += 1
                continue
        start = False
        i += 1
    return edits


def _statement_end(tokens, i: int) -> int:
    """The index past the last token of the simple statement starting at `tokens[i]` (before its
    NEWLINE, a `;` at depth 0, or a `:` at depth 0 for `except E, e:`)."""
    depth = 0
    j = i + 1
    while j < len(tokens):
        t = tokens[j]
        if t.type == tokenize.NEWLINE or t.type == tokenize.ENDMARKER:
            return j
        if t.type == tokenize.OP:
            if t.string in "([{":
                depth += 1
            elif t.string in ")]}":
                depth -= 1
            elif depth == 0 and t.string in (";", ":"):
                return j
        j += 1
    return j


def _literal_edits(tokens) -> list:
    """`10L` (a long integer) and `0777` (an octal literal), spelled the Python 3 way."""
    edits = []
    for a, b in zip(tokens, tokens[1:]):
        if a.type == tokenize.NUMBER and b.type == tokenize.NAME and b.string in ("L", "l") and a.end == b.start:
            edits.append((b.start, b.string, " "))
    for a, b in zip(tokens, tokens[1:]):  # (Python 3 reads `0777` as `0` then `777`)
        if a.type == tokenize.NUMBER and a.string == "0" and b.type == tokenize.NUMBER and a.end == b.start \
                and re.fullmatch(r"[0-7]+", b.string):
            edits.append((a.start, "0", "0o"))
    return edits
