"""Configuration dicts: a dict of constant keys and no tensor among its values (`{"hidden": 128}`,
`dict(hidden=128)`, `{**base, "lr": 0.1}`), and where the program may read one."""
from __future__ import annotations

import re

import libcst as cst

from ..values import UNKNOWN, Const, Container, Instance, KeyedDict, Layer, MutableList, Seq, Unknown, Value


# where a program stores into a dict it reads through a name (or an attribute of that name):
# `cfg["h"] = 1`, `cfg["a"][k] += 1`, `del self.cfg["h"]`, `cfg.update(...)`, `cfg |= other`
# (an index may hold brackets two deep: `cfg[keys[i]] = v`; written so that no line costs more
# than a pass or two over it). Each form is a word followed (past spaces) by `[`, `.` or `|`, or
# `del`: a lookahead tests that once per word, taking the word whole (`\w++`), before the four
# forms are tried; the words that pass it are the few followed by one of those characters. The
# same matches as the four forms alone, at half the time
_DICT_STORE = re.compile(
    r"\b(?=\w++\s*+[\[.|]|del\b)"
    r"(?:(\w+)(?:\s*\[(?:[^\n=\[\]]|\[(?:[^\n=\[\]]|\[[^\n=\[\]]*\])*\])*\])+\s*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)"
    r"|del\s+(?:\w+\s*\.\s*)*(\w+)\s*\["
    r"|(\w+)\s*\.\s*(?:update|pop|popitem|setdefault|clear|__setitem__|__delitem__)\s*\("
    r"|(\w+)\s*\|=)")
# the values a configuration dict may hold (functions, losses and optimizers keep a dict unknown)
_CONFIG_VALUES = (Const, Seq, MutableList, KeyedDict, Layer, Container, Instance, Unknown)


def configured_dict(items: dict) -> Value:
    """A dict of constant keys and no tensor among its values, when every value is one a
    configuration holds; else unknown."""
    if not all(isinstance(v, _CONFIG_VALUES) for v in items.values()):
        return UNKNOWN
    return KeyedDict(items, config=True)


def _stored_names(memo: dict, key, text: str) -> frozenset:
    names = memo.get(key)
    if names is None:
        names = frozenset(n for m in _DICT_STORE.finditer(text) for n in m.groups() if n)
        memo[key] = names
    return names


def dict_read(interp, expr, frame) -> bool:
    """May a configuration dict be read through `expr`? Where it is made (`{...}`, `dict(...)`),
    and through a name (`cfg`, `self.cfg`, `cfg["model"]`) under which no dict is stored into anywhere in the file or the project
    module that runs the read: a store the run has not reached yet (later in a loop, in a
    function called later) would make a value read now stale."""
    while isinstance(expr, cst.Subscript):
        expr = expr.value
    if isinstance(expr, cst.Dict) or (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict"):
        return True  # a dict made where it is read: nothing else holds it
    if isinstance(expr, cst.Name):
        name = expr.value
    elif isinstance(expr, cst.Attribute):
        name = expr.attr.value
    else:
        return False
    if name in _stored_names(interp.dict_stores, None, interp.text):
        return False
    project = frame.project if frame is not None else None
    return project is None or name not in _stored_names(interp.dict_stores, project[0], project[2].text)
