"""What each chunk declared and fed to TF1 placeholders, kept across edits: a chunk that runs
again and declares and feeds what it did keeps the placeholders' refinement (`fed`) of the
last run, so the chunks that did not run need not run again (`incremental`)."""
from __future__ import annotations


def same_feeds(plan, prev, interp) -> bool:
    """Whether the chunks that ran declared and fed TF1 placeholders what they did in the last
    run, in the same order, each fed value to the same declaration (so that what is fed
    refines the placeholders as it did, `prev.fed`, and the feeds the rules saw are those a
    whole run sees): declarations alike, fed values alike in what the refinement reads."""
    records = prev.feed_records or {}
    ran = set(interp.feed_records) | {plan.new_of_old[j] for j in records if plan.new_of_old.get(j) not in plan.skip}
    for i in ran:
        if not isinstance(i, int) or i in plan.skip:
            return False
        new = interp.feed_records.get(i, ())
        old = records.get(plan.kept[i], ()) if i in plan.kept else ()
        if len(new) != len(old) or any(_feed_sig(a) != _feed_sig(b) for a, b in zip(new, old)):
            return False
    return True


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


# what `frameworks.keras.graph.refine_placeholders` reads of a fed value (a declaration is
# compared whole: the refined placeholder is the declaration with these replaced)
_FED_FIELDS = ("shape", "dtype", "fw", "requires_grad", "labels", "nan", "magnitude", "span", "onehot",
               "classes", "scale_mix", "normalized", "scale", "param", "activation")


def _feed_sig(record) -> tuple:
    kind, key, value, *rest = record
    if kind == "declare":
        return (kind, key, _declared_sig(value), *rest)
    counted, declared, phase = rest
    return (kind, key, _fed_sig(value), counted, _declared_sig(declared), phase)


def _fed_sig(value) -> tuple:
    from .values import Tensor

    if not isinstance(value, Tensor):
        return (type(value),)
    return tuple(getattr(value, f) for f in _FED_FIELDS)


def _declared_sig(value) -> tuple:
    from dataclasses import fields

    from .values import Tensor

    if not isinstance(value, Tensor):
        return (type(value),)
    # (nodes, and values other than plain data, compare by identity)
    return tuple(getattr(value, f.name) for f in fields(value) if f.name not in ("depth", "tapes", "lineage"))
