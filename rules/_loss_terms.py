"""A loss function that is a term of the program's other losses (TL301): a VAE's KL divergence
written as `kl_loss(y_true, y_pred)` and added by `vae_loss(y_true, y_pred)` to a
reconstruction term that reads the target, or shown beside it as a Keras metric."""
from __future__ import annotations

import libcst as cst

from tensorlint.dataflow import descendants, result_dependence

from ._common import is_target_name
from ._trees import per_chunk

_OWN = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


class _Masked(cst.CSTTransformer):
    """The function's code with every call of `name` replaced by 0: what its result depends on
    besides that term."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def leave_Call(self, original, updated):
        if isinstance(original.func, cst.Name) and original.func.value == self.name:
            return cst.Integer("0")
        return updated


def _target_of(func: cst.FunctionDef):
    names = [p.name.value for p in func.params.params]
    return next((n for n in names if is_target_name(n)), None)


def _uses(module, name: str) -> tuple:
    """(references of `name` in the tree, those that are explained: a call inside another
    function whose target it is given and whose result reads that target besides the term, or
    an entry of a `metrics=` list)."""
    total = explained = terms = 0
    for n in descendants(module):
        if type(n) is cst.Name and n.value == name:
            total += 1
        elif type(n) is cst.FunctionDef and n.name.value == name:
            total -= 1  # the definition's own name
        elif type(n) is cst.Arg and n.keyword is not None and n.keyword.value == "metrics" and isinstance(n.value, (cst.List, cst.Tuple)):
            explained += sum(isinstance(e.value, cst.Name) and e.value.value == name for e in n.value.elements)
        if type(n) is cst.FunctionDef and n.name.value != name:
            target = _target_of(n)
            calls = [c for c in descendants(n, prune=_OWN) if type(c) is cst.Call and isinstance(c.func, cst.Name)
                     and c.func.value == name]
            given = [c for c in calls if c.args and any(isinstance(a.value, cst.Name) and a.value.value == target for a in c.args)]
            if target is None or not given or len(given) != len(calls):
                continue
            try:
                masked = n.visit(_Masked(name))
            except Exception:
                continue
            if result_dependence(masked, target) == 2:
                explained += len(calls)
                terms += len(calls)
    return total, explained, terms


def term_of_supervised_losses(ctx, func: cst.FunctionDef) -> bool:
    """Whether every use of the function in the file is as a term of another loss that reads its
    own target besides it (`vae_loss` returns `r_loss + kl_loss(y_true, y_pred)`), or as a Keras
    metric, and it is such a term at least once: a regularizer whose target parameter is there
    for the common signature."""
    name = func.name.value
    found = per_chunk(ctx, ("TL301 loss terms", name), lambda module: _uses(module, name))
    total = sum(t for t, _, _ in found)
    explained = sum(e for _, e, _ in found)
    return any(terms for _, _, terms in found) and explained >= total
