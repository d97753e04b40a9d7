"""The children of a libcst node, fast.

libcst's `node.children` runs a visitor that rebuilds the node (and validates it) just to
collect what it visits: walking a file's syntax tree that way costs about as much as parsing
it. Here the children are read straight from the node's fields, in the order libcst itself
visits them (which is the order they appear in the code), taken once per node class from that
class's own child-visiting method.
"""
from __future__ import annotations

import inspect
import re

import libcst as cst

_VISITED_FIELD = re.compile(r"visit_\w+\(\s*self\s*,\s*[\"'](\w+)[\"']")
_ORDER: dict[type, tuple[str, ...] | None] = {}
_CODE_ORDER: dict[type, tuple[str, ...] | None] = {}
# fields that hold only layout: whitespace, comments, blank lines, brackets and separators
_LAYOUT = re.compile(r"whitespace.*|lpar|rpar|comma|semicolon|leading_lines|lines_after_decorators|header|footer"
                     r"|trailing_whitespace|newline|equal|colon|dot|first_line|empty_lines|indent|lbracket|rbracket"
                     r"|lbrace|rbrace|comment|first_colon|second_colon|last_line|leading_whitespace|trailing_comma"
                     r"|asynchronous|separator|posonly_ind|relative")


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children`, same nodes in the same order, without rebuilding `node`."""
    kind = type(node)
    try:
        order = _ORDER[kind]
    except KeyError:
        order = _ORDER[kind] = _field_order(kind)
    return list(node.children) if order is None else _fields(node, order)


def code_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`children(node)` without the layout (whitespace, comments, brackets, commas): what
    a walk looking for statements and expressions needs, at about half the nodes."""
    kind = type(node)
    try:
        order = _CODE_ORDER[kind]
    except KeyError:
        full = _field_order(kind)
        order = _CODE_ORDER[kind] = None if full is None else tuple(n for n in full if not _LAYOUT.fullmatch(n))
    return list(node.children) if order is None else _fields(node, order)


_IS_NODE: dict[type, bool] = {}  # isinstance(x, cst.CSTNode) by type: CSTNode is an ABC, slow to test


def _is_node(value) -> bool:
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = isinstance(value, cst.CSTNode)
    return known


def _fields(node: cst.CSTNode, order: tuple[str, ...]) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    for name in order:
        value = getattr(node, name)
        if type(value) in (tuple, list):
            out.extend(v for v in value if _is_node(v))
        elif _is_node(value):
            out.append(value)
    return out


def _field_order(kind: type) -> tuple[str, ...] | None:
    """The field names `kind._visit_and_replace_children` visits, in its order; None when
    that cannot be read (libcst's own `children` is used then)."""
    method = getattr(kind, "_visit_and_replace_children", None)
    try:
        source = inspect.getsource(method)
    except (OSError, TypeError):
        return None
    names = tuple(dict.fromkeys(_VISITED_FIELD.findall(source)))  # a field visited in two branches counts once
    fields = getattr(kind, "__dataclass_fields__", {})
    if not all(n in fields for n in names):
        return None
    return names
