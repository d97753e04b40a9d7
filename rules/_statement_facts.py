"""Where statements stand in source order and where names are bound and read, for the rules that
follow a value from the statement that makes it to the statements that read it; for the module,
from what is kept with each chunk's tree."""
import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants

from ._graph_ops import name_reads
from ._trees import ByName, gathered, per_chunk


def gathered_names(ctx, key, compute) -> ByName:
    """name -> the nodes under that name in any of the dicts `per_chunk(ctx, key, compute)`
    gives (one per chunk), in chunk order: `_trees.gathered`, kept from edit to edit."""
    return ByName(lambda name: gathered(ctx, key, compute, name))


class StatementFacts:
    """Where each statement of a function (or of the module's chunks) stands in source order (no
    positions computed), where each name is bound and read; for the module, from what is kept
    with each chunk's tree, and only for the names asked about."""

    def __init__(self, roots, par, bindings, ctx=None):
        self.par = par
        self.roots = roots
        self.root_ids = {id(r) for r in roots}
        self.bindings = bindings
        if ctx is None:
            self.order, i = {}, 0
            for root in roots:
                order, count = statement_order(root)
                self.order.update((k, v + i) for k, v in order.items())
                i += count
            self.orders = None
            self.reads_of = None  # on first need
        else:  # the module: statement numbers per chunk, shifted by the nodes of the chunks before
            self.order = None
            self.orders = per_chunk(ctx, ("statement order",), statement_order)
            self.offsets, self.chunk_of, i = [], {}, 0
            for k, (root, (_, count)) in enumerate(zip(roots, self.orders)):
                self.offsets.append(i)
                self.chunk_of[id(root)] = k
                i += count
            self.reads_of = None
            self.reads_named = gathered_names(ctx, ("name reads",), lambda m: name_reads(m, par))
        self.bound: dict = {}

    def _stmt_pos(self, node) -> int:
        return self.pos(node if isinstance(node, cst.BaseCompoundStatement) else self.par.statement(node))

    def pos(self, stmt) -> int:
        if self.order is not None:
            return self.order.get(id(stmt), -1)
        top = stmt
        for top in self.par.ancestors(stmt):
            pass
        k = self.chunk_of.get(id(top))
        local = self.orders[k][0].get(id(stmt)) if k is not None else None
        return -1 if local is None else self.offsets[k] + local

    def binding_positions(self, name) -> list:
        got = self.bound.get(name)
        if got is None:
            got = self.bound[name] = sorted(self._stmt_pos(n) for n in self.bindings.get(name, ()))
        return got

    def binding_reads(self, stmt, name, here):
        """The statements that read this binding of `name` before the name is bound again (on a
        path that can follow it); None
        inside a loop, where source order is not the order of execution, or when a nested
        function reads the name."""
        par = self.par
        for a in par.ancestors(stmt):
            if isinstance(a, (cst.FunctionDef, cst.Lambda, cst.Module)):
                break
            if isinstance(a, (cst.For, cst.While)):
                return None
        if self.order is not None and self.reads_of is None:
            self.reads_of = [name_reads(root, par) for root in self.roots]
        # a binding in a branch that never runs with this one (`if ...: h = a(x) else: h = b(x)`)
        # does not end it
        end = min((self._stmt_pos(n) for n in self.bindings.get(name, ())
                   if self._stmt_pos(n) > here and not par.exclusive(stmt, n)), default=1 << 30)
        out = []
        found = self.reads_named.get(name, ()) if self.order is None else \
            [r for reads in self.reads_of for r in reads.get(name, ())]
        for node, where in found:
            if id(par.scope(node)) not in self.root_ids:
                return None
            if here < self.pos(where) <= end:
                out.append(where)
        return out


def statement_order(root) -> tuple:
    """(id(statement) -> its number among the nodes below `root` in source order, how many nodes)."""
    order, i = {}, 0
    statements = _STATEMENTS
    for n in descendants(root):
        if type(n) in statements:  # (exact types: libcst's classes are ABCs, slow under isinstance)
            order[id(n)] = i
        i += 1
    return order, i


_STATEMENTS = kinds_of(cst.SimpleStatementLine, cst.BaseCompoundStatement)
