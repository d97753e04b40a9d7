"""The names a chunk's code makes its own or may change: what `tensorlint.dependencies` reads
off each chunk besides the names it binds and reads."""
from __future__ import annotations

import libcst as cst

from .cstwalk import code_children
from .syntax import assigned_in

_LEAVE = object()  # on a walk's stack: the frame of the function or lambda walked ends here
# nodes whose target (an `as` name's name) is a store
_STORES = frozenset((cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName))


def changes_of(module: cst.Module) -> tuple:
    """(top_changes, inner_changes) of ChunkNames: the names the interpreter may rebind in
    place, the root name of every store into an attribute or item (`x.a = v`, `x[i] += v`,
    `del x[i]`), of every method call (`x.add_(1)`, `x.a.m()`), every walrus target and every
    name a `global` or `nonlocal` statement declares; a name a function's parameters or
    assignments make local to it is not a module-level name there."""
    top: set = set()
    inner: set = set()
    shadowed: list = []  # the local names of the function bodies being walked

    def root(node):
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        return node.value if isinstance(node, cst.Name) else None

    def note(name):
        if name is None or any(name in frame for frame in shadowed):
            return
        (inner if shadowed else top).add(name)

    def store(t):
        stack = [t]
        while stack:
            t = stack.pop()
            if isinstance(t, (cst.Tuple, cst.List)):
                stack.extend(el.value for el in t.elements)
            elif isinstance(t, cst.StarredElement):
                stack.append(t.value)
            elif isinstance(t, (cst.Attribute, cst.Subscript)):
                note(root(t))

    def own_names(params) -> set:
        local = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        local |= {p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)}
        return local

    # the nodes libcst's visitor would visit for these notes, by a walk of the code fields; a
    # function's or lambda's frame holds while its parts (parameters and decorators included)
    # are walked, as between a visitor's visit_ and leave_
    stack: list = [module]
    while stack:
        n = stack.pop()
        if n is _LEAVE:
            shadowed.pop()
            continue
        kind = type(n)
        if kind is cst.FunctionDef:
            shadowed.append(own_names(n.params) | locals_of(n.body))
            stack.append(_LEAVE)
        elif kind is cst.Lambda:
            shadowed.append(own_names(n.params))
            stack.append(_LEAVE)
        elif kind is cst.Call:
            if isinstance(n.func, (cst.Attribute, cst.Subscript)):
                note(root(n.func))
        elif kind in _STORES:
            store(n.name if kind is cst.AsName else n.target)
        elif kind is cst.Del:
            if isinstance(n.target, cst.Name):
                note(n.target.value)
            else:
                store(n.target)
                if isinstance(n.target, (cst.Tuple, cst.List)):
                    for el in n.target.elements:
                        if isinstance(el.value, cst.Name):
                            note(el.value.value)
        elif kind is cst.NamedExpr:
            if isinstance(n.target, cst.Name):
                (inner if shadowed else top).add(n.target.value)
        elif kind is cst.Global or kind is cst.Nonlocal:
            for item in n.names:
                (inner if shadowed else top).add(item.name.value)
        below = code_children(n)
        below.reverse()
        stack.extend(below)
    return frozenset(top), frozenset(inner)


def target_names(t) -> set:
    out = set()
    if isinstance(t, cst.Name):
        out.add(t.value)
    elif isinstance(t, (cst.Tuple, cst.List)):
        for el in t.elements:
            out |= target_names(el.value)
    elif isinstance(t, cst.StarredElement):
        out |= target_names(t.value)
    return out


def locals_of(body) -> frozenset:
    """Names a function (or class) body binds: Python makes them local to it (unless it
    declares them `global` or `nonlocal`)."""
    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    # `x.attr = v` / `x[i] = v` / `x.append(v)` mark x as assigned in assigned_in; they do not make it local
    return (frozenset(assigned_in(stmts)) & bound_names(stmts)) - declared_global(stmts)


def declared_global(stmts) -> frozenset:
    """Names a `global` or `nonlocal` statement of this body (not of nested functions) names."""
    from .dataflow import descendants

    own = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
    found = set()
    for stmt in stmts:
        if isinstance(stmt, own):
            continue
        for n in (stmt, *descendants(stmt, prune=own)):
            if isinstance(n, (cst.Global, cst.Nonlocal)):
                found.update(item.name.value for item in n.names)
    return frozenset(found)


def bound_names(stmts) -> frozenset:
    """Names that statements bind (assignment targets, loop variables, `as` names, nested
    def and class names), in one walk; nested function and class bodies are their own."""
    found: set = set()

    stack = list(stmts)
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is cst.FunctionDef or kind is cst.ClassDef:
            found.add(n.name.value)
            continue  # a nested body is its own
        if kind is cst.AssignTarget or kind is cst.For:
            found.update(target_names(n.target))
        elif kind is cst.AsName:
            found.update(target_names(n.name))
        elif kind is cst.AugAssign or kind is cst.AnnAssign:
            if isinstance(n.target, cst.Name):
                found.add(n.target.value)
        stack.extend(code_children(n))
    return frozenset(found)
