"""Functions without a value across the files of a project: a function imported from a project
module (`from model import get_model`) that ends without returning a value, and, for a
function of the checked file, the files beside it that import it and use its result.

Read from the syntax alone, and only where a rule asks: the importer's side reads a module
only for a name that the file imports from a project module and calls for its value; the
module's side reads the files beside it only for a function of its own that returns nothing
on every path and that the file itself never calls for its value.
"""
from __future__ import annotations

import ast
import os
import re

import libcst as cst

from tensorlint import project
from tensorlint.cstwalk import code_children, kinds_of
from tensorlint.interp.modules import ProjectRef
from tensorlint.project_importers import binding_counts as _binding_counts
from tensorlint.project_importers import import_words as _import_words
from tensorlint.project_importers import imported_names, importer_places, parents
from tensorlint.project_importers import own_nodes as _own_nodes
from tensorlint.project_importers import scope_of as _scope_of
from tensorlint.project_importers import shadowed as _shadowed
from tensorlint.project_importers import shown as _shown
from tensorlint.project_importers import siblings as _siblings
from tensorlint.syntax import dotted

from ._trees import module_names
from ._returns import OWN, completes, never_returns_value, returns_value, says_none

_OWN_KINDS = kinds_of(*OWN)  # the definitions whose bodies are their own


def ends_without_value(func) -> bool:
    """A plain function that ends without a value on every path and does not say so."""
    return (type(func) is cst.FunctionDef and not func.decorators and func.asynchronous is None
            and not returns_value(func) and never_returns_value(func) and completes(func.body)
            and not says_none(func))


def builds_value(func) -> bool:
    """Whether `func`'s own body builds a value and keeps it to itself: a name assigned once from
    a call (`model = Model(...)`) that the body reads only to call its methods (`model.summary()`)
    or to print it, never handing it on (an argument, a store into something, a `global`). A
    function that only calls others (`def main(): train()`) or files what it makes away
    (`registry[key] = made`, `layers.append(made)`) sends no reader to the files beside it."""
    made, reads, parent = {}, {}, {}
    # one walk of the body's code (not into nested definitions), each node filed under the node
    # whose code it is part of: the parents the reads below are judged by
    stack = [(child, func.body) for child in reversed(code_children(func.body))]
    while stack:
        node, up = stack.pop()
        parent[node] = up
        kind = type(node)
        if kind in (cst.Global, cst.Nonlocal):
            return False
        if kind is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
                and type(node.value) is cst.Call:
            name = node.targets[0].target.value
            made[name] = made.get(name, 0) + 1
        elif kind is cst.Name:
            reads.setdefault(node.value, []).append(node)
        if kind not in _OWN_KINDS:
            stack.extend((child, node) for child in reversed(code_children(node)))
    if not made:
        return False
    for name, times in made.items():
        if times != 1:
            continue
        uses = [n for n in reads.get(name, ()) if not (type(parent.get(n)) is cst.AssignTarget)]
        if all(_kept_to_itself(parent, n) for n in uses):
            return True
    return False


def _kept_to_itself(parent, node) -> bool:
    """`made.method(...)`, or `print(made)`: a read that hands the value to nobody else."""
    up = parent.get(node)
    if type(up) is cst.Attribute and up.value is node and type(parent.get(up)) is cst.Call and parent[up].func is up:
        return True
    if type(up) is cst.Arg:
        call = parent.get(up)
        return type(call) is cst.Call and type(call.func) is cst.Name and call.func.value == "print"
    return False


def _top_level_function(tree, name: str):
    found = None
    for stmt in tree.body:
        if type(stmt) in (cst.FunctionDef, cst.ClassDef) and stmt.name.value == name:
            found = stmt
        elif type(stmt) is cst.SimpleStatementLine and any(
                type(s) in (cst.Assign, cst.ImportFrom, cst.Import) for s in stmt.body):
            if name in top_level_bindings(stmt):
                found = None  # rebound after the def: not the function
    return found


def top_level_bindings(stmt) -> set:
    """Names a simple statement line binds at the top level (assignments and imports)."""
    out = set()
    for s in stmt.body:
        if type(s) is cst.Assign:
            out |= {t.target.value for t in s.targets if type(t.target) is cst.Name}
        elif type(s) is cst.ImportFrom and type(s.names) is not cst.ImportStar:
            out |= {(a.asname.name if a.asname else a.name).value for a in s.names}
        elif type(s) is cst.Import:
            out |= {a.asname.name.value if a.asname else dotted(a.name).split(".")[0] for a in s.names}
    return out


def imported_without_value(ctx, called) -> list:
    """(local name, module path, name there) for each name the file imports at its top level
    from a project module (`from model import get_model as build`) and calls for its value
    (`called()`: those names), where the module's text defines it with no `return` of a value
    (`definition_without_value` parses the module to be sure)."""
    if not ctx.path or ctx.path.startswith("<") or not getattr(ctx.config, "follow_imports", False):
        return []
    # the names the analysis bound to a project module's definition (it found the module as it
    # ran the imports): no search of its own
    wanted = [(local, v.path, v.attr) for local, v in module_names(ctx).items()
              if type(v) is ProjectRef and v.attr is not None and v.depth == 1]
    if not wanted:
        return []
    names = called()
    return [(local, path, name) for local, path, name in wanted
            if local in names and name in _defs_without_value(path)]


def definition_without_value(ctx, path: str, name: str):
    """(`def` node, `model.py:4`) of the module's top-level function `name` when it ends without
    a value on every path, else None."""
    module = project.load(path)
    func = _top_level_function(module.tree, name) if module is not None and module.tree is not None else None
    if func is None or not ends_without_value(func):
        return None
    ctx.dependencies.add(os.path.abspath(path))
    return func, f"{_shown(ctx.path, path)}:{module.line_of(func)}"


def _defs_without_value(path: str) -> frozenset:
    """The functions the module's text defines at its top level with a body that spells no
    `return` of a value and no `yield` (a search of the text, before any parse), found once
    while the file is unchanged."""
    stamp = project.stamp_of(path)
    hit = _no_value.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    _no_value[path] = (stamp, defs_without_value(project.current_text(path)))
    return _no_value[path][1]


def defs_without_value(text: str) -> frozenset:
    """`_defs_without_value` of a text."""
    names = set()
    first = _TOP_LEVEL_DEF.match(text) if text.startswith("def") else None
    for m in ((first,) if first else ()) + tuple(_LATER_TOP_LEVEL_DEF.finditer(text)):
        end = _TOP_LEVEL_LINE.search(text, m.end())
        if _RETURNS_VALUE.search(text, m.end(), end.start() if end else len(text)) is None:
            names.add(m.group(1))
    return frozenset(names)


_no_value: dict = {}  # path -> (stamp, `_defs_without_value`)
# each pattern led by literals (a search tries only where one starts), the word boundary before
# `return` and `yield` checked behind them: the matches `\b(?:return...|yield\b)` and
# `^def...` (multi-line) find, where a leading `\b` or `^` had the search try every position
_RETURNS_VALUE = re.compile(r"(?:return(?<!\wreturn)[ \t]*(?!None\b|[ \t]*(?:#|;|\n|$))\S|yield(?<!\wyield)\b)")
_TOP_LEVEL_DEF = re.compile(r"def[ \t]+(\w+)[ \t]*\(")  # at the text's start
_LATER_TOP_LEVEL_DEF = re.compile(r"\ndef[ \t]+(\w+)[ \t]*\(")
_TOP_LEVEL_LINE = re.compile(r"\n(?=[^\s#])")


# -- the module's side: the files beside it that use what it returns ---------------------------------


def importer_use(ctx, name: str):
    """(`train.py:57`, the call's line, and how it uses None) for the first file beside the checked one that imports
    `name` from it (`from model import get_model`, `from .model import get_model`, or `import
    model` and `model.get_model(...)`) and uses the call's result as an object without testing
    it; None when no file does."""
    if not ctx.path or ctx.path.startswith("<") or not getattr(ctx.config, "follow_imports", False):
        return None
    here = os.path.abspath(ctx.path)
    folder, stem = os.path.dirname(here), os.path.splitext(os.path.basename(here))[0]
    texts = ctx.__dict__.get("_tl421_siblings")
    if texts is None:  # once per analysis: the files beside it whose import lines name this module
        texts = ctx.__dict__["_tl421_siblings"] = [
            (path, project.current_text(path)) for path in _siblings(folder) if path != here and stem in _import_words(path)]
    for sibling, text in texts:
        if name not in text:  # (imported under another name, it is called by that one)
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        use = _use_in(tree, stem, name)
        if use is not None:
            ctx.dependencies.add(sibling)
            return f"{os.path.basename(sibling)}:{use[0]}", use[1]
    return None


def _use_in(tree, stem: str, name: str):
    """(the call's line, how it is used) for the first call of `name` from the module `stem` in `tree` whose result is
    used as an object, directly or through a name bound once in its scope and never tested."""
    locals_, modules = set(), set()
    for stmt in tree.body:
        if type(stmt) is ast.ImportFrom and stmt.module == stem and stmt.level in (0, 1):
            locals_ |= {a.asname or a.name for a in stmt.names if a.name == name}
        elif type(stmt) is ast.Import:
            modules |= {a.asname or a.name for a in stmt.names if a.name == stem}
    if not locals_ and not modules:
        return None
    parent = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parent[child] = node
    counts = _binding_counts(tree)
    for node in ast.walk(tree):
        if type(node) is not ast.Call:
            continue
        f = node.func
        direct = type(f) is ast.Name and f.id in locals_ and counts.get(f.id, 0) == 1
        through = (type(f) is ast.Attribute and f.attr == name and type(f.value) is ast.Name
                   and f.value.id in modules and counts.get(f.value.id, 0) == 1)
        if not (direct or through) or _shadowed(parent, node, f.id if direct else f.value.id):
            continue
        use = _object_use(parent, node) or _use_through_name(parent, node)
        if use is not None:
            return node.lineno, use[1]
    return None


def _object_use(parent, node) -> tuple | None:
    up = parent.get(node)
    kind = type(up)
    if kind is ast.Attribute and up.value is node:
        return up.lineno, f"`.{up.attr}` on it fails (AttributeError on None)"
    if kind is ast.Subscript and up.value is node:
        return up.lineno, "indexing it fails (TypeError on None)"
    if kind is ast.Call and up.func is node:
        return up.lineno, "calling it fails (TypeError on None)"
    if kind is ast.BinOp:
        return up.lineno, "the arithmetic on it fails (TypeError on None)"
    return None


_TESTED = (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.IfExp, ast.If, ast.While, ast.Assert, ast.Call, ast.keyword)


def _use_through_name(parent, call) -> tuple | None:
    """`model = get_model(...)` and then `model.compile(...)`: the first use of the name as an
    object, when its scope binds it only there and no read of it tests it (`if model is None`,
    `model or default`, `isinstance(model, Model)`)."""
    stmt = parent.get(call)
    if not (type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name):
        return None
    var = stmt.targets[0].id
    scope = _scope_of(parent, call)
    if scope is None or type(scope) is ast.Lambda or _binding_counts(scope).get(var) != 1:
        return None
    reads = sorted((n for n in _own_nodes(scope) if type(n) is ast.Name and n.id == var and type(n.ctx) is ast.Load),
                   key=lambda n: (n.lineno, n.col_offset))
    if any(type(parent.get(n)) in _TESTED and not (type(parent.get(n)) is ast.Call and parent[n].func is n)
           for n in reads):
        return None
    for n in reads:
        use = _object_use(parent, n)
        if use is not None:
            return use[0], f"`{var}` (line {use[0]}): {use[1]}"
    return None


# -- the module's side: a value the files of the project feed to a loss that takes logits -------------

# TensorFlow's cross-entropies that apply the softmax or sigmoid themselves: `tf.nn.<name>` and
# TF1's `tf.losses.<name>` (`tf.compat.v1.losses`), which take `logits=`
LOGITS_LOSSES = {"nn": frozenset({"softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
                                  "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits"}),
                 "losses": frozenset({"softmax_cross_entropy", "sparse_softmax_cross_entropy", "sigmoid_cross_entropy"})}
_LOSS_WORDS = re.compile(r"_cross_entropy\b|_cross_entropy_with_logits|Crossentropy\(")


def importer_logits_uses(ctx, name: str) -> list:
    """(`train.py:26`, the position of the returned value the file uses, or None for the whole
    result, the loss's name) for each call of the checked file's top-level function `name` in a
    file of its project (beside it: `from model import f`, `from .model import f`; in the folder
    above: `from include.model import f`) whose result, unpacked into names bound once in their
    scope (`x, y, out = f()`) or bound whole (`out = f()`), goes as `logits=` to one of
    TensorFlow's cross-entropies that take logits (`tf.nn.softmax_cross_entropy_with_logits_v2(
    logits=out, ...)`, `tf.losses.softmax_cross_entropy(y, logits=out)`) in that scope."""
    if not ctx.path or ctx.path.startswith("<") or not getattr(ctx.config, "follow_imports", False):
        return []
    places = ctx.__dict__.get("_logits_importers")
    if places is None:  # once per analysis: the files whose import lines name this module
        places = ctx.__dict__["_logits_importers"] = [(p, project.current_text(p), m, lv)
                                                      for p, m, lv in importer_places(ctx.path)]
    found = []
    for path, text, modules, levels in places:
        if name not in text or not _LOSS_WORDS.search(text):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        uses = _logits_uses_in(tree, modules, levels, name)
        if uses:
            ctx.dependencies.add(path)
            found += [(f"{_shown(ctx.path, path)}:{line}", index, loss) for line, index, loss in uses]
    return found


def _logits_uses_in(tree, modules: frozenset, levels: tuple, name: str) -> list:
    """(the loss call's line, the position used or None, the loss's name) in `tree` (see
    `importer_logits_uses`)."""
    locals_, aliases = imported_names(tree, modules, levels, name)
    if not locals_ and not aliases:
        return []
    parent = parents(tree)
    out = []
    for node in ast.walk(tree):
        if type(node) is not ast.Call:
            continue
        f = node.func
        if type(f) is ast.Name and f.id in locals_:
            local = f.id
        elif type(f) is ast.Attribute and f.attr == name and type(f.value) is ast.Name and f.value.id in aliases:
            local = f.value.id
        else:
            continue
        if _shadowed(parent, node, local):
            continue
        stmt = parent.get(node)
        if type(stmt) is not ast.Assign or len(stmt.targets) != 1 or stmt.value is not node:
            continue
        target = stmt.targets[0]
        if type(target) is ast.Name:
            positions = {target.id: None}
        elif type(target) in (ast.Tuple, ast.List) and all(type(e) is ast.Name for e in target.elts):
            positions = {e.id: k for k, e in enumerate(target.elts)}
            if len(positions) != len(target.elts):
                continue
        else:
            continue
        scope = _scope_of(parent, node)
        once = _binding_counts(scope)
        nodes = list(_own_nodes(scope))
        for inner in nodes:
            if type(inner) is not ast.Call or type(inner.func) is not ast.Attribute:
                continue
            f = inner.func
            if type(f.value) is ast.Attribute and f.attr in LOGITS_LOSSES.get(f.value.attr, ()):
                for kw in inner.keywords:
                    if kw.arg == "logits" and type(kw.value) is ast.Name and kw.value.id in positions \
                            and once.get(kw.value.id, 0) == 1:
                        out.append((inner.lineno, positions[kw.value.id],
                                    f"passes it as `logits=` to tf.{f.value.attr}.{f.attr}"))
            elif f.attr == "compile" and type(f.value) is ast.Name and f.value.id in positions \
                    and once.get(f.value.id, 0) == 1 and _only_trained(nodes, parent, f.value.id):
                loss = _logits_loss_object(inner)
                if loss is not None:
                    out.append((inner.lineno, positions[f.value.id], f"compiles it with {loss}(from_logits=True)"))
    return out


def _logits_loss_object(compile_call) -> str | None:
    """The name of the Keras cross-entropy built with `from_logits=True` that `compile(loss=...)`
    gets (`keras.losses.SparseCategoricalCrossentropy(from_logits=True)`), else None."""
    for kw in compile_call.keywords:
        if kw.arg != "loss" or type(kw.value) is not ast.Call:
            continue
        f = kw.value.func
        short = f.attr if type(f) is ast.Attribute else f.id if type(f) is ast.Name else ""
        if short in ("CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryCrossentropy") and any(
                k.arg == "from_logits" and type(k.value) is ast.Constant and k.value.value is True
                for k in kw.value.keywords):
            return short
    return None


# what a script does with a model another file built that leaves its layers as they were
_MODEL_USES = frozenset({"compile", "fit", "fit_generator", "evaluate", "predict", "summary", "save", "save_weights",
                         "load_weights", "train_on_batch", "test_on_batch", "predict_on_batch"})


def _only_trained(nodes, parent, name: str) -> bool:
    """Whether every read of `name` in the scope's nodes calls one of `_MODEL_USES` on it: no
    layer added, no layer reached, the model handed to no one."""
    for n in nodes:
        if type(n) is ast.Name and n.id == name and type(n.ctx) is ast.Load:
            up = parent.get(n)
            if not (type(up) is ast.Attribute and up.attr in _MODEL_USES and type(parent.get(up)) is ast.Call
                    and parent[up].func is up):
                return False
    return True
