"""Large literal data (a pasted array of a hundred thousand numbers) summarized before parsing.

libcst builds several objects per element of a list display, with their whitespace: a 1 MB
line of numbers costs about 500 MB to parse, 4x the file's own syntax tree in CPython. Such a
display holds data, not model code: no rule reads its elements one by one. Here a display made
only of literals (numbers, strings, signs, commas, nested displays of the same) and longer than
`MIN_SPAN` characters is replaced, for the analysis only, by a call of an unknown function
inside parentheses, padded with the display's own line breaks and spaces: every position
after it (line and column) is unchanged, and what the display held becomes unknown, never a
guess (its length is not carried over).

The user's text is never rewritten from this copy: a fix whose new text would contain the
placeholder is dropped by the engine (`fix_mentions`).
"""
from __future__ import annotations

import io
import keyword
import tokenize

MARKER = "__tensorlint_elided_data__"
MIN_SPAN = 4_096  # characters of one display
_OPEN = {"(": ")", "[": "]", "{": "}"}
_LITERAL_OPS = {",", "-", "+", ":"}  # ':' for dict displays of literals
_LAYOUT = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
_LITERAL_TOKENS = {tokenize.NUMBER, tokenize.STRING, tokenize.NL, tokenize.COMMENT}


def elide_literals(text: str, min_span: int = MIN_SPAN) -> tuple[str, int]:
    """`text` with each large all-literal display replaced (same length, same line breaks),
    and how many were replaced. A text the tokenizer rejects comes back unchanged."""
    spans = _literal_spans(text, min_span)
    if not spans:
        return text, 0
    starts = _line_starts(text)
    out: list[str] = []
    last = count = 0
    for (srow, scol), (erow, ecol) in spans:
        begin, end = starts[srow - 1] + scol, starts[erow - 1] + ecol  # end: after the closer
        placeholder = _placeholder(text[begin:end])
        if placeholder is None:
            continue
        out.append(text[last:begin])
        out.append(placeholder)
        last = end
        count += 1
    out.append(text[last:])
    return "".join(out), count


def fix_mentions(content: str) -> bool:
    return MARKER in content


def _placeholder(display: str) -> str | None:
    """`(` + `MARKER()` + `)`, with the display's line breaks where they were and spaces
    elsewhere: as long as `display` and still inside brackets, so that the line breaks are
    continuation lines. None when no line of the display has room for the call."""
    inner = display[1:-1]
    call = f"{MARKER}()"
    at, col = None, 0
    for i, ch in enumerate(inner):
        if ch in "\r\n":
            col = 0
            continue
        col += 1
        if col == len(call):
            at = i + 1 - len(call)
            break
    if at is None:
        return None
    body = [ch if ch in "\r\n" else " " for ch in inner]
    body[at:at + len(call)] = call
    return "(" + "".join(body) + ")"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in io.StringIO(text, newline=""):  # the tokenizer's rows: \n, \r\n and \r lines
        starts.append(starts[-1] + len(line))
    return starts


def _literal_spans(text: str, min_span: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) token positions of the outermost all-literal displays at least `min_span`
    characters long, in order."""
    stack: list[list] = []  # [closer, start position, only literals so far, a display]
    found: list[tuple[tuple[int, int], tuple[int, int]]] = []
    starts = _line_starts(text)
    previous = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            kind, string = tok.type, tok.string
            if kind not in _LAYOUT:
                before, previous = previous, tok
            if kind == tokenize.OP and string in _OPEN:
                stack.append([_OPEN[string], tok.start, True, not _continues(before)])
            elif kind == tokenize.OP and stack and string == stack[-1][0]:
                _closer, start, literal, display = stack.pop()
                if not literal:
                    if stack:
                        stack[-1][2] = False
                    continue
                size = (starts[tok.end[0] - 1] + tok.end[1]) - (starts[start[0] - 1] + start[1])
                if display and size >= min_span:
                    found.append((start, tok.end))
            elif stack and not (kind in _LITERAL_TOKENS or (kind == tokenize.OP and string in _LITERAL_OPS)):
                stack[-1][2] = False
    except (tokenize.TokenError, SyntaxError, ValueError):
        return []
    return _drop_nested(found)


def _continues(token) -> bool:
    """Whether a bracket after `token` opens a call or a subscript, not a display."""
    if token is None:
        return False
    if token.type == tokenize.NAME:
        return not keyword.iskeyword(token.string) or token.string in ("None", "True", "False")
    if token.type == tokenize.OP:
        return token.string in (")", "]", "}")
    return token.type in (tokenize.STRING, tokenize.NUMBER)


def _drop_nested(spans):
    """Keep the outermost spans: a display inside a larger literal display goes with it."""
    kept: list = []
    for span in sorted(spans):
        if kept and span[0] >= kept[-1][0] and span[1] <= kept[-1][1]:
            continue
        while kept and kept[-1][0] >= span[0] and kept[-1][1] <= span[1]:
            kept.pop()
        kept.append(span)
    return kept
