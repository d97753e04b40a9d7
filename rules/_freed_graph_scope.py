"""TL434's reading of one scope's code (the module's top level, whichever chunks its statements
fall in, or a function) from facts kept with each chunk's tree: its bindings, the places and
source order of its nodes, their ancestors, and whether a node is under `no_grad`."""
import libcst as cst

from tensorlint.cstwalk import walk_code

from ._reaching import bindings, called_name
from ._trees import chunk_parents, gathered_by_chunk, per_chunk_index

_NO_GRAD = ("no_grad", "inference_mode")


def _under_no_grad(ancestors) -> bool:
    for a in ancestors:
        if isinstance(a, cst.With) and any(isinstance(i.item, cst.Call) and called_name(i.item) in _NO_GRAD for i in a.items):
            return True
        if isinstance(a, (cst.FunctionDef, cst.Lambda)):
            return False
    return False


class Scope:
    """One scope's code, read from per-tree facts: the module's top level (every chunk's
    module-level code, in order) or a function. Places are (chunk index, line in the chunk):
    they order nodes as the file's lines do, and what a tree holds stays valid while the
    language server keeps the tree."""

    def __init__(self, ctx, parts):
        self.ctx = ctx
        self.parts = parts  # [(chunk index, scope node)]: the trees of the scope, in order
        self.orders: dict = {}  # chunk index -> id(node) -> its rank in the tree (`key`)

    def _fact(self, i, scope, what, compute):
        return self.ctx.tree_fact(i, ("TL434", what, id(scope)), lambda: compute(i, scope))

    def bindings(self) -> "_Places":
        """name -> ([place], [(node, chunk)]), in source order: `_reaching.bindings` of the
        scope (the module's from every chunk's), each name's places read when it is asked for:
        a place costs the positions of its statement, and a check asks for a few names."""
        if isinstance(self.parts[0][1], cst.Module):  # the module: every chunk's, filed once per tree under one key
            key = ("TL434 binding nodes",)
            facts = per_chunk_index(self.ctx, key, lambda i: self._bindings_of(i, self.ctx.chunks[i].module))
            # a name's entries gathered when it is asked for, kept from edit to edit
            return _Places(self, lambda name: [(i, node, param) for i, found in gathered_by_chunk(self.ctx, key, facts, name)
                                               for node, param in found])
        out: dict = {}
        for i, scope in self.parts:
            for name, entries in self._fact(i, scope, "binding nodes", self._bindings_of).items():
                out.setdefault(name, []).extend((i, node, param) for node, param in entries)
        return _Places(self, out.get)

    def _bindings_of(self, i, scope) -> dict:
        # (a parameter comes before all else: no place of its own is read)
        return {name: [(b.node, isinstance(b.node, cst.Param)) for b in entries]
                for name, entries in bindings(_OneChunk(self.ctx, i), scope).items()}

    def place(self, i, node):
        return self.ctx.tree_fact(i, ("TL434 place", id(node)), lambda: _rel_line(self.ctx, i, node))

    def key(self, i, node):
        """Where `node` stands in the scope's code, for ordering: (chunk, rank in a walk of its
        tree in source order). Not its line: a line costs the positions of the whole top-level
        statement, a class of thousands of lines in a test suite."""
        order = self.orders.get(i)
        if order is None:  # (looked up once per chunk and run: a check asks for many nodes' places)
            order = self.orders[i] = self.ctx.tree_fact(i, ("TL434 order",), lambda: _source_order(self.ctx.chunks[i].module))
        rank = order.get(id(node))
        return (i, rank) if rank is not None else (-1, 0)

    def line(self, i, node):
        rel = self.place(i, node)
        return rel + self.ctx.chunks[i].line_offset if rel is not None else None

    def ancestors(self, i, node) -> list:
        links = chunk_parents(self.ctx.chunks[i])  # (the links `_training.Parents` keeps with the tree)
        out = []
        node = links.get(node)
        while node is not None:
            out.append(node)
            node = links.get(node)
        return out

    def under_no_grad(self, i, node) -> bool:
        return self.ctx.tree_fact(i, ("TL434 no grad", id(node)), lambda: _under_no_grad(self.ancestors(i, node)))


class _Places:
    """`Scope.bindings`, each name's places read on first `get`."""

    def __init__(self, scope, entries_of):
        self.scope, self.entries_of, self.done = scope, entries_of, {}

    def get(self, name):
        got = self.done.get(name)
        entries = self.entries_of(name) if got is None else None
        if entries:
            places, nodes = [], []
            for i, node, param in entries:
                places.append((-1, 0) if param else self.scope.key(i, node))
                nodes.append((node, i))
            got = self.done[name] = (places, nodes)
        return got


class _OneChunk:
    """`ctx` for `_reaching.bindings` of a tree of chunk `i`: lines counted from the chunk's
    first line (the chunk's module-level code alone for a module)."""

    def __init__(self, ctx, i):
        self.ctx, self.i = ctx, i
        self.chunks = [ctx.chunks[i]]

    def line(self, node):
        return _rel_line(self.ctx, self.i, node)


def _source_order(module) -> dict:
    """id(node) -> its rank in a walk of the tree's code in source order (a statement before
    what it holds, each before what follows it)."""
    return {id(n): k for k, n in enumerate(walk_code(module), 1)}


def _rel_line(ctx, i, node):
    span = ctx.span(node, i)
    return span.start.line - ctx.chunks[i].line_offset if span is not None else None
