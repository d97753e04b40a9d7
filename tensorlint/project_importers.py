"""The files of a project that import the checked file, read from their syntax alone.

A function of the checked file may be used only by another file of its project: a training
script beside it (`from model import age_mae`, `from .model import age_mae`, `import model as m`)
or in the folder above its package (`from models.model import age_mae`). What that file does with
it can decide what the function is called with. These helpers find such files (the `.py` files
of the same folder, and of the folder above when the checked file's folder is a package name),
read once while they are unchanged, and parse only those whose import lines name the module.
"""
from __future__ import annotations

import ast
import os
import re

from . import project

MAX_SIBLINGS = 64  # files beside a module read for its importers (a folder of more is a library)

_listed: dict = {}  # folder -> (mtime_ns, the .py files in it)
_words: dict = {}  # path -> (stamp, the words of its import lines)
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from|import)[ \t].*$", re.M)


def shown(here: str, path: str) -> str:
    """`path` as a message names it: relative to the folder of `here` when under it."""
    folder = os.path.dirname(os.path.abspath(here))
    full = os.path.abspath(path)
    return os.path.relpath(full, folder) if full.startswith(folder + os.sep) else os.path.basename(full)


def import_words(path: str) -> frozenset:
    """The words of the file's import lines (`from .model import get_model`: from, model,
    import, get_model), read once while the file is unchanged."""
    stamp = project.stamp_of(path)
    hit = _words.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    words = frozenset(re.findall(r"\w+", " ".join(_IMPORT_LINE.findall(project.current_text(path)))))
    _words[path] = (stamp, words)
    return words


def siblings(folder: str) -> list:
    """The `.py` files of `folder` (none for a folder of more than MAX_SIBLINGS)."""
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        return []
    hit = _listed.get(folder)
    if hit is None or hit[0] != stamp:
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            names = []
        hit = _listed[folder] = (stamp, [os.path.join(folder, n) for n in names] if len(names) <= MAX_SIBLINGS else [])
    return hit[1]


def importer_places(path: str) -> list:
    """(importer path, the module names it would import the checked file by, the import levels
    that reach it) for each file that may import the file at `path`: the files beside it whose
    import lines name its module (`model`, at level 0 or 1, or `include.model` at level 0, a
    script of the package run from the folder above), and those of the folder above whose import
    lines name its package and module (`include.model`, level 0)."""
    here = os.path.abspath(path)
    folder, stem = os.path.dirname(here), os.path.splitext(os.path.basename(here))[0]
    above, package = os.path.dirname(folder), os.path.basename(folder)
    beside = [p for p in siblings(folder) if p != here and stem in import_words(p)]
    places = [(p, frozenset({stem}), (0, 1)) for p in beside]
    if above != folder and package.isidentifier():
        qualified = frozenset({f"{package}.{stem}"})
        places += [(p, qualified, (0,)) for p in beside if package in import_words(p)]
        places += [(p, qualified, (0,)) for p in siblings(above) if stem in import_words(p) and package in import_words(p)]
    return places


def imported_names(tree, modules: frozenset, levels: tuple, name: str) -> tuple[set, set]:
    """(local names bound to `name` of the module, local names bound to the module itself) by
    the top-level imports of `tree`, each bound once in the file."""
    locals_, aliases = set(), set()
    for stmt in tree.body:
        if type(stmt) is ast.ImportFrom and stmt.module in modules and stmt.level in levels:
            locals_ |= {a.asname or a.name for a in stmt.names if a.name == name}
        elif type(stmt) is ast.Import and 0 in levels:  # `import model as m`, then `m.build()`
            aliases |= {a.asname or a.name for a in stmt.names if a.name in modules and (a.asname or "." not in a.name)}
    if not locals_ and not aliases:
        return locals_, aliases
    counts = binding_counts(tree)
    return {n for n in locals_ if counts.get(n, 0) == 1}, {n for n in aliases if counts.get(n, 0) == 1}


def parents(tree) -> dict:
    """node -> the node whose child it is, for every node of `tree`."""
    out = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            out[child] = node
    return out


def binding_counts(scope) -> dict:
    """name -> how many times the top level of `scope` binds it (defs, imports, assignments)."""
    counts: dict = {}
    for node in own_nodes(scope):
        names = []
        if type(node) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            names = [node.name]
        elif type(node) in (ast.Import, ast.ImportFrom):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
        elif type(node) is ast.Name and type(node.ctx) is ast.Store:
            names = [node.id]
        elif type(node) is ast.arg:
            names = [node.arg]
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    return counts


def own_nodes(scope):
    """The nodes of `scope`'s own code (a nested def or class counted by its name alone)."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if type(node) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda):
            if type(node) is not ast.Lambda:
                todo.extend(node.decorator_list)
            continue
        todo.extend(ast.iter_child_nodes(node))


def scope_of(parent, node):
    up = parent.get(node)
    while up is not None and type(up) not in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module):
        up = parent.get(up)
    return up


def shadowed(parent, node, local: str) -> bool:
    """Whether a function around `node` binds `local` itself."""
    scope = scope_of(parent, node)
    while scope is not None and type(scope) is not ast.Module:
        if local in binding_counts(scope) or type(scope) is not ast.Lambda and local in {
                a.arg for a in ast.walk(scope.args) if type(a) is ast.arg}:
            return True
        scope = scope_of(parent, scope)
    return False


# -- a function of the checked file that another file hands to Keras' `compile` ----------------------------

# the arguments of `compile` through which Keras calls a function as `fn(y_true, y_pred)`
_OBJECTIVE_KEYWORDS = frozenset({"loss", "metrics", "weighted_metrics"})
_KERAS_WORDS = re.compile(r"\b(?:keras|tensorflow)\b")
_COMPILES = re.compile(r"\.compile\s*\(")
_OBJECTIVE_WORDS = re.compile(r"\b(?:loss|metrics|weighted_metrics)\s*=")
_trees: dict = {}  # path -> (stamp, its `_Compiles`, or None where it does not parse)


def objective_uses(path: str, names: frozenset, changes_float) -> dict:
    """name -> (importer path, line, called) of the first `compile` of a file of the project
    that gets the checked file's top-level function `name` (one of `names`), or what a call of
    it returns (`called`: `loss=focal(gamma=2)`, a factory of the loss), as its `loss=`, or
    among its `metrics=` / `weighted_metrics=` (itself, or an item of a list, tuple or dict of
    them): `from model import age_mae` (or `from .model import ...`, `import model as m` and
    `m.age_mae`), bound once in that file and not rebound in the function around the call.
    Only files that name Keras or TensorFlow, and that do not change the float width or
    precision policy (`changes_float(text)`), count."""
    out: dict = {}
    for importer, modules, levels in importer_places(path):
        text = project.current_text(importer)
        if not any(n in text for n in names) or not _COMPILES.search(text) or not _OBJECTIVE_WORDS.search(text) \
                or not _KERAS_WORDS.search(text) or changes_float(text):
            continue
        read = _read_compiles(importer, text)
        if read is None or not read.refs:
            continue
        for name in sorted(names):
            if name not in out and name in text:
                found = read.compiled_with(modules, levels, name)
                if found is not None:
                    out[name] = (importer, *found)
    return out


class _Compiles:
    """What one file hands Keras' `compile` as functions: (call, called, the local name read:
    a name, or the module alias of `alias.attr`, attr or None) for every such reference, in the
    order of the file; its tree's parents and binding counts made on first need."""

    def __init__(self, tree):
        self.tree = tree
        self.refs = []
        for node in ast.walk(tree):
            if type(node) is not ast.Call or type(node.func) is not ast.Attribute or node.func.attr != "compile":
                continue
            for kw in node.keywords:
                if kw.arg not in _OBJECTIVE_KEYWORDS:
                    continue
                for ref in _objective_refs(kw.value):
                    called = type(ref) is ast.Call
                    if called:
                        ref = ref.func
                    if type(ref) is ast.Name:
                        self.refs.append((node, called, ref.id, None))
                    elif type(ref) is ast.Attribute and type(ref.value) is ast.Name:
                        self.refs.append((node, called, ref.value.id, ref.attr))
        self.refs.sort(key=lambda r: (r[0].lineno, r[0].col_offset))
        self._parent = None

    def compiled_with(self, modules: frozenset, levels: tuple, name: str) -> tuple | None:
        """(line, called) of the first `x.compile(...)` that hands Keras the module's `name` or
        what a call of it returns (see `objective_uses`), or None."""
        locals_, aliases = imported_names(self.tree, modules, levels, name)
        for node, called, local, attr in self.refs:
            if (local in locals_ and attr is None) or (local in aliases and attr == name):
                if self._parent is None:
                    self._parent = parents(self.tree)
                if not shadowed(self._parent, node, local):
                    return node.lineno, called
        return None


def _read_compiles(path: str, text: str):
    """`_Compiles` of the file, read once while it is unchanged (the files of a package import
    each other: each is read for every module it imports), None where it does not parse."""
    stamp = project.stamp_of(path)
    hit = _trees.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        read = _Compiles(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        read = None
    if len(_trees) >= MAX_SIBLINGS:
        _trees.clear()
    _trees[path] = (stamp, read)
    return read


def _objective_refs(value) -> list:
    """The expressions a `compile` argument hands Keras as functions: itself, or the items of a
    list or tuple, or the values of a dict (`loss={"age": age_loss}`)."""
    if type(value) in (ast.List, ast.Tuple):
        return list(value.elts)
    if type(value) is ast.Dict:
        return [v for v in value.values if v is not None]
    return [value]
