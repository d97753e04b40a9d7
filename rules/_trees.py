"""Facts the rules read from each chunk's syntax tree, computed once per tree: the language
server keeps a chunk's tree, and so these facts, across edits that do not touch it."""
from __future__ import annotations

import libcst as cst

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def per_chunk(ctx, key, compute) -> list:
    """`compute(module)` for the tree of every chunk, in order, each computed once per tree: a
    rule that reads the whole file costs, after an edit, the chunks the edit changed (the
    language server keeps the others' trees, and what was computed from them). `key` names
    the computation and every argument it depends on besides the tree."""
    return _per_chunk(ctx, key, compute, "module")


def per_chunk_text(ctx, key, compute) -> list:
    """`compute(text)` for the source text of every chunk, in order, each computed once per
    tree (a chunk's text goes with its tree): a search of the text that an edit repeats on
    the chunks it changed alone. `key` as for `per_chunk`."""
    return _per_chunk(ctx, key, compute, "text")


def _per_chunk(ctx, key, compute, what) -> list:
    out = []
    for c in ctx.chunks:  # (what `ctx.tree_fact` does, without a call per chunk)
        facts = c.memo.get("facts")
        if facts is None:
            facts = c.memo["facts"] = {}
        got = facts.get(key, _ABSENT)
        if got is _ABSENT:
            got = facts[key] = compute(getattr(c, what))
        out.append(got)
    return out


_ABSENT = object()


def module_nodes_by_name(ctx, kinds: tuple, name_of) -> list:
    """Per chunk: name -> the nodes of the concrete `kinds` types in the chunk's module-level
    code (bodies of functions, classes and lambdas excluded), in source order, under each name
    `name_of(node)` gives (an iterable of names)."""
    from tensorlint.cstwalk import nodes_by_scope

    def index(module):
        out: dict = {}
        for n in nodes_by_scope(module, _SCOPES, kinds)[id(module)]:
            for name in name_of(n):
                out.setdefault(name, []).append(n)
        return out

    return per_chunk(ctx, ("nodes by name", kinds, name_of), index)
