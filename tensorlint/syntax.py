"""Facts read off libcst syntax alone, shared by the interpreter and the incremental analysis."""
from __future__ import annotations

import libcst as cst


def dotted(node) -> str:
    """`a.b.c` for a name or an attribute chain; "" for anything else."""
    kind = type(node)  # (exact types: libcst's classes are ABCs, slow under isinstance)
    if kind is cst.Name:
        return node.value
    if kind is cst.Attribute:
        return dotted(node.value) + "." + node.attr.value
    return ""


def assigned_in(body) -> set:
    """Names bound anywhere in these statements (not inside nested functions or classes)."""
    names: set = set()
    _walk_assigned(body, names)
    return names


# (module-level functions, not closures calling themselves: such a closure is a reference cycle,
# freed by the garbage collector only, with whatever it holds)
def _walk_assigned(stmts, names: set) -> None:
    for st in stmts:
        if isinstance(st, cst.SimpleStatementLine):
            for sm in st.body:
                if isinstance(sm, cst.Assign):
                    for t in sm.targets:
                        _bind_target(t.target, names)
                elif isinstance(sm, (cst.AugAssign, cst.AnnAssign)):
                    _bind_target(sm.target, names)
                elif isinstance(sm, cst.Expr) and isinstance(sm.value, cst.Call) and isinstance(sm.value.func, cst.Attribute):
                    _bind_target(sm.value.func.value, names)  # x.append(...), t.requires_grad_()
        elif isinstance(st, (cst.FunctionDef, cst.ClassDef)):
            names.add(st.name.value)
        else:
            if isinstance(st, cst.For):
                _bind_target(st.target, names)
            if isinstance(st, cst.With):
                for item in st.items:
                    if item.asname is not None:
                        _bind_target(item.asname.name, names)
            for attr in ("body", "orelse", "finalbody"):
                part = getattr(st, attr, None)
                if part is None:
                    continue
                if isinstance(part, cst.If):
                    _walk_assigned([part], names)
                elif hasattr(part, "body"):
                    inner = part.body
                    _walk_assigned(inner if isinstance(inner, (list, tuple)) else [inner], names)
            for h in getattr(st, "handlers", ()):
                _walk_assigned(h.body.body, names)


def _bind_target(t, names: set) -> None:
    if isinstance(t, cst.Name):
        names.add(t.value)
    elif isinstance(t, (cst.Tuple, cst.List)):
        for el in t.elements:
            _bind_target(el.value, names)
    elif isinstance(t, cst.StarredElement):
        _bind_target(t.value, names)
    elif isinstance(t, (cst.Attribute, cst.Subscript)):
        base = t.value
        while isinstance(base, (cst.Attribute, cst.Subscript)):
            base = base.value
        if isinstance(base, cst.Name):
            names.add(base.value)
