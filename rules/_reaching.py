"""Which assignment a name read in a function (or at module level) holds: the nearest plain
assignment above the read, in a block around it, that no later binding in a loop around the read
can replace. Read from the syntax, once per scope."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants


_OWN_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def call_argument(call: cst.Call, index: int, keyword: str):
    """The argument of `call` given at position `index` or as `keyword`; None when it is absent
    or a `*args` / `**kwargs` comes first."""
    for i, a in enumerate(call.args):
        if a.star:
            return None
        if a.keyword is not None:
            if a.keyword.value == keyword:
                return a.value
        elif i == index:
            return a.value
    return None


def bound_by(node):
    """What a statement or clause other than a plain assignment binds: its target, or None."""
    kind = type(node)  # (tested by exact type: libcst's classes are ABCs, slow under isinstance)
    if kind not in _BINDERS:
        return None
    if kind in _TARGETS:
        return node.target
    if kind in _WITH_ITEMS:
        return node.asname.name if node.asname is not None else None
    if kind in _HANDLERS:
        return node.name.name if node.name is not None else None
    if kind in _ALIASES:
        return node.asname.name if node.asname is not None else node.name
    return cst.Tuple([cst.Element(n.name) for n in node.names])


_TARGETS = kinds_of(cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.CompFor)
_WITH_ITEMS = kinds_of(cst.WithItem)
_HANDLERS = kinds_of(cst.ExceptHandler)
_ALIASES = kinds_of(cst.ImportAlias)
_BINDERS = _TARGETS | _WITH_ITEMS | _HANDLERS | _ALIASES | kinds_of(cst.Global, cst.Nonlocal)


def called_name(call: cst.Call) -> str | None:
    f = call.func
    if isinstance(f, cst.Attribute):
        return f.attr.value
    if isinstance(f, cst.Name):
        return f.value
    return None


class Indices:
    """The indices that a tuple assignment unpacks from a `max` call."""

    def __init__(self, call):
        self.call = call


def max_indices(target, value):
    """The name that `values, indices = x.max(dim)` (or `torch.max(x, dim)`) binds to the indices."""
    if (isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2 and isinstance(value, cst.Call)
            and called_name(value) == "max" and isinstance(target.elements[1].value, cst.Name)):
        return target.elements[1].value
    return None


class Binding:
    """One binding of a name: (line, value, node) as a tuple reads. The line is found when first
    asked: a position costs the code generation of the statement that holds it, and a reader asks
    for the bindings of one or two names of a scope that binds hundreds."""

    __slots__ = ("ctx", "_line", "value", "node")

    def __init__(self, ctx, line, value, node):
        self.ctx, self._line, self.value, self.node = ctx, line, value, node

    @property
    def line(self) -> int:
        if self._line is None:
            self._line = self.ctx.line(self.node) or 0
        return self._line

    def __getitem__(self, i):
        return (self.line, self.value, self.node)[i]

    def __iter__(self):
        return iter((self.line, self.value, self.node))


def bindings(ctx, scope) -> dict:
    """name -> [`Binding` (line, value, node)] for every binding in `scope`'s own code, in source
    order: `value` is the assigned expression of a plain `name = value`, None for any other
    binding (a loop variable, an augmented assignment, a tuple target, a parameter). The
    module's are read chunk by chunk, each chunk's once per syntax tree (kept across edits)."""
    out: dict = {}
    if isinstance(scope, cst.Module):
        if getattr(ctx, "tree_fact", None) is not None:  # the interpreter's: kept per tree
            from ._trees import per_chunk

            parts = per_chunk(ctx, ("reaching bindings",), _bound_in)
        else:
            parts = [_bound_in(c.module) for c in ctx.chunks]
    else:
        parts = [_bound_in(scope)]
    for part in parts:
        for name, value, node in part:
            out.setdefault(name, []).append(Binding(ctx, None, value, node))
    if isinstance(scope, cst.FunctionDef):
        for prm in (*scope.params.params, *scope.params.kwonly_params, *scope.params.posonly_params):
            out.setdefault(prm.name.value, []).insert(0, Binding(ctx, 0, None, prm))
    return out


def _bound_in(root) -> list:
    """(name, assigned value or None, binding node) for every binding in `root`'s own code, in
    source order (see `bindings`)."""
    out = []
    for n in descendants(root, prune=_OWN_SCOPES):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                plain = isinstance(t.target, cst.Name) and len(n.targets) == 1
                indices = max_indices(t.target, n.value) if len(n.targets) == 1 else None
                for m in [t.target, *descendants(t.target)]:
                    if isinstance(m, cst.Name):
                        out.append((m.value, n.value if plain else (Indices(n.value) if m is indices else None), n))
        else:
            bound = bound_by(n)
            if bound is not None:
                out.extend((m.value, None, n) for m in [bound, *descendants(bound)] if isinstance(m, cst.Name))
    return out


def reaching(ctx, p, binds: dict, name: str, use):
    """The value of the one assignment to `name` that reaches `use` on every path: the nearest
    one above it, in a block that holds `use`, with no later binding in a loop around `use`
    that could come round to it. None when there is no such plain assignment."""
    line = ctx.line(use) or 0
    entries = binds.get(name) or []
    before = [e for e in entries if 0 < e[0] < line]
    if not before:
        return None
    _, value, node = before[-1]
    if value is None:
        return None
    stmt = p.parent.get(node)  # the statement line of the assignment
    block = p.parent.get(stmt)
    if block is None or not (isinstance(block, cst.Module) or p.inside(use, block)):
        return None  # a top-level statement holds every later use, whichever chunk of the file it is in
    loops = [a for a in p.ancestors(use) if isinstance(a, (cst.For, cst.While))]
    if any(e[0] > line and any(p.inside(e[2], lp) for lp in loops) for e in entries):
        return None
    return value


def nearest(ctx, binds: dict, name: str, use):
    """The binding of `name` nearest above `use` (None when there is none)."""
    line = ctx.line(use) or 0
    before = [e for e in binds.get(name) or [] if e[0] < line]
    return before[-1][2] if before else None




def scope_bindings(ctx, p, node):
    """(the function or module holding `node`, its `bindings`), computed once per scope and
    analysis; (None, None) inside a lambda."""
    scope = p.scope(node)
    if scope is None or isinstance(scope, cst.Lambda):
        return None, None
    return scope, memo_bindings(ctx, scope)


def memo_bindings(ctx, scope) -> dict:
    """`bindings(ctx, scope)`, computed once per scope and analysis."""
    memo = ctx.__dict__.setdefault("_tl_scope_bindings", {})
    # the module's are its every chunk's, whichever chunk's tree `scope` is: gathered once
    key = "module" if isinstance(scope, cst.Module) and getattr(ctx, "chunks", None) else id(scope)
    got = memo.get(key)
    if got is None or (key != "module" and got[0] is not scope):
        got = memo[key] = (scope, bindings(ctx, scope))
    return got[1]
