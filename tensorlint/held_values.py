"""Which names of the last run hold values code can change in place (a list, a model, an object),
as the incremental analysis asks after an edit: such a name read by a chunk ties it to the
chunks that may change the value."""
from __future__ import annotations

from .incremental_state import Previous


def held(prev: Previous, kept: dict, memo: dict | None = None):
    """Where names held, in the last run, a value code can change in place (`Held`). `memo`:
    what this found of each chunk's bindings (a chunk that did not run hands over the same
    bindings again), kept from edit to edit; those of chunks gone are dropped."""
    from .dependencies import Held

    memo = {} if memo is None else memo
    entries: dict = {}
    live = set()
    for i, j in kept.items():
        bound = prev.bound.get(j)
        if not bound:
            continue
        live.add(id(bound))
        got = memo.get(id(bound))
        if got is None or got[0] is not bound:
            got = memo[id(bound)] = (bound, [n for n, v in bound.items() if not immutable(v)])
        for n in got[1]:
            entries.setdefault(n, []).append(i)
    for key in [key for key in memo if key not in live]:
        del memo[key]
    final = {n for n, v in prev.env.items() if not immutable(v)}
    return Held(entries, final)


_PLAIN = (int, float, complex, str, bytes, bool, type(None))
_KINDS = None  # the value classes `immutable` tells apart (tensorlint.values, loaded on first use)


def immutable(v, depth: int = 0) -> bool:
    global _KINDS
    if _KINDS is None:
        from .values import Const, Ref, Seq, Tensor, Unbound, Unknown

        _KINDS = ((Tensor, Ref, Unknown, Unbound), Const, Seq)
    data, Const, Seq = _KINDS
    # a tensor changed in place (`t.requires_grad_()`, `t.add_(1)`, `t[i] = v`) is a new value
    # bound to its name, which the chunk that did it hands over (interp.core.run's `record`)
    if isinstance(v, data):
        return True
    if isinstance(v, Const):
        return isinstance(v.value, _PLAIN)
    if isinstance(v, Seq) and depth < 4:
        return all(immutable(x, depth + 1) for x in v.items)
    return False
