"""Inlay hints: the inferred shape and dtype after each assignment of a tensor, at the end of
the statement, e.g. `x = self.conv1(x)  : [1, 16, 28, 28] float32`; none for a scalar (a
loss), whose `[]` says nothing. The `inlayHints.enabled` setting turns them off."""
from __future__ import annotations

import re

from lsprotocol import types

from tensorlint.findings import Position, ValueInfo

from .core import TensorlintServer
from .bridge import Document

_ASSIGNED = re.compile(r"\s*(?::[^=]+)?=(?!=)")  # `x = ...`, `x: T = ...`; not `x == ...`
_SHAPE = re.compile(r"^(?:Tensor|ndarray)(\[[^\]]*\]) ?(\S*)$")  # `Tensor[4, 10] int64`, `?` when unknown


def register(server: TensorlintServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    def inlay_hints(ls: TensorlintServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
        if not ls.settings.inlay_hints:
            return None
        view = ls.view(params.text_document.uri)
        if view is None:
            return None
        _, values, doc = view
        first, last = params.range.start.line + 1, params.range.end.line + 1
        hints = {}
        for value in values:
            if first <= value.span.start.line <= last and is_assignment_target(value, doc):
                hint = shape_hint(value, doc)
                if hint is not None:
                    hints.setdefault(hint.position.line, hint)  # one hint per line: the first target
        return [hints[k] for k in sorted(hints)] or None


def is_assignment_target(value: ValueInfo, doc: Document) -> bool:
    """The value's span is the whole left-hand side of an assignment statement."""
    span = value.span
    if span.start.line != span.end.line:
        return False
    line = doc.line(span.start.line)
    if line[: span.start.column].strip():
        return False
    return bool(_ASSIGNED.match(line, span.end.column))


def hint_label(text: str) -> str | None:
    """`[4, 10] int64` for `Tensor[4, 10] int64`; None for a scalar."""
    match = _SHAPE.match(text)
    if match is None:
        return text
    shape, dtype = match.groups()
    if shape == "[]":
        return None
    return f"{shape} {dtype}" if dtype and dtype != "?" else shape


def shape_hint(value: ValueInfo, doc: Document) -> types.InlayHint | None:
    label = hint_label(value.text)
    if label is None:
        return None
    start = value.span.start.line
    rest = "\n".join(doc.lines[start - 1 : start + 199])
    from tensorlint.incremental import logical_line_count  # with libcst, loaded by the analyses

    end_line = start + logical_line_count(rest) - 1
    position = doc.position(Position(end_line, len(doc.line(end_line))))
    return types.InlayHint(
        position=position,
        label=f": {label}",
        kind=types.InlayHintKind.Type,
        padding_left=True,
        tooltip=value.text,
    )

