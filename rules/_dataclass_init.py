"""The `__init__` that `@dataclass` writes for a class of the file, read from the syntax: its
parameters in the order the generated method takes them, or None wherever the syntax does not
settle them (an option or a field flag the program computes, a field declared under an `if`, a
base the file does not define as a dataclass, an `__init__` of the class's own)."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import children
from tensorlint.interp.dataclass_fields import DATACLASS, FIELD, marker_kind
from tensorlint.syntax import dotted
from tensorlint.values import Ref


def _qualname(env, expr) -> str | None:
    head = dotted(expr)
    if not head:
        return None
    first, _, rest = head.partition(".")
    v = env.get(first)
    return v.qualname + ("." + rest if rest else "") if isinstance(v, Ref) else None


def _flag(expr) -> bool | None:
    return {"True": True, "False": False}.get(expr.value) if type(expr) is cst.Name else None


def dataclass_options(env, cls: cst.ClassDef) -> dict | None:
    """The options of the class's one decorator when it is `@dataclass` with literal flags (a
    bare one: `{}`); None otherwise (no such decorator, another one besides, a computed option)."""
    if len(cls.decorators) != 1:
        return None
    expr = cls.decorators[0].decorator
    call = expr if type(expr) is cst.Call else None
    if _qualname(env, call.func if call else expr) != DATACLASS:
        return None
    options = {}
    for a in call.args if call else ():
        if a.keyword is None or a.star:
            return None
        options[a.keyword.value] = _flag(a.value)
        if a.keyword.value in ("init", "kw_only") and options[a.keyword.value] is None:
            return None
    return options


def _kind(env, annotation) -> str | None:
    """The field marker of an annotation, its name resolved through the module's imports or, where
    they do not say, read as written."""
    return marker_kind(annotation, lambda expr: _qualname(env, expr) or dotted(expr))


def own_fields(env, cls: cst.ClassDef, options: dict) -> list | None:
    """(name, has a default, keyword-only) for each `__init__` parameter the class's own body
    declares, in order; None where the body does not settle them."""
    if isinstance(cls.body, cst.SimpleStatementSuite):
        return None
    out, kw_only = [], options.get("kw_only") is True
    for stmt in cls.body.body:
        if type(stmt) is cst.FunctionDef:
            if stmt.name.value in ("__init__", "__new__") or stmt.decorators and stmt.name.value.startswith("__"):
                return None
            continue
        if type(stmt) is not cst.SimpleStatementLine:
            if type(stmt) is not cst.ClassDef and any(True for _ in _annotated(stmt)):
                return None  # fields declared under an `if` or a `try`
            continue
        for small in stmt.body:
            if type(small) is cst.Assign and any(type(t.target) is cst.Name and t.target.value == "__init__"
                                                 for t in small.targets):
                return None
            if type(small) is not cst.AnnAssign:
                continue
            if type(small.target) is not cst.Name:
                return None
            kind = _kind(env, small.annotation.annotation)
            if kind == "classvar":
                continue
            if kind == "kw_only":
                kw_only = True
                continue
            field = _field(env, small.value, kw_only)
            if field is None:
                return None
            if field is not False:
                out.append((small.target.value, *field))
    return out


def _annotated(node):
    stack = [node]
    while stack:
        n = stack.pop()
        if type(n) is cst.AnnAssign:
            yield n
        elif type(n) not in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            stack.extend(children(n))


def _field(env, value, kw_only: bool):
    """(has a default, keyword-only) for a field's value; False for `field(init=False)`; None
    where a flag is computed or `field` is given arguments that are not read."""
    if value is None:
        return False, kw_only
    if type(value) is cst.Call and _qualname(env, value.func) == FIELD:
        default, init = False, True
        for a in value.args:
            if a.keyword is None or a.star:
                return None
            key = a.keyword.value
            if key in ("default", "default_factory"):
                default = True
            elif key in ("init", "kw_only"):
                flag = _flag(a.value)
                if flag is None:
                    return None
                if key == "init":
                    init = flag
                else:
                    kw_only = flag
        return (default, kw_only) if init else False
    return True, kw_only


def generated_parameters(env, classes: dict, name: str, seen=()) -> list | None:
    """The generated `__init__`'s parameters of the file's dataclass `name` as (name, has a
    default, keyword-only), bases' fields first (a field declared again keeps its place);
    None where the class is no dataclass of the file whose `__init__` the syntax settles."""
    cls = classes.get(name)
    if cls is None or name in seen or cls.keywords:
        return None
    options = dataclass_options(env, cls)
    if options is None or options.get("init") is False:
        return None
    fields: dict = {}
    for base in cls.bases:
        if base.keyword is not None or base.star:
            return None
        if type(base.value) is cst.Name and base.value.value == "object" and "object" not in env:
            continue
        inherited = generated_parameters(env, classes, base.value.value, (*seen, name)) \
            if type(base.value) is cst.Name else None
        if inherited is None:
            return None  # a base the file does not make a dataclass: it may add or take fields
        if (dataclass_options(env, classes[base.value.value]).get("frozen") is True) != (options.get("frozen") is True):
            return None  # frozen over not frozen (or the reverse): the class statement itself raises
        for f in inherited:
            fields.setdefault(f[0], f)
    own = own_fields(env, cls, options)
    if own is None:
        return None
    for f in own:
        fields[f[0]] = f  # in its first place, with the new default
    params = list(fields.values())
    positional = [f for f in params if not f[2]]
    if any(not f[1] and any(g[1] for g in positional[:i]) for i, f in enumerate(positional)):
        return None  # a field without a default after one with: the class itself raises TypeError
    return params


def signature(params: list) -> str:
    """The generated `__init__`'s parameter list as Python writes it (defaults as `...`)."""
    positional = [f"{n}=..." if d else n for n, d, k in params if not k]
    keywords = [f"{n}=..." if d else n for n, d, k in params if k]
    return ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
