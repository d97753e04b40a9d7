"""Whether a call's arguments fit a definition's parameters, and how often a chunk binds each
name, read from the syntax alone."""
from __future__ import annotations

import libcst as cst

from tensorlint.dataflow import all_params, descendants
from tensorlint.syntax import dotted


def call_misfit(params: cst.Parameters, call: cst.Call, skip_self: bool, noun: str = "input") -> str | None:
    """What about `call`'s arguments a definition with `params` cannot take, in words (`takes 1
    input, not 2`, `has no parameter `x``, `also needs `y``), or None when they fit or the call
    spreads `*args` / `**kwargs` (the caller checks that). `skip_self`: the first parameter is
    bound by the call itself (a method's `self`)."""
    every = [*params.posonly_params, *params.params]
    if skip_self and not every:
        return None
    positional = every[1:] if skip_self else every
    given = [a for a in call.args if a.keyword is None]
    keywords = [a.keyword.value for a in call.args if a.keyword is not None]
    names = {prm.name.value for prm in [*params.params, *params.kwonly_params]}
    if len(given) > len(positional) and not isinstance(params.star_arg, cst.Param):
        n = len(positional)
        return f"takes {n} {noun}{'s' if n != 1 else ''}, not {len(given)}"
    by_position = {prm.name.value for prm in params.posonly_params}
    if params.star_kwarg is None:
        stray = [k for k in keywords if k not in names]
        if stray:
            if stray[0] in by_position and not (skip_self and params.posonly_params[0].name.value == stray[0]):
                return f"takes `{stray[0]}` by position only"
            return f"has no parameter `{stray[0]}`"
    # a parameter given by position and again by keyword (a positional-only one's keyword goes
    # to `**kwargs` where there is one)
    twice = [k for k in keywords if k in {prm.name.value for prm in positional[:len(given)]}
             and not (k in by_position and params.star_kwarg is not None)]
    if twice:
        return f"gets `{twice[0]}` twice (by position and by keyword)"
    missing = [prm.name.value for prm in positional[len(given):] if prm.default is None and prm.name.value not in keywords]
    missing += [prm.name.value for prm in params.kwonly_params if prm.default is None and prm.name.value not in keywords]
    if missing:
        return f"also needs {', '.join(f'`{m}`' for m in missing)}"
    return None


def binding_counts(module) -> dict:
    """name -> how many bindings of it the chunk makes, in every scope: definitions, parameters,
    assignment and loop targets, imports, `with`/`except` aliases, `global`/`nonlocal`, `del`."""
    counts: dict = {}

    def add(names):
        for n in names:
            counts[n] = counts.get(n, 0) + 1

    for n in descendants(module):
        kind = type(n)
        if kind in (cst.FunctionDef, cst.ClassDef):
            add([n.name.value])
            if kind is cst.FunctionDef:
                add(all_params(n))
        elif kind is cst.Lambda:
            add(all_params(n))
        elif kind is cst.AssignTarget:
            add(_names(n.target))
        elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr):
            add(_names(n.target))
        elif kind is cst.AsName:
            add(_names(n.name))
        elif kind is cst.ImportAlias and n.asname is None:
            add([dotted(n.name).partition(".")[0]])
        elif kind in (cst.Global, cst.Nonlocal):
            add([item.name.value for item in n.names])
        elif kind is cst.Del:
            add(_names(n.target))
    return counts


def _names(target) -> list:
    if type(target) is cst.Name:
        return [target.value]
    return [m.value for m in descendants(target) if type(m) is cst.Name] if type(target) in (
        cst.Tuple, cst.List, cst.StarredElement) else []
