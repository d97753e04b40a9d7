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

    def target(t):
        if isinstance(t, cst.Name):
            names.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                target(el.value)
        elif isinstance(t, cst.StarredElement):
            target(t.value)
        elif isinstance(t, (cst.Attribute, cst.Subscript)):
            base = t.value
            while isinstance(base, (cst.Attribute, cst.Subscript)):
                base = base.value
            if isinstance(base, cst.Name):
                names.add(base.value)

    def walk(stmts):
        for st in stmts:
            if isinstance(st, cst.SimpleStatementLine):
                for sm in st.body:
                    if isinstance(sm, cst.Assign):
                        for t in sm.targets:
                            target(t.target)
                    elif isinstance(sm, (cst.AugAssign, cst.AnnAssign)):
                        target(sm.target)
                    elif isinstance(sm, cst.Expr) and isinstance(sm.value, cst.Call) and isinstance(sm.value.func, cst.Attribute):
                        target(sm.value.func.value)  # x.append(...), t.requires_grad_()
            elif isinstance(st, (cst.FunctionDef, cst.ClassDef)):
                names.add(st.name.value)
            else:
                if isinstance(st, cst.For):
                    target(st.target)
                if isinstance(st, cst.With):
                    for item in st.items:
                        if item.asname is not None:
                            target(item.asname.name)
                for attr in ("body", "orelse", "finalbody"):
                    part = getattr(st, attr, None)
                    if part is None:
                        continue
                    if isinstance(part, cst.If):
                        walk([part])
                    elif hasattr(part, "body"):
                        inner = part.body
                        walk(inner if isinstance(inner, (list, tuple)) else [inner])
                for h in getattr(st, "handlers", ()):
                    walk(h.body.body)

    walk(body)
    return names


