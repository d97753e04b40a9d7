"""The module-level names each chunk of a document binds and reads (what `dependencies`
connects chunks by)."""
from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .cstwalk import code_children
from .scopes import changes_of, declared_global, target_names
from .syntax import dotted


@dataclass(frozen=True)
class ChunkNames:
    binds: dict  # name -> "import" | "def" | "data"
    reads: frozenset  # module-level names the chunk's code (functions included) may read
    top_reads: frozenset = frozenset()  # those read by module-level statements (when the chunk runs)
    inner_reads: frozenset = frozenset()  # those read inside function and lambda bodies
    # names the chunk binds whatever ran before it: a plain top-level assignment (or def, class,
    # import) of a name the chunk does not read, or a top-level `with ... as name` that nothing
    # before it in the chunk names; what earlier chunks did to the name is gone
    kills: frozenset = frozenset()
    # module-level names the chunk's code may give a new value without binding them (the
    # interpreter's in-place changes: `x.add_(1)`, `x.requires_grad = True`, `x[i] = v`, a
    # function's `global x`, `(x := v)`): at module level (`top_changes`) and in its function
    # bodies (`inner_changes`), which run when called, perhaps from another chunk
    top_changes: frozenset = frozenset()
    inner_changes: frozenset = frozenset()


def chunk_names(module: cst.Module, cache: dict | None = None) -> ChunkNames:
    """The names a chunk binds and reads; `cache` maps id(module) -> (module, names)."""
    if cache is not None:
        entry = cache.get(id(module))
        if entry is not None and entry[0] is module:
            return entry[1]
    found = _names_of(module)
    if cache is not None:
        cache[id(module)] = (module, found)
    return found


def _names_of(module: cst.Module) -> ChunkNames:
    binds: dict = {}
    reads: set = set()
    top_reads: set = set()
    inner_reads: set = set()
    depth = [0]  # > 0 inside a function or lambda body

    def bind(name, kind):
        old = binds.get(name)
        binds[name] = kind if old in (None, kind) else "data"

    def bind_target(t):
        if isinstance(t, cst.Name):
            bind(t.value, "data")
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                bind_target(el.value)
        elif isinstance(t, cst.StarredElement):
            bind_target(t.value)
        else:
            use(t, frozenset())

    def top(stmts):
        for s in stmts:
            if isinstance(s, cst.SimpleStatementLine):
                for small in s.body:
                    if isinstance(small, cst.Import):
                        for a in small.names:
                            bind(a.asname.name.value if a.asname else dotted(a.name).split(".")[0], "import")
                    elif isinstance(small, cst.ImportFrom):
                        if not isinstance(small.names, cst.ImportStar):
                            for a in small.names:
                                bind(a.asname.name.value if a.asname else dotted(a.name), "import")
                    elif isinstance(small, cst.Assign):
                        use(small.value, frozenset())
                        for t in small.targets:
                            bind_target(t.target)
                    elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                        if small.value is not None:
                            use(small.value, frozenset())
                        use(small.target, frozenset())
                        bind_target(small.target)
                    else:
                        use(small, frozenset())
            elif isinstance(s, (cst.FunctionDef, cst.ClassDef)):
                bind(s.name.value, "def")
                use(s, frozenset())
            else:
                if isinstance(s, cst.For):
                    bind_target(s.target)
                if isinstance(s, cst.With):
                    for item in s.items:
                        if item.asname is not None:
                            bind_target(item.asname.name)
                # headers (tests, iterables, context managers) are reads
                for attr in ("test", "iter"):
                    part = getattr(s, attr, None)
                    if part is not None:
                        use(part, frozenset())
                for item in getattr(s, "items", ()):
                    use(item.item, frozenset())
                for attr in ("body", "orelse", "finalbody"):
                    part = getattr(s, attr, None)
                    if part is None:
                        continue
                    if isinstance(part, cst.If):
                        top([part])
                    else:
                        inner = getattr(part, "body", None)
                        if isinstance(inner, (list, tuple)):
                            top(inner)
                        elif inner is not None:
                            top(getattr(inner, "body", ()) or [inner])
                for h in getattr(s, "handlers", ()):
                    if h.name is not None:
                        bind_target(h.name.name)
                    if h.type is not None:
                        use(h.type, frozenset())
                    top(h.body.body)

    def use(node, local):
        if isinstance(node, cst.Name):
            if node.value not in local:
                reads.add(node.value)
                if depth[0]:
                    inner_reads.add(node.value)
                else:
                    top_reads.add(node.value)
            return
        if isinstance(node, cst.Attribute):
            use(node.value, local)
            return
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            for d in getattr(node, "decorators", ()):
                use(d, local)
            params = node.params
            # a lambda sees the names bound where it is made; a function's body, its own only
            inner = set(local) if isinstance(node, cst.Lambda) else set()
            for p in (*params.posonly_params, *params.params, *params.kwonly_params):
                inner.add(p.name.value)
                if p.default is not None:
                    use(p.default, local)
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    inner.add(star.name.value)
            depth[0] += 1
            try:
                if isinstance(node, cst.FunctionDef):
                    _in_order(node.body, frozenset(inner), declared_global([node.body]), use)
                else:
                    use(node.body, frozenset(inner))
            finally:
                depth[0] -= 1
            return
        if isinstance(node, cst.ClassDef):
            for b in (*node.bases, *node.keywords):
                use(b.value, local)
            _in_order(node.body, frozenset(), declared_global([node.body]), use)
            return
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = set(local)
            f = node.for_in
            while f is not None:
                inner |= target_names(f.target)
                f = f.inner_for_in
            local = frozenset(inner)
        if isinstance(node, cst.Arg):
            use(node.value, local)
            return
        for child in code_children(node):  # (layout holds no names)
            use(child, local)

    top(module.body)
    kills = set()
    with_kills: set = set()  # the targets of a `with` that nothing before it in the chunk names
    earlier: set = set()  # every name written in the statements before (a rough over-reading)
    for k, s in enumerate(module.body):  # only statements that always run: not under if/for/while/try/with
        if isinstance(s, cst.With):
            # a `with` binds its targets before its body runs, to what the items made: the
            # body's reads see that value, so only reads before it (items, earlier statements)
            # keep what came in
            if k and not earlier:
                for before in module.body[:k]:
                    earlier |= _written_names(before)
            seen = earlier | {n for item in s.items for n in _written_names(item.item)}
            for item in s.items:
                if item.asname is not None:
                    with_kills |= target_names(item.asname.name) - seen
                    seen |= _written_names(item.asname.name)
            earlier = seen | _written_names(s.body)
        elif earlier:
            earlier |= _written_names(s)
        if isinstance(s, cst.SimpleStatementLine):
            for small in s.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        kills |= target_names(t.target)
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    kills |= target_names(small.target)
                elif isinstance(small, cst.Import):
                    kills |= {a.asname.name.value if a.asname else dotted(a.name).split(".")[0] for a in small.names}
        elif isinstance(s, (cst.FunctionDef, cst.ClassDef)):
            kills.add(s.name.value)
    try:
        top_changes, inner_changes = changes_of(module)
    except RecursionError:  # an expression nested too deep for the walk: all it names may change
        top_changes = inner_changes = frozenset(reads) | frozenset(binds)
    return ChunkNames(binds, frozenset(reads), frozenset(top_reads), frozenset(inner_reads),
                      frozenset((kills - reads) | with_kills), top_changes, inner_changes)


# A function's (or class's) body reads the module's value of a name wherever it has not bound
# the name yet: the interpreter looks a name up in the module when the frame holds none, even
# where Python would raise UnboundLocalError (`loss = loss + 1` in a function reads the
# module's `loss`). So a name counts as local only after a statement that surely bound it:
# earlier in the same block, on every branch of an `if`, before a `with` body; a binding in a
# loop, `try` or `match` body counts inside that body only.


def _in_order(suite, bound: frozenset, own_globals: frozenset, use) -> frozenset:
    """Passes each part of a body's statements to `use` with the names bound before it; returns
    the names bound after it. `suite`: an indented block or the statements after a colon."""
    for s in suite.body:
        bound = _step(s, bound, own_globals, use)
    return bound


def _step(s, bound: frozenset, own_globals: frozenset, use) -> frozenset:
    if isinstance(s, cst.SimpleStatementLine):
        for small in s.body:
            bound = _small_step(small, bound, own_globals, use)
        return bound
    if isinstance(s, cst.BaseSmallStatement):
        return _small_step(s, bound, own_globals, use)
    if isinstance(s, (cst.FunctionDef, cst.ClassDef)):
        use(s, bound)
        return bound | ({s.name.value} - own_globals)
    if isinstance(s, cst.If):
        use(s.test, bound)
        then = _in_order(s.body, bound, own_globals, use)
        if isinstance(s.orelse, cst.If):
            other = _step(s.orelse, bound, own_globals, use)
        elif s.orelse is not None:
            other = _in_order(s.orelse.body, bound, own_globals, use)
        else:
            other = bound
        return then & other
    if isinstance(s, cst.With):
        names: set = set()
        for item in s.items:
            use(item.item, bound)
            if item.asname is not None:
                names |= _bind(item.asname.name, bound, use)
        return _in_order(s.body, bound | (frozenset(names) - own_globals), own_globals, use)
    if isinstance(s, cst.For):
        use(s.iter, bound)
        _in_order(s.body, bound | (frozenset(_bind(s.target, bound, use)) - own_globals), own_globals, use)
    elif isinstance(s, cst.While):
        use(s.test, bound)
        _in_order(s.body, bound, own_globals, use)
    elif isinstance(s, (cst.Try, cst.TryStar)):
        after = _in_order(s.body, bound, own_globals, use)
        if s.orelse is not None:
            _in_order(s.orelse.body, after, own_globals, use)
        for h in s.handlers:
            if h.type is not None:
                use(h.type, bound)
            name = frozenset(_bind(h.name.name, bound, use)) if h.name is not None else frozenset()
            _in_order(h.body, bound | (name - own_globals), own_globals, use)
        if s.finalbody is not None:
            _in_order(s.finalbody.body, bound, own_globals, use)
        return bound
    else:  # `match` and the rest: all of it read with what was bound before
        use(s, bound)
        return bound
    if s.orelse is not None:
        _in_order(s.orelse.body, bound, own_globals, use)
    return bound


def _small_step(small, bound: frozenset, own_globals: frozenset, use) -> frozenset:
    if isinstance(small, cst.Assign):
        use(small.value, bound)
        names: set = set()
        for t in small.targets:
            names |= _bind(t.target, bound, use)
        return bound | (frozenset(names) - own_globals)
    if isinstance(small, (cst.AugAssign, cst.AnnAssign)):
        if isinstance(small, cst.AnnAssign):
            use(small.annotation, bound)
        if small.value is None:  # `x: int` binds nothing
            use(small.target, bound)
            return bound
        use(small.target, bound)  # (`x += 1` reads x)
        use(small.value, bound)
        return bound | (frozenset(_bind(small.target, bound, use)) - own_globals)
    if isinstance(small, cst.Import):
        return bound | ({a.asname.name.value if a.asname else dotted(a.name).split(".")[0] for a in small.names}
                        - own_globals)
    if isinstance(small, cst.ImportFrom):
        if isinstance(small.names, cst.ImportStar):
            return bound
        return bound | ({a.asname.name.value if a.asname else dotted(a.name) for a in small.names} - own_globals)
    use(small, bound)
    return bound


def _bind(target, bound: frozenset, use) -> set:
    """The names an assignment target binds; its other parts (`x.attr`, `x[i]`) are read."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        out: set = set()
        for el in target.elements:
            out |= _bind(el.value, bound, use)
        return out
    if isinstance(target, cst.StarredElement):
        return _bind(target.value, bound, use)
    use(target, bound)
    return set()


def _written_names(node) -> set:
    """Every identifier written in `node`, attribute names and keywords included: more than
    it reads, never less."""
    found: set = set()
    work = [node]
    while work:
        n = work.pop()
        if isinstance(n, cst.Name):
            found.add(n.value)
        else:
            work.extend(code_children(n))
    return found
