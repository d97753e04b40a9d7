"""What a name or a `self.<attr>` is bound to, read from the syntax: the one call every binding
the file shows gives it, and whether that call builds a torch module (a layer, a container, or
a class of the file that derives from one)."""
from __future__ import annotations

import functools
import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.frameworks import registry
from tensorlint.syntax import dotted
from tensorlint.values import Ref

from ._common import imported_qualname
from ._trees import per_chunk

CONTAINERS = ("torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict")
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


# methods of a torch module that return the module itself
MOVES = frozenset({"cuda", "to", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "requires_grad_",
                   "share_memory", "type"})


def bound_call(ctx, p, arg, moves: bool = False, read=None):
    """The call that `arg` (`self.decoder` in a method, or a name) is bound to on every binding
    the file shows, or None (no binding, several, a parameter, a loop or augmented binding).
    With `moves`, a binding to a method of `MOVES` called on the name itself
    (`self.critic = self.critic.cuda()`) or on a call (`Net().to(device)`) is read through.
    `read`: that of `_trees.per_chunk_reading`, through which the bindings of a module-level
    name (every chunk's) are read; without it they are read directly."""
    if isinstance(arg, cst.Attribute) and isinstance(arg.value, cst.Name) and arg.value.value == "self":
        cls = next((a for a in p.ancestors(arg) if isinstance(a, cst.ClassDef)), None)
        if cls is None:
            return None
        values = [n.value for n in descendants(cls) if isinstance(n, cst.Assign)
                  for t in n.targets if dotted(t.target) == dotted(arg)]
        if any(isinstance(n, (cst.AugAssign, cst.AnnAssign)) and dotted(n.target) == dotted(arg) for n in descendants(cls)):
            return None
    elif isinstance(arg, cst.Name):
        values = _name_values(ctx, p, arg, read)
        if values is None:
            return None
    else:
        return None
    if moves:
        text = dotted(arg)
        values = [_unmoved(v) for v in values if not (_moved(v) and dotted(v.func.value) == text)]
    if len(values) != 1 or not isinstance(values[0], cst.Call):
        return None
    return values[0]


def _name_values(ctx, p, arg, read=None) -> list | None:
    """The values the bindings of the name `arg` give it in the nearest scope that binds it
    (a function that does not bind it reads the enclosing scope's); None where a binding is
    of another kind, a parameter, or `global` rebinds it from a function."""
    scope = p.scope(arg)
    while scope is not None:
        if isinstance(scope, cst.Module):  # the module: every chunk, each tree's index kept across edits
            return read(module_name_values, arg.value) if read is not None else module_name_values(ctx, arg.value)
        if isinstance(scope, (cst.FunctionDef, cst.Lambda)) and arg.value in _param_names(scope.params):
            return None
        values_of, stops = scope_bindings(scope)
        if arg.value in stops:
            return None
        if arg.value in values_of:
            return list(values_of[arg.value])
        scope = p.scope(scope)
    return None


def module_name_values(ctx, name: str) -> list | None:
    """The values the module-level bindings of `name` give it, over every chunk, or None where
    one is of another kind or `global` rebinds it from a function."""
    text = ctx.text
    if f"global {name}" in text or "global " in text and name in _globals_text(text):
        return None
    values = []
    for values_of, stops in per_chunk(ctx, ("module bindings",), scope_bindings):
        if name in stops:
            return None
        values.extend(values_of.get(name, ()))
    return values


def _param_names(params) -> list:
    names = [prm.name.value for prm in [*params.posonly_params, *params.params, *params.kwonly_params]]
    names += [star.name.value for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
    return names


@functools.lru_cache(maxsize=8)
def _globals_text(text: str) -> set:
    """The names that `global` statements of the text declare."""
    return {n.strip() for m in re.finditer(r"^\s*global\s+([^\n#;]+)", text, re.M) for n in m.group(1).split(",")}


def _moved(v) -> bool:
    return isinstance(v, cst.Call) and isinstance(v.func, cst.Attribute) and v.func.attr.value in MOVES


def _unmoved(v):
    """`Net()` for `Net().to(device).train()`."""
    while _moved(v) and isinstance(v.func.value, cst.Call):
        v = v.func.value
    return v


def torch_layer_made(env, call) -> bool:
    """Whether `call` builds a torch layer or container of torch.nn."""
    q = imported_qualname(env, call.func) or ""
    spec = registry.LAYERS.get(q)
    return (spec is not None and spec.fw == "torch") or q in CONTAINERS


def torch_module_made(ctx, env, call) -> str | None:
    """The name of the module `call` builds, when it builds one: a torch layer or container, or
    an instance of a class of the file whose bases reach `torch.nn.Module` (or a torch layer);
    None otherwise."""
    if torch_layer_made(env, call):
        return (imported_qualname(env, call.func) or "").rsplit(".", 1)[-1]
    if isinstance(call.func, cst.Name) and call.func.value in module_classes(ctx, env):
        return call.func.value
    return None


def module_classes(ctx, env) -> frozenset:
    """The names of the file's module-level classes that derive from a torch module, through
    torch.nn or through other classes of the file; a name defined twice counts only when every
    definition does."""
    bases: dict = {}
    for defs in per_chunk(ctx, ("module class bases",), _class_bases):
        for name, heads in defs:
            bases.setdefault(name, []).append(heads)
    out: set = set()
    changed = True
    while changed:
        changed = False
        for name, defs in bases.items():
            if name in out:
                continue
            if all(any(torch_module_base(env, h) or h in out for h in heads) for heads in defs):
                out.add(name)
                changed = True
    return frozenset(out)


def torch_module_base(env, head: str) -> bool:
    first, _, rest = head.partition(".")
    v = env.get(first) if first else None
    if not isinstance(v, Ref):
        return False
    q = registry.canonical(v.qualname + ("." + rest if rest else ""))
    if q in ("torch.nn.Module", "torch.nn.modules.module.Module") or q in CONTAINERS:
        return True
    spec = registry.LAYERS.get(q)
    return spec is not None and spec.fw == "torch"


def class_defs(ctx) -> dict:
    """Name -> the module-level class definitions of that name, over every chunk."""
    out: dict = {}
    for defs in per_chunk(ctx, ("module class defs",), _class_defs):
        for d in defs:
            out.setdefault(d.name.value, []).append(d)
    return out


def _class_defs(module) -> list:
    return [s for s in module.body if isinstance(s, cst.ClassDef)]


def _class_bases(module) -> list:
    """(name, the dotted texts of its bases) for each class at the chunk's top level."""
    out = []
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            out.append((stmt.name.value, tuple(dotted(b.value) for b in stmt.bases if b.keyword is None)))
    return out


def scope_bindings(scope) -> tuple:
    """The own code of `scope` (a function or a chunk's module; nested definitions left out):
    name -> the values assigned to it in order (None where the name is part of a larger
    target), and the names bound otherwise (augmented or annotated assignment, loop target,
    `with ... as`, `except ... as`, import alias, `global`, `nonlocal`, `del`, `:=`)."""
    values: dict = {}
    stops: set = set()
    for n in descendants(scope, prune=_SCOPES):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                for name in dict.fromkeys(m.value for m in [t.target, *descendants(t.target)] if isinstance(m, cst.Name)):
                    values.setdefault(name, []).append(n.value if isinstance(t.target, cst.Name) else None)
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            stops.update(_names(n.target))
        elif isinstance(n, cst.AsName):
            stops.update(_names(n.name))
        elif isinstance(n, (cst.Global, cst.Nonlocal)):
            stops.update(item.name.value for item in n.names)
        elif isinstance(n, cst.Del):
            stops.update(_names(n.target))
        elif isinstance(n, cst.ImportAlias) and n.asname is None:
            stops.add(dotted(n.name).partition(".")[0])
    return values, stops


def _names(target) -> list:
    return [m.value for m in [target, *descendants(target)] if isinstance(m, cst.Name)]
