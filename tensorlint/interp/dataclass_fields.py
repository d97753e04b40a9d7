"""Classes made by `dataclasses.dataclass`: the fields their annotated class attributes declare,
and the `__init__` the decorator writes, which binds each field from the call's arguments or the
field's default. A configuration object (`cfg = Config(d_model=512)`) whose fields size layers is
then followed like a class with its own `__init__`.

A field's value is known only where the call or the class gives it: a field the call may give
through `*args` or `**kwargs` of unknown content, one made by a `default_factory` and one the call
omits without a default (a TypeError) are unknown, never the class's default.
"""
from __future__ import annotations

from typing import NamedTuple

import libcst as cst

from ..values import UNKNOWN, ClassV, Func, Ref, Value

DATACLASS = "dataclasses.dataclass"
FIELD = "dataclasses.field"
_MISSING = object()  # a field without a default: the call must give it


class Field(NamedTuple):
    name: str
    default: object  # a Value, UNKNOWN for a default_factory, or _MISSING
    init: bool  # a parameter of __init__
    kw_only: bool
    initvar: bool  # an InitVar: a parameter of __init__ and __post_init__, never an attribute


def _qualname(interp, expr, frame) -> str | None:
    v = interp.eval(expr, frame)
    return v.qualname if isinstance(v, Ref) else None


def dataclass_options(interp, stmt: cst.ClassDef, frame) -> dict | None:
    """The keyword options of the class's `@dataclass` decorator (`{}` for a bare one), or None
    when it has none."""
    for d in stmt.decorators:
        expr = d.decorator
        call = expr if isinstance(expr, cst.Call) else None
        if _qualname(interp, call.func if call else expr, frame) != DATACLASS:
            continue
        options = {}
        for a in (call.args if call else ()):
            if a.keyword is not None and isinstance(a.value, cst.Name) and a.value.value in ("True", "False"):
                options[a.keyword.value] = a.value.value == "True"
            elif a.keyword is not None:
                options[a.keyword.value] = None  # a value the program computes: not known
        return options
    return None


_MARKERS = {"ClassVar": "classvar", "InitVar": "initvar", "KW_ONLY": "kw_only"}


def marker_kind(annotation: cst.BaseExpression, name_of) -> str | None:
    """"classvar", "initvar", "kw_only" (the `KW_ONLY` marker) or None for a plain field, from a
    field's annotation; `name_of(expr)` gives the dotted name the annotation's head stands for
    (None when unknown), matched by its last part."""
    expr = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value if isinstance(expr.evaluated_value, str) else ""
        return "classvar" if "ClassVar" in text else "initvar" if "InitVar" in text else None
    return _MARKERS.get((name_of(expr) or "").rpartition(".")[2])


def _annotation_kind(interp, annotation: cst.BaseExpression, frame) -> str | None:
    return marker_kind(annotation, lambda expr: _qualname(interp, expr, frame))


def _plain_bases(bases: tuple, nodes) -> bool:
    """Bases that fill no attribute themselves: `object`, or classes of the file whose own bases
    are plain too (no library class such as pydantic's fills them from the call)."""
    return all(isinstance(arg.value, cst.Name) and arg.value.value == "object" and not isinstance(b, ClassV)
               or isinstance(b, ClassV) and _plain_bases(b.bases, b.node.bases)
               for b, arg in zip(bases, nodes))


def class_attribute(interp, stmt: cst.ClassDef, bases: tuple, small: cst.AnnAssign, frame, options: dict | None,
                    kw_only: bool):
    """An annotated assignment in a class body: (name, class attribute value or None, the field
    it declares or None, whether later fields are keyword-only)."""
    target = small.target
    if not isinstance(target, cst.Name):
        return None, None, None, kw_only
    name = target.value
    kind = _annotation_kind(interp, small.annotation.annotation, frame)
    if options is None or kind == "classvar":
        # a class attribute; in a class another decorator or a library base makes (attrs,
        # pydantic, NamedTuple), a default the constructor replaces: not read
        plain = kind == "classvar" or not stmt.decorators and _plain_bases(bases, stmt.bases)
        value = interp.eval(small.value, frame) if small.value is not None and plain else None
        return name, value, None, kw_only
    if kind == "kw_only":
        return None, None, None, True
    default, init, own_kw_only, attr = _MISSING, True, kw_only or options.get("kw_only") is True, None
    value = small.value
    if isinstance(value, cst.Call) and _qualname(interp, value.func, frame) == FIELD:
        for a in value.args:
            key = a.keyword.value if a.keyword is not None else None
            if key == "default":
                default = attr = interp.eval(a.value, frame)
            elif key == "default_factory":
                default = UNKNOWN
            elif key in ("init", "kw_only"):
                flag = isinstance(a.value, cst.Name) and a.value.value
                if flag not in ("True", "False"):
                    return name, None, Field(name, UNKNOWN, True, True, False), kw_only  # not known: never bound
                if key == "init":
                    init = flag == "True"
                else:
                    own_kw_only = flag == "True"
    elif value is not None:
        default = attr = interp.eval(value, frame)
    return name, attr, Field(name, default, init, own_kw_only, kind == "initvar"), kw_only


def written_fields(options: dict | None, fields: list):
    """What a class keeps as its dataclass fields: None when it is no dataclass, else the fields
    and whether the analysis follows the `__init__` the decorator writes (not for `init=False`
    or an option whose value is not known)."""
    if options is None:
        return None
    followed = options.get("init", True) is True and options.get("kw_only", False) in (True, False)
    return tuple(fields), followed


def _mro(cls: ClassV, seen=None) -> list:
    """The class and its bases of the file, depth first (enough for a configuration's chain)."""
    seen = set() if seen is None else seen
    if id(cls) in seen:
        return []
    seen.add(id(cls))
    out = [cls]
    for b in cls.bases:
        if isinstance(b, ClassV):
            out += _mro(b, seen)
    return out


def generated_init(cls: ClassV) -> tuple | None:
    """(the fields, whether the analysis follows it) of the `__init__` that `@dataclass` wrote
    for this class, or None when the class runs an `__init__` of its own."""
    for c in _mro(cls):
        if "__init__" in c.methods:
            return None
        if c.fields is not None:
            fields: dict = {}
            for base in reversed(_mro(c)):
                for f in base.fields[0] if base.fields is not None else ():
                    fields[f.name] = f  # a field declared again keeps its place, with the new default
            return list(fields.values()), c.fields[1]
    return None


def bind_fields(fields: list, call) -> dict:
    """Each field's value after `Cls(*args, **kwargs)`: given by position, by keyword, or its
    default; unknown where the call may give it through unknown arguments."""
    starred = any(a.star for a in call.node.args)
    positional = [f for f in fields if f.init and not f.kw_only]
    by_position = dict(zip((f.name for f in positional), call.args)) if not starred else {}
    out = {}
    for f in fields:
        if f.init and f.name in call.kwargs:
            value = call.kwargs[f.name]
        elif f.name in by_position:
            value = by_position[f.name]
        elif f.init and starred:
            value = UNKNOWN
        else:
            value = f.default if f.default is not _MISSING else UNKNOWN
        out[f.name] = value if isinstance(value, Value) else UNKNOWN
    return out


def init_instance(interp, inst, written: tuple, call) -> None:
    """Run the written `__init__` on `inst`: set the fields, then `__post_init__` (given the
    InitVar values) where the class defines one. Where the analysis does not follow the
    `__init__`, a call with arguments leaves every field unknown."""
    fields, followed = written
    if not followed:
        if call.node.args:
            unknown_fields(inst, written)
        return
    values = bind_fields(fields, call)
    for f in fields:
        if not f.initvar:
            inst.attrs[f.name] = values[f.name]
    post = inst.cls.lookup("__post_init__")
    if isinstance(post, Func):
        extra = [values[f.name] for f in fields if f.initvar]
        interp.call_function(post, [inst] + extra, {}, call.node, frame=call.frame, arg_nodes=[None] * (1 + len(extra)))


def unknown_fields(inst, written: tuple) -> None:
    """A prototype instance (its class's methods run with unknown arguments): every field unknown."""
    for f in written[0]:
        if not f.initvar:
            inst.attrs[f.name] = UNKNOWN

