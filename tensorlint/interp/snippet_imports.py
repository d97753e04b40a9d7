"""Names a snippet reads without importing them.

Code posted to ask about a bug often leaves its imports out: `model = Sequential()`,
`nn.Linear(784, 10)`, `tf.placeholder(...)` with no `import` line. A name that nothing in the
whole file binds (no assignment, definition, parameter, import, `global` or `*` import
anywhere, in any scope) cannot be the program's own, and the names below have one reading
that tutorials and documentation spell the same way: `np` is NumPy, `nn` is `torch.nn`,
`Dense` is the Keras layer. Such a name is read as that import, so what the snippet builds is
known. A name the file binds anywhere, one that lines which do not parse spell (they may bind
it: an import the analysis cannot read), or one without a single conventional reading, stays
unknown."""
from __future__ import annotations

import re

import libcst as cst

from ..cstwalk import code_children
from ..scopes import target_names
from ..frameworks import canonical, known_api, ref
from ..values import UNKNOWN, Value

# aliases whose meaning does not depend on the framework the snippet uses
MODULES = {
    "np": "numpy",
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "optim": "torch.optim",
    "tf": "tensorflow",
    "keras": "keras",
    "layers": "keras.layers",
    "np_utils": "keras.utils.np_utils",
}
# modules whose public names are read bare (`Dense`, `Sequential`, `to_categorical`), in order
KERAS_MODULES = ("keras.layers", "keras.models", "keras.optimizers", "keras.losses", "keras.utils",
                 "keras.callbacks")
TORCH_MODULES = ("torch.utils.data", "torch.autograd")
_ROOTS = {"torch": "torch", "torchvision": "torch", "keras": "keras", "tensorflow": "keras", "tf": "keras"}


def _file_facts(chunks, text: str) -> tuple:
    """(every name the file binds anywhere, the frameworks its imports name, the text of the
    lines no chunk holds: statements that do not parse, which may bind any name they spell)."""
    bound: set = set()
    frameworks: set = set()
    covered: set = set()
    for chunk in chunks:
        memo = chunk.memo
        got = memo.get("snippet names")
        if got is None:
            got = memo["snippet names"] = _chunk_facts(chunk.module)
        bound |= got[0]
        frameworks |= got[1]
        covered.update(range(chunk.line_offset, chunk.line_offset + len(chunk.text.splitlines())))
    lines = text.splitlines()
    left_out = "\n".join(line for i, line in enumerate(lines) if i not in covered) if len(covered) < len(lines) else ""
    return bound, frameworks, left_out


def _chunk_facts(module) -> tuple:
    bound: set = set()
    frameworks: set = set()
    stack = [module]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is cst.Import or kind is cst.ImportFrom:
            _imports(n, bound, frameworks)
            continue
        if kind is cst.FunctionDef or kind is cst.ClassDef:
            bound.add(n.name.value)
        elif kind is cst.Param:
            bound.add(n.name.value)
        elif kind is cst.Global or kind is cst.Nonlocal:
            bound.update(item.name.value for item in n.names)
        elif kind is cst.AssignTarget or kind is cst.For or kind is cst.CompFor:
            bound |= target_names(n.target)
        elif kind is cst.AsName:
            bound |= target_names(n.name)
        elif kind is cst.AugAssign or kind is cst.AnnAssign or kind is cst.NamedExpr:
            bound |= target_names(n.target)
        elif kind is cst.Call and isinstance(n.func, cst.Name) and n.func.value in ("exec", "globals", "locals", "vars"):
            bound.add("*")  # names made at run time: any name may be bound
        stack.extend(code_children(n))
    return frozenset(bound), frozenset(frameworks)


def _imports(n, bound: set, frameworks: set) -> None:
    if isinstance(n, cst.ImportFrom):
        if isinstance(n.names, cst.ImportStar):
            bound.add("*")
        mod = n.module
        while isinstance(mod, cst.Attribute):
            mod = mod.value
        if isinstance(mod, cst.Name) and not n.relative:
            frameworks.add(_ROOTS.get(mod.value, ""))
        names = () if isinstance(n.names, cst.ImportStar) else n.names
    else:
        names = n.names
    for alias in names:
        top = alias.name
        while isinstance(top, cst.Attribute):
            top = top.value
        if isinstance(n, cst.Import) and isinstance(top, cst.Name):
            frameworks.add(_ROOTS.get(top.value, ""))
        if alias.asname is not None:
            bound |= target_names(alias.asname.name)
        elif isinstance(top, cst.Name):
            bound.add(top.value)
        elif isinstance(alias.name, cst.Name):
            bound.add(alias.name.value)


def conventional(interp, name: str) -> Value:
    """What a name nothing in the file binds reads as in a snippet that left its imports out,
    or UNKNOWN. Whether the file binds the name anywhere (a walk of every tree) is asked only of
    a name with a conventional reading: most names a library's code reads unbound have none."""
    mod = MODULES.get(name)
    if mod is None:
        if not name[:1].isupper() and "_" not in name:
            return UNKNOWN  # bare functions are read only when their name is unmistakable (`to_categorical`)
        readings = _readings(name)
        if not readings:
            return UNKNOWN
    facts = getattr(interp, "snippet_facts", None)
    if facts is None:
        facts = interp.snippet_facts = _file_facts(interp.chunks, interp.text or "")
    bound, frameworks, left_out = facts
    if name in bound or "*" in bound or left_out and re.search(rf"\b{re.escape(name)}\b", left_out):
        return UNKNOWN
    if mod is not None:
        return ref(mod)
    if "torch" in frameworks and "keras" not in frameworks:
        order = TORCH_MODULES
    elif "keras" in frameworks and "torch" not in frameworks:
        order = KERAS_MODULES
    else:
        order = KERAS_MODULES + TORCH_MODULES
    for module in order:
        q = readings.get(module)
        if q is not None:
            return ref(q)
    return UNKNOWN


def _readings(name: str) -> dict:
    """module -> the API `name` is in that module of KERAS_MODULES and TORCH_MODULES, for those
    whose tables know it."""
    return {module: q for module in KERAS_MODULES + TORCH_MODULES
            for q in [canonical(module + "." + name)] if known_api(q)}
