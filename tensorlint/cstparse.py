"""libcst's parse, without re-checking what its parser already guarantees.

Every libcst node checks itself when it is built (`CSTNode.__post_init__` calls `_validate`).
For the nodes its parser builds, most of those checks restate the grammar: whitespace holds only
what the tokenizer took as whitespace, parentheses come in pairs, keywords have the spaces they
need. They cost about a tenth of a parse. While `parse_module` runs they are skipped, except for
the node types whose checks reject text the parser lets through (a str and a bytes literal
concatenated, a name that is no identifier) or whose rules are looser in the grammar than in
CPython (call arguments, parameters, literals): those keep checking, so a text is refused
exactly when libcst refuses it. Nodes built anywhere else are checked as always.
"""
from __future__ import annotations

import threading

_lock = threading.Lock()
_state: dict = {}


def parse_module(text: str):
    """`libcst.parse_module(text)`, with the parser-guaranteed checks skipped."""
    import libcst as cst

    swap = _state.get("swap")
    if swap is None:
        swap = _state["swap"] = _prepare(cst)
    if not swap:
        return cst.parse_module(text)
    node, checked, unchecked = swap
    with _lock:
        node.__post_init__ = unchecked
        try:
            return cst.parse_module(text)
        finally:
            node.__post_init__ = checked


def _prepare(cst):
    """(CSTNode, its own __post_init__, a no-op), after giving the types that must keep checking
    their own copy of the checking __post_init__; () where libcst is not built that way."""
    node = cst.CSTNode
    checked = node.__dict__.get("__post_init__")
    if checked is None:
        return ()
    kept = ("ConcatenatedString", "Name", "Call", "Arg", "Parameters", "Param", "Lambda",
            "SimpleString", "FormattedString", "Integer", "Float", "Imaginary")
    for name in kept:
        cls = getattr(cst, name, None)
        if isinstance(cls, type) and issubclass(cls, node) and "__post_init__" not in cls.__dict__:
            cls.__post_init__ = checked  # the same function: for them nothing changes
    return node, checked, _unchecked


def _unchecked(self) -> None:
    return None
