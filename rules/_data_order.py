"""Which parameters of a data-loading function only change the order or packaging of the
examples it returns (shuffling, batching, prefetching, caching, parallel reads), not which
examples: two calls that differ only in those read the same data."""
from __future__ import annotations

import libcst as cst

from tensorlint.dataflow import all_params, descendants

# tf.data methods that keep the set of examples (in another order, grouped, repeated, kept in memory)
ORDER_METHODS = frozenset({"shuffle", "batch", "padded_batch", "prefetch", "cache", "repeat", "unbatch"})
# keywords that tune how examples are read or processed, not which
ORDER_KEYWORDS = frozenset({"num_parallel_calls", "num_parallel_reads", "cycle_length", "block_length",
                            "buffer_size", "deterministic", "reshuffle_each_iteration", "seed"})


def order_only_params(func: cst.FunctionDef) -> frozenset:
    """The parameters of `func` read only as arguments of ORDER_METHODS calls or ORDER_KEYWORDS,
    or as the test of an `if` whose body only applies ORDER_METHODS (`if cache: ds = ds.cache()`),
    and never bound again in the body."""
    params = set(all_params(func))
    if not params:
        return frozenset()
    ordered: set = set()  # ids of the Name nodes read in those places
    stores: set = set()
    for n in descendants(func.body):
        kind = type(n)  # (exact types: libcst's classes are ABCs, slow under isinstance)
        if kind is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value in ORDER_METHODS:
            ordered.update(id(m) for a in n.args for m in name_reads(a.value))
        elif kind is cst.Arg and n.keyword is not None and n.keyword.value in ORDER_KEYWORDS:
            ordered.update(id(m) for m in name_reads(n.value))
        elif kind is cst.If and n.orelse is None and _only_order_steps(n.body):
            ordered.update(id(m) for m in name_reads(n.test))
        elif kind in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For):
            target = n.target
            stores.update(m.value for m in name_reads(target))
    reads: dict = {}
    for n in name_reads(func.body):
        if n.value in params:
            reads.setdefault(n.value, []).append(id(n))
    return frozenset(p for p, ids in reads.items()
                     if p not in stores and all(i in ordered for i in ids)) | frozenset(params - set(reads))


def _only_order_steps(body) -> bool:
    if not isinstance(body, cst.IndentedBlock):
        return False
    for line in body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            return False
        for small in line.body:
            value = small.value if isinstance(small, cst.Assign) else None
            if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                    and value.func.attr.value in ORDER_METHODS):
                return False
    return True


def name_reads(node):
    """The Name nodes an expression reads (not the attribute names or keywords it spells)."""
    if type(node) is cst.Name:
        yield node
        return
    skip = set()
    for n in descendants(node):
        kind = type(n)
        if kind is cst.Attribute:
            skip.add(id(n.attr))
        elif kind is cst.Arg and n.keyword is not None:
            skip.add(id(n.keyword))
        elif kind is cst.Name and id(n) not in skip:
            yield n
