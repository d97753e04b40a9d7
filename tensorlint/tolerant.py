"""Analysis of a text with syntax errors: the top-level statements that parse on their own are
analyzed without the broken ones, and the errors are reported where they are (TL001). Used by
`tensorlint check` and by the language server for a document opened broken."""
from __future__ import annotations

import re

from .findings import Analysis

_NEWLINE = re.compile(r"\r\n|\r|\n")
_TOP_LINE = re.compile(r"(?:\r\n|\r|\n)(?=[^\s#)\]}])")  # a line that starts at column 0
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
# statements only Python 2 accepts: `print x`, `exec code`, `except E, e:`, `raise E, "message"`
_PYTHON2 = re.compile(r"^[ \t]*(?:print(?:[ \t]+[^\s(=.,)\]}]|[ \t]*$)|exec[ \t]+[\"'\w]|except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:"
                      r"|raise[ \t]+[\w.]+[ \t]*,)", re.M)


def analyze_around_errors(text: str, path: str, config, errors: list, *, collect_values: bool = False) -> Analysis:
    """`errors`: the TL001 findings of the whole text. The result keeps them and adds what the
    statements that parse say (nothing about the others, which are named in the notes)."""
    from .engine import analyze

    # a Python 2 program: read through its Python 3 spelling, with Python 2's division; the
    # syntax errors stay (the file is not Python 3)
    read = analyze_python2(text, path, config, collect_values=collect_values)
    if read is None and looks_like_python2(text):
        # its other statements would be read with Python 3's meaning (`/`): nothing else is said
        return Analysis(findings=list(errors), syntax_error=True,
                        notes=["the file looks like Python 2 code that tensorlint cannot read: only its syntax errors are reported"])
    if read is not None:
        return Analysis(findings=list(errors) + [f for f in read.findings if f.code != "TL001"], values=list(read.values),
                        syntax_error=True, notes=["the file is Python 2 code: analyzed as Python 2 reads it"] + read.notes,
                        dependencies=read.dependencies)
    chunks, dropped = parsable_chunks(text)
    if not chunks:
        return Analysis(findings=list(errors), syntax_error=True)
    part = analyze(text, path, config, chunks=chunks, collect_values=collect_values)
    notes = [f"lines {a}-{b} not analyzed: they do not parse" if a != b else f"line {a} not analyzed: it does not parse"
             for a, b in dropped]
    return Analysis(findings=list(errors) + [f for f in part.findings if f.code != "TL001"],
                    values=list(part.values), syntax_error=True, notes=notes + part.notes)


def analyze_python2(text: str, path: str, config, *, collect_values: bool = False):
    """The analysis of a Python 2 program through its Python 3 spelling, positions mapped back
    to the original text; None when it cannot be read that way."""
    from dataclasses import replace

    from .engine import analyze
    from .findings import Related, Span
    from .python2 import as_python3, reading

    rewritten = as_python3(text)
    if rewritten is None:
        return None
    with reading(rewritten):
        result = analyze(rewritten.text, path, config, collect_values=collect_values)
    if result.syntax_error:
        return None
    cols = rewritten.columns

    def span(s):
        if s is None or not (s.start.line in cols.shifts or s.end.line in cols.shifts):
            return s
        return Span.of(s.start.line, cols.column(s.start.line, s.start.column),
                       s.end.line, cols.column(s.end.line, s.end.column))

    from .rule import python3_only_codes

    dropped = python3_only_codes()
    result.findings = [replace(f, span=span(f.span), fix=None, related=tuple(Related(span(r.span), r.message) for r in f.related))
                       for f in result.findings if f.code not in dropped]
    result.values = [replace(v, span=span(v.span), origin=span(v.origin)) for v in result.values]
    return result


def looks_like_python2(text: str) -> bool:
    """Whether the text holds a statement that only Python 2 accepts."""
    return _PYTHON2.search(text) is not None


def parsable_chunks(text: str) -> tuple[list, list[tuple[int, int]]]:
    """The top-level statements of `text` that parse on their own, as chunks in place; and the
    (first, last) lines of those left out. A statement with an unclosed bracket would swallow
    all that follows it: after a piece that does not parse, parsing starts again at its next
    line that begins at column 0."""
    import libcst as cst

    from .chunks import Chunk, Piece, split
    from .cstparse import parse_module

    chunks, dropped = [], []
    work = split(text)
    while work:
        piece = work.pop(0)
        try:
            chunks.append(Chunk(parse_module(piece.text), piece.line_offset, piece.text))
            continue
        except Exception:  # the parser's error, or a node it builds and then rejects
            pass
        restart = next((m.end() for m in _TOP_LINE.finditer(piece.text)
                        if not _CLAUSE.match(piece.text, m.end())), None)
        head = piece.text if restart is None else piece.text[:restart]
        lines = len(_NEWLINE.split(head)) - 1
        dropped.append((piece.line_offset + 1, piece.line_offset + max(1, lines)))
        if restart is not None:
            offset = piece.line_offset + lines
            work[0:0] = [Piece(p.text, p.line_offset + offset) for p in split(piece.text[restart:])]
    return chunks, dropped
