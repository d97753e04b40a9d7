"""libcst's parse, without re-checking what its parser already guarantees.

Every libcst node checks itself when it is built (`CSTNode.__post_init__` calls `_validate`).
For the nodes its parser builds, most of those checks restate the grammar: whitespace holds only
what the tokenizer took as whitespace, parentheses come in pairs, keywords have the spaces they
need. They cost about a tenth of a parse. While `parse_module` runs they are skipped, except for
the node types whose checks reject text the parser lets through (a str and a bytes literal
concatenated, a name that is no identifier) or whose rules are looser in the grammar than in
CPython (call arguments, parameters, literals): those keep checking, so a text is refused
exactly when libcst refuses it. Of those, names and numbers (the most frequent) check only
what can fail for one the parser built, with the same test libcst makes (an identifier; libcst's
own number patterns, compiled once): their brackets come in pairs as the grammar makes them.
Nodes built anywhere else are checked as always.
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
    node, checked, unchecked, lighter = swap
    with _lock:
        node.__post_init__ = unchecked
        for cls, check in lighter:
            cls.__post_init__ = check
        try:
            return cst.parse_module(text)
        finally:
            node.__post_init__ = checked
            for cls, _ in lighter:
                cls.__post_init__ = checked


def _prepare(cst):
    """(CSTNode, its own __post_init__, a no-op, ((class, its lighter check while parsing)...)),
    after giving the types that must keep checking their own copy of the checking __post_init__;
    () where libcst is not built that way."""
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
    lighter = []
    for name, check in _lighter_checks().items():
        cls = getattr(cst, name, None)
        if isinstance(cls, type) and cls.__dict__.get("__post_init__") is checked:
            lighter.append((cls, check))  # otherwise (another libcst) it checks itself in full
    return node, checked, _unchecked, tuple(lighter)


def _unchecked(self) -> None:
    return None


def _lighter_checks() -> dict:
    """Class name -> the check of a parsed node of that class: libcst's `_validate` less the
    bracket count (a number's pattern is libcst's own; a libcst without it keeps full checks)."""
    import re

    from libcst import CSTValidationError

    def identifier(self) -> None:
        if not self.value.isidentifier():
            raise CSTValidationError(f"Name {self.value!r} is not a valid identifier.")

    checks = {"Name": identifier}
    try:
        from libcst._nodes import expression
    except ImportError:
        return checks
    for name, attr, what in (("Integer", "INTNUMBER_RE", "integer"), ("Float", "FLOATNUMBER_RE", "float"),
                             ("Imaginary", "IMAGNUMBER_RE", "imaginary")):
        pattern = getattr(expression, attr, None)
        if isinstance(pattern, str):
            checks[name] = _number_check(re.compile(pattern).fullmatch, f"Number is not a valid {what}.")
    return checks


def _number_check(fullmatch, message: str):
    def check(self) -> None:
        if not fullmatch(self.value):
            from libcst import CSTValidationError

            raise CSTValidationError(message)
    return check
