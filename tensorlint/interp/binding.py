"""How a call's arguments meet the parameters of the program's own function."""
from __future__ import annotations

import os

import libcst as cst

from .. import events as ev
from ..cstwalk import walk_code
from ..values import UNKNOWN


def fitted(func, args: list, kwargs: dict, node, bound: int) -> tuple:
    """The arguments a call of the program's own function runs its body with: as given, or, when
    the definition cannot take them (an argument too many, a keyword it has no parameter for, a
    required parameter left out: the call raises TypeError before the body runs), unknown, so
    that nothing the body computes rests on parameters bound to the wrong arguments. `bound`:
    the leading arguments the call did not write (the instance of a method or a constructor)."""
    if type(node) is not cst.Call or any(a.star for a in node.args) or type(func.node) is not cst.FunctionDef:
        return args, kwargs
    params = func.node.params
    if not kwargs:  # (most calls: positional arguments alone, which fit when every parameter
        # left without one has a default and, past the positional parameters, `*args` takes the rest)
        ordered = (*params.posonly_params, *params.params)
        if (len(args) <= len(ordered) or type(params.star_arg) is cst.Param) \
                and all(p.default is not None for p in ordered[len(args):]) \
                and all(p.default is not None for p in params.kwonly_params):
            return args, kwargs
    positional = [p.name.value for p in (*params.posonly_params, *params.params)]
    named = set(positional[len(params.posonly_params):]) | {p.name.value for p in params.kwonly_params}
    given = set(positional[:len(args)])
    fits = (len(args) <= len(positional) or type(params.star_arg) is cst.Param) \
        and (params.star_kwarg is not None or all(k in named for k in kwargs)) \
        and not given & set(kwargs) \
        and all(p.default is not None or p.name.value in given or p.name.value in kwargs
                for p in (*params.posonly_params, *params.params, *params.kwonly_params))
    if fits:
        return args, kwargs
    return args[:bound] + [UNKNOWN] * (len(args) - bound), {k: UNKNOWN for k in kwargs}


def _top_level_function(tree, name: str):
    """The plain `def name(...)` at the top of a module's tree, when no other top-level statement
    binds the name (a second definition, an assignment, an import, a class) and no decorator may
    change what calling it runs."""
    found = None
    for stmt in tree.body:
        if type(stmt) is cst.FunctionDef and stmt.name.value == name:
            if found is not None or stmt.decorators:
                return None
            found = stmt
        elif name in _bound_by(stmt):
            return None
    return found


def _bound_by(stmt) -> set:
    """Names a top-level statement may bind, by its text (over-approximated: any name written)."""
    if type(stmt) in (cst.ClassDef, cst.FunctionDef):
        return {stmt.name.value}
    # statements and if/try/for blocks: whatever they write
    return {n.value for n in walk_code(stmt) if type(n) is cst.Name}


def note_project_call(interp, pref, call) -> None:
    """A call of a project module's function from code the analysis runs without following the
    module (a function nobody calls): the definition, read from the module's syntax alone, is
    told to the rules that compare a call's arguments with the definition's parameters."""
    from .. import project
    from ..values import Func

    module = project.load(pref.path) if pref.attr is not None else None
    func = _top_level_function(module.tree, pref.attr) if module is not None and module.tree is not None else None
    if func is None or type(call.node) is not cst.Call:
        return
    def where() -> str:
        return f"{os.path.basename(pref.path)}:{module.line_of(func)}"

    interp.emit("user_call", ev.UserCall(Func(node=func, name=pref.attr, module=pref.path), call.node, 0,
                                         call.frame.func, where))
