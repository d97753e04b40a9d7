"""What each chunk declared and fed to TF1 placeholders, kept across edits: a chunk that runs
again and declares and feeds what it did keeps the placeholders' refinement (`fed`) of the
last run, so the chunks that did not run need not run again (`incremental`).

The refinement is the declaration given what is fed to it (`refine_placeholders`), filed under
the placeholder's call node. A chunk whose text changed has new nodes: each placeholder it
declares takes the refinement of the call it replaces (`Carried`), and the run is kept only
where the declarations and feeds are those of the last run, read through that correspondence."""
from __future__ import annotations

import libcst as cst


def same_feeds(plan, prev, interp) -> bool:
    """Whether the chunks that ran declared and fed TF1 placeholders what they did in the last
    run, in the same order, each fed value to the same declaration (so that what is fed
    refines the placeholders as it did, `prev.fed`, and the feeds the rules saw are those a
    whole run sees): declarations alike, fed values alike in what the refinement reads. A
    chunk whose text changed is compared with the one it replaced (`_Plan.replaced`), its
    placeholders with those they replaced (`Carried.rename`)."""
    records = prev.feed_records or {}
    carried = getattr(interp, "refed", None)
    rename = carried.rename if carried is not None else {}
    counterpart = {**plan.replaced, **plan.kept}  # new chunk -> the old one whose records it repeats
    new_of = {j: i for i, j in counterpart.items()}
    if any(j not in new_of for j in records):  # a chunk that declared or fed is gone
        return False
    ran = set(interp.feed_records) | {new_of[j] for j in records if new_of[j] not in plan.skip}
    for i in ran:
        if not isinstance(i, int) or i in plan.skip:
            return False
        new = interp.feed_records.get(i, ())
        old = records.get(counterpart[i], ()) if i in counterpart else ()
        if len(new) != len(old) or any(_feed_sig(a) != _feed_sig(b, rename) for a, b in zip(new, old)):
            return False
    if rename:  # the chunks that did not run may not have reached a placeholder of a changed chunk
        for j, rs in records.items():
            if new_of[j] in plan.skip and any(r[1] in rename for r in rs):
                return False
    return True


def replaced_chunks(kept: dict, new_count: int, old_count: int) -> dict:
    """Changed chunk (new index) -> the old chunk it replaced: where one changed chunk stands
    between two kept ones (or an end) in the place of one old chunk (`kept`: new -> old)."""
    out = {}
    bounds = sorted(kept.items())
    for (i0, j0), (i1, j1) in zip([(-1, -1), *bounds], [*bounds, (new_count, old_count)]):
        if i1 - i0 == 2 and j1 - j0 == 2:
            out[i0 + 1] = j0 + 1
    return out


def seed_placeholders(plan, prev) -> dict:
    """The placeholders the chunks that do not run declared, for those that run to feed: of
    each, the declaration of the latest chunk (those made while the chunks ran first).
    `same_feeds` checks that each feed met the declaration it met in the last run."""
    out: dict = {}
    for j in sorted(prev.feed_records or {}):
        if plan.new_of_old.get(j) in plan.skip:
            for r in prev.feed_records[j]:
                if r[0] == "declare" and (r[-1] == 0 or r[1] not in out):
                    out[r[1]] = r[2]
    return out


class Redeclared:
    """The placeholders the functions of chunks that do not run declared when they ran with
    unknown arguments, in the last run (after the module's code): laid down, before a
    function of a chunk that runs goes the same way, as the functions of the chunks before it
    left them (a whole run runs them in that order)."""

    def __init__(self, plan, prev):
        self.pending = sorted((plan.new_of_old[j], k, r[1], r[2]) for j, rs in (prev.feed_records or {}).items()
                              if plan.new_of_old.get(j) in plan.skip
                              for k, r in enumerate(rs) if r[0] == "declare" and r[-1] == 1)
        self.at = 0

    def __call__(self, interp, chunk) -> None:
        pending, at = self.pending, self.at
        while at < len(pending) and pending[at][0] < chunk:
            dict.__setitem__(interp.placeholders, pending[at][2], pending[at][3])
            at += 1
        self.at = at


class Carried:
    """The refinement of the placeholders that chunks whose text changed declare, taken from
    the last run: a placeholder call of a changed chunk stands for the call of the chunk it
    replaced that calls the same name in the same rank among such calls (`rename`, checked
    by `same_feeds`), and is refined as that one was."""

    def __init__(self, plan, prev, chunks):
        self.fed = prev.fed
        self.new = {i: chunks[i].module for i in plan.replaced}
        self.old = {i: prev.modules[j] for i, j in plan.replaced.items()}
        self.rename: dict = {}  # id(call node of the last run) -> id(the call node that replaced it)
        self.applied: dict = {}  # id(call node) -> the placeholder refined
        self._calls: dict = {}  # (id(module), called name) -> the calls of that name in it, in order

    def refined(self, call, declared):
        """The placeholder `declared` at `call` refined as the one it replaced; None where it
        replaced none or that one was not refined."""
        i = getattr(call.frame, "chunk", None)
        if i not in self.new:
            return None
        name = _called_name(call.node)
        if name is None:
            return None
        new, old = self._calls_of(self.new[i], name), self._calls_of(self.old[i], name)
        at = next((k for k, n in enumerate(new) if n is call.node), None)
        if at is None or len(new) != len(old):
            return None
        self.rename[id(old[at])] = id(call.node)
        got = self.fed.get(id(old[at]))
        if got is None:
            return None
        from .frameworks.keras.graph import REFINED

        refined = self.applied[id(call.node)] = declared.with_(**{f: getattr(got, f) for f in REFINED})
        return refined

    def _calls_of(self, module, name) -> list:
        key = (id(module), name)
        got = self._calls.get(key)
        if got is None:
            from .cstwalk import walk_code

            got = self._calls[key] = [n for n in walk_code(module) if type(n) is cst.Call and _called_name(n) == name]
        return got

    def fed_after(self, feed_records) -> dict:
        """The refinement after a run that kept it: the last run's, the replaced calls' under
        the calls that replaced them; of the placeholders still declared."""
        declared = {r[1] for rs in feed_records.values() for r in rs if r[0] == "declare"}
        out = {k: v for k, v in self.fed.items() if k in declared and k not in self.rename}
        out.update((k, v) for k, v in self.applied.items() if k in declared)
        return out


def _called_name(node) -> str | None:
    func = node.func
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else None


# what `frameworks.keras.graph.refine_placeholders` reads of a fed value (a declaration is
# compared whole: the refined placeholder is the declaration with these replaced)
_FED_FIELDS = ("shape", "dtype", "fw", "requires_grad", "labels", "nan", "magnitude", "span", "onehot",
               "classes", "scale_mix", "normalized", "scale", "param", "activation")


def _feed_sig(record, rename=None) -> tuple:
    """`rename`: for a record of the last run, the calls of placeholders that were replaced."""
    kind, key, value, *rest = record
    if rename:
        key = rename.get(key, key)
    if kind == "declare":
        return (kind, key, _declared_sig(value, rename), *rest)
    counted, declared, phase = rest
    return (kind, key, _fed_sig(value), counted, _declared_sig(declared, rename), phase)


def _fed_sig(value) -> tuple:
    from .values import Tensor

    if not isinstance(value, Tensor):
        return (type(value),)
    return tuple(getattr(value, f) for f in _FED_FIELDS)


def _declared_sig(value, rename=None) -> tuple:
    from dataclasses import fields

    from .values import Tensor

    if not isinstance(value, Tensor):
        return (type(value),)
    # (nodes, and values other than plain data, compare by identity; the node of a replaced
    # call as the node that replaced it)
    out = []
    for f in fields(value):
        if f.name in ("depth", "tapes", "lineage"):
            continue
        v = getattr(value, f.name)
        if f.name in ("node", "origin") and v is not None:
            v = ("node", rename.get(id(v), id(v)) if rename else id(v))
        out.append(v)
    return tuple(out)
