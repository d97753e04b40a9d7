"""Hover: the rule's documentation on a diagnostic; the inferred value (shape, dtype, where it
came from) on a name or call the engine has a value for."""
from __future__ import annotations

from lsprotocol import types

from tensorlint.findings import Finding, Position, Span, ValueInfo
from tensorlint.rule import rule_by_code

from .core import TensorlintServer
from .bridge import Document


def register(server: TensorlintServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TensorlintServer, params: types.HoverParams) -> types.Hover | None:
        view = ls.view(params.text_document.uri)
        if view is None:
            return None
        findings, values, doc = view
        pos = doc.engine_position(params.position)
        parts: list[str] = []
        spans: list[Span] = []
        value = innermost(values, pos)
        if value is not None:
            parts.append(describe_value(value, doc))
            spans.append(value.span)
        here = [f for f in findings if contains(f.span, pos)]
        for code in dict.fromkeys(f.code for f in here):
            parts.append(describe_rule(code, [f for f in here if f.code == code]))
            spans.extend(f.span for f in here if f.code == code)
        if not parts:
            return None
        shown = min(spans, key=lambda s: (s.end.line - s.start.line, s.end.column - s.start.column))
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
            range=doc.range(shown),
        )


def contains(span: Span, pos: Position) -> bool:
    return span.start <= pos <= span.end


def innermost(values: list[ValueInfo], pos: Position) -> ValueInfo | None:
    """The value with the smallest span around `pos`."""
    around = [v for v in values if contains(v.span, pos)]
    if not around:
        return None
    return min(around, key=lambda v: (v.span.end.line - v.span.start.line, v.span.end.column - v.span.start.column))


def describe_value(value: ValueInfo, doc: Document) -> str:
    text = f"```python\n{value.text}\n```"
    if value.origin is not None:
        line = doc.line(value.origin.start.line).strip()
        if len(line) > 80:
            line = line[:77] + "..."
        where = f"line {value.origin.start.line}"
        text += f"\n\nfrom {where}: `{line}`" if line and "`" not in line else f"\n\nfrom {where}"
    return text


def describe_rule(code: str, findings: list[Finding]) -> str:
    first = findings[0]
    lines = [f"**{code}** {first.name}" + (f" ([docs]({first.url}))" if first.url else "")]
    lines += [f"- {f.message}" for f in findings]
    rule = rule_by_code(code)
    if rule is not None and rule.docs():
        lines.append("")
        lines.append(rule.docs())
    return "\n".join(lines)
