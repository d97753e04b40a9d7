import collections
import re

import libcst as cst

from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import function_defs, module_calls, scope_calls, scope_roots, text_fact
from ._training import import_names, parents
from ._module_nodes import module_nodes_by_name
from ._project_returns import (builds_value, definition_without_value, defs_without_value, ends_without_value,
                               imported_without_value, importer_use)
from ._returns import completes, never_returns_value, returns_value, says_none, tested
from ._trees import per_chunk, per_chunk_statements

_FRAMEWORKS = ("tensorflow", "torch", "keras", "numpy", "jax")
_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def framework_names(ctx) -> frozenset:
    """Local names bound by imports of a tensor framework (`tf`, `torch`, `F`, `nn`, `np`, `K`):
    calls through them want tensors or arrays, never None."""
    return text_fact(ctx, "framework import names", lambda _text: import_names(ctx, _FRAMEWORKS, module_level=True),
                     pure=False)


_VALUE_BEFORE = frozenset("=([{,:+-*/%<>")
_VALUE_WORDS = ("return", "in", "and", "or", "not", "yield", "if", "elif", "while", "else", "assert", "await", "lambda")


def _names_called_for_value(text: str) -> frozenset:
    """The names the text calls somewhere where the result is read: after `=`, an operator, an
    opening bracket, a comma, or a keyword that reads a value (`return`, `if`, `and`, `not`, ...),
    not as `obj.name(...)`. One pass for the whole file: each `name(` is found by its bracket in
    the text read backwards (a pattern led by a literal), not by a search per function."""
    found = set()
    end = len(text)
    for m in _BRACKET_AFTER_NAME.finditer(text[::-1]):
        at = end - m.end(1)
        name = text[at:end - m.start(1)]
        if name in found or name[0].isdigit() or (at and text[at - 1] == "."):
            continue  # a number, or a method or attribute: `obj.name(...)`
        before = text[max(0, at - 12):at].rstrip()
        if before[-1:] in _VALUE_BEFORE or any(
                before.endswith(word) and not (before[:-len(word)][-1:].isalnum() or before[:-len(word)][-1:] == "_")
                for word in _VALUE_WORDS):
            found.add(name)
    return frozenset(found)


# a bracket with the name called before it, in the text read backwards: `(`, spaces, the name
_BRACKET_AFTER_NAME = re.compile(r"\(\s*(\w+)")


def _starts_indented_call(text: str, names) -> bool:
    """Whether an indented line starts with a call through one of `names` (`    tf.nn.softmax(`):
    a search for each name where there are few (the usual `tf`, `np`, `torch`), else one search
    for every indented line that starts with a dotted name and goes on to a call, its head looked
    up in `names` (one pattern for every file: a pattern made of a file's own names would be
    compiled anew for most files)."""
    if len(names) > 6:
        if text.startswith((" ", "\t")):  # the first line (the pattern finds lines after a newline)
            m = _INDENTED_FIRST.match(text)
            if m is not None and m.group(1).partition(".")[0] in names:
                return True
        return any(m.group(1).partition(".")[0] in names for m in _INDENTED_CALL.finditer(text))
    for name in names:
        for at in _spelled(text, name):
            if _CALL_AFTER_NAME.match(text, at + len(name)) is not None:
                line = text.rfind("\n", 0, at) + 1
                if line < at and not text[line:at].strip(" \t"):
                    return True
    return False


# an indented line's leading dotted name (`tf.nn.softmax`, or a word: `return`) where the line goes
# on to an opening bracket through names, dots and spaces alone: a call through the name's head.
# The pattern begins with the newline before the line, a literal, which the regex engine finds
# fast (one that begins with a choice of the text's start or a newline is tried at every position);
# the text's first line is read on its own
_INDENTED_CALL = re.compile(r"\n[ \t]+([\w.]+)(?=[\w. \t]*\()")
_INDENTED_FIRST = re.compile(r"[ \t]+([\w.]+)(?=[\w. \t]*\()")
# what follows a name called through (`_starts_indented_call`): the name ends, and a dotted name
# goes on to an opening bracket. Each spelling of the name is tried with it: a pattern made for
# each name would be compiled anew for most of them (a run meets hundreds of import names)
_CALL_AFTER_NAME = re.compile(r"(?!\w)[\w. \t]*\(")


def _spelled(text: str, word: str):
    """Where `word` is spelled in `text`, left to right (a search for the literal; a pattern
    made for each name would be compiled anew for most names of most files)."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _dropped_calls(ctx, names) -> set:
    """The ids of the calls that a statement of their own computes and drops through one of
    `names` (`tf.nn.sigmoid_cross_entropy_with_logits(...)` written without `return`), anywhere
    in the file: each chunk's statement calls, with the head of their names, listed once per tree."""
    parts = per_chunk_statements(ctx, ("statement calls",), _statement_calls)
    return {id(call) for part in parts for head, call in part if head in names}


def _statement_calls(found) -> list:
    return [(dotted(s.value.func).split(".")[0], s.value) for s in found
            if type(s) is cst.Expr and type(s.value) is cst.Call]  # (exact types: libcst's are ABCs)


def _dropped_framework_call(ctx, chunk, func, dropped):
    """The first call of `func`'s own body (nested functions and classes are their own) among the
    `dropped` ones (`_dropped_calls`), from the calls of its scope in source order."""
    for call in scope_calls(ctx, chunk, func):
        if id(call) in dropped:
            return call
    return None


def _all_bindings(scope) -> collections.Counter:
    """name -> how many times `scope`'s own code binds it (def, class, assignment, import, loop,
    `with ... as`, parameter; nested definitions by their names only), for every name in one
    walk."""
    count: collections.Counter = collections.Counter()

    def bind(names):
        count.update(set(names))

    if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
        p = scope.params
        count.update(x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params))
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                count[star.name.value] += 1
    roots = [scope.body] if isinstance(scope, (cst.FunctionDef, cst.Lambda)) else [scope]
    for root in roots:
        for node in descendants(root, prune=_OWN):
            kind = type(node)  # (exact types: libcst's classes are ABCs, slow under isinstance)
            if kind in (cst.FunctionDef, cst.ClassDef) and node is not scope:
                count[node.name.value] += 1
            elif kind is cst.Assign:
                for t in node.targets:
                    bind(store_names(t.target))
            elif kind in (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr):
                bind(store_names(node.target))
            elif kind is cst.WithItem and node.asname is not None:
                bind(store_names(node.asname.name))
            elif kind in (cst.Global, cst.Nonlocal):
                bind(n.name.value for n in node.names)
            elif kind is cst.Import:
                bind(a.asname.name.value if a.asname else dotted(a.name).split(".")[0]
                     for a in node.names if isinstance(a.asname, cst.AsName) or a.asname is None)
            elif kind is cst.ImportFrom:
                if isinstance(node.names, cst.ImportStar):
                    continue  # a star import binds names the file does not show; the def comes after it
                bind((a.asname.name if a.asname else a.name).value for a in node.names)
    return count


def _bound_times(ctx, roots, name: str) -> int:
    """How many times the code of `roots` binds `name`: the chunks of the module counted once
    per chunk tree (kept across edits), a function's body once per run."""
    if roots and isinstance(roots[0], cst.Module):
        return sum(c[name] for c in per_chunk(ctx, ("tl421 bindings",), _all_bindings))
    counts = ctx.__dict__.setdefault("_tl421_bindings", {})  # id(root) -> (root, its bindings)
    total = 0
    for r in roots:
        got = counts.get(id(r))
        if got is None or got[0] is not r:
            got = counts[id(r)] = (r, _all_bindings(r))
        total += got[1][name]
    return total


def _calls_of(ctx, roots, name: str):
    """The calls `name(...)` in the code of `roots`, in source order."""
    if roots and isinstance(roots[0], cst.Module):
        for call in module_calls(ctx):  # (the file's shared index of calls: no walk of its own)
            if type(call.func) is cst.Name and call.func.value == name:
                yield call
        return
    for root in roots:
        for call in descendants(root):
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == name:
                yield call


def _name_of(node) -> tuple:
    return (node.value,)


def _names_read(ctx, roots, name: str):
    """The `Name` nodes spelling `name` in the own code of `roots` (nested definitions left
    out), in source order."""
    if roots and isinstance(roots[0], cst.Module):
        for index in module_nodes_by_name(ctx, (cst.Name,), _name_of):
            yield from index.get(name, ())
        return
    for root in roots:
        for node in descendants(root, prune=_OWN):
            if isinstance(node, cst.Name) and node.value == name:
                yield node


class MissingReturnValue(Rule):
    """
    ## What it does
    Finds a call of a function of the file that never returns a value (no `return` with a
    value, so every call gives `None`) whose body computes a TensorFlow / PyTorch / NumPy call
    and drops it, where the call's result is used as a tensor: passed to a framework function
    (`tf.reduce_mean`, `torch.mean`, `optimizer.minimize`), used in arithmetic, indexed, or
    asked for an attribute (`.mean()`, `.backward()`), directly or through a name the call is
    assigned to once (`loss = helper(...)`, then `loss.backward()`). Plain functions only (a
    nested `def` included): a method reached through `self` may be overridden.

    Also a function that computes nothing it drops but ends without a value on every path (a
    model factory that builds and prints the model and forgets `return model`), defined in the
    file, where its result is used as an object: asked for an attribute (`model.compile(...)`), indexed, called or used in
    arithmetic. Only where the end of the body is surely reached (its last statement does not
    raise or exit, and is no `while` or `try`), and never where the caller tests the result
    (`if model is not None`, `model or default`) or hands it to another function first, nor
    where the body spells `return None` (an exercise's stub says so on purpose).

    Across the files of a project the same holds for a top-level function of a project module
    (`from model import get_model`, `from .model import get_model as build`): the call in the
    importing file is reported, naming the module's line. When the module itself is checked, a
    function of it that it never calls for its value is reported where its body ends if a file
    beside it imports it (`from model import get_model`, `import model`) and uses the result so,
    naming that file's line. Only with `follow-imports` on (the default).

    ## Why is this bad?
    The helper was meant to return what it computes: a loss wrapper written
    `tf.nn.sigmoid_cross_entropy_with_logits(...)` instead of `return tf.nn.sigmoid_...`. Every
    caller gets `None`, and `tf.reduce_mean(None)` raises `ValueError: None values not
    supported`, `None + x` a `TypeError`, `None.backward()` an `AttributeError`; the model never
    trains. A factory that forgets to return its model makes the training script fail at
    `model.compile` (`'NoneType' object has no attribute 'compile'`), far from the function
    that is wrong.

    ## Example
    ```python
    def bce(logits, labels):
        tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=labels)

    d_loss = tf.reduce_mean(bce(d_logits, tf.ones_like(d_logits)))
    ```

    ## Use instead
    ```python
    def bce(logits, labels):
        return tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=labels)
    ```

    ## Fix safety
    There is no automatic fix: which value the function should return is the author's choice.
    """

    code = "TL421"
    name = "missing-return-value"
    severity = Severity.ERROR
    summary = ("A function that returns nothing (it drops the tensor it computes, or ends after building a model) "
               "is used for its value: every caller gets None.")
    failing = (
        "import tensorflow as tf\n\n\ndef bce(x, y):\n    tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)\n\n\n"
        "logits = tf.zeros([4, 1])\nloss = tf.reduce_mean(bce(logits, tf.ones_like(logits)))  # TL421\n",
        "import torch.nn as nn\n\n\ndef get_model(hidden):\n    model = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), "
        "nn.Linear(hidden, 1))\n    print(model)\n\n\nmodel = get_model(8)  # TL421\nmodel.train()\n",
    )
    passing = (
        "import tensorflow as tf\n\n\ndef bce(x, y):\n    return tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)\n\n\n"
        "logits = tf.zeros([4, 1])\nloss = tf.reduce_mean(bce(logits, tf.ones_like(logits)))\n",
    )
    lookalikes = (
        # a helper that only logs: its result is not used
        "import torch\n\n\ndef log_norm(t):\n    print(torch.norm(t))\n\n\nx = torch.ones(3)\nlog_norm(x)\ny = x * 2\n",
        # a helper that updates state in place and returns nothing; its call stands alone
        "import torch\n\n\ndef clip(model):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n\n\n"
        "model = torch.nn.Linear(2, 1)\nclip(model)\n",
        # a factory whose caller tests the result before using it
        "import torch.nn as nn\n\n\ndef cached_model():\n    print('no cached model')\n\n\n"
        "model = cached_model()\nif model is None:\n    model = nn.Linear(4, 1)\nmodel.train()\n",
    )

    def on_module(self, ctx, ev):
        if "import" in ctx.text:
            self._check_imported(ctx)
        if "def " not in ctx.text:
            return
        names = framework_names(ctx)
        if not names:
            return
        # (without an indented line that starts with a framework call no function drops one)
        calls = _dropped_calls(ctx, names) if _starts_indented_call(ctx.text, names) else set()
        suspends = "yield" in ctx.text or "await" in ctx.text  # else no function is a generator
        called = text_fact(ctx, "TL421 names called for value", _names_called_for_value)
        for chunk, func in function_defs(ctx):
            if func.decorators or func.asynchronous is not None:
                continue
            if func.name.value not in called:
                if func.name.value in text_fact(ctx, "TL421 top-level defs without value", defs_without_value) and any(
                        s is func for s in ctx.chunks[chunk].module.body) and ends_without_value(func) and builds_value(func):
                    self._check_importers(ctx, func)  # only ever a statement here: perhaps called beside
                continue
            if returns_value(func) or not never_returns_value(func, suspends):
                continue
            dropped = _dropped_framework_call(ctx, chunk, func, calls) if calls else None
            if dropped is not None:
                self._check(ctx, func, names, dropped)
            elif completes(func.body) and not says_none(func):
                if (not self._check(ctx, func, names, None) and builds_value(func)
                        and any(s is func for s in ctx.chunks[chunk].module.body)):
                    self._check_importers(ctx, func)

    def _check_imported(self, ctx):
        """A function of a project module (`from model import get_model`) that ends without a
        value on every path, called here for its value: reported at the call, naming the module's
        line. The module is read only for a name whose call here is used as an object."""
        found = imported_without_value(ctx, lambda: text_fact(ctx, "TL421 names called for value", _names_called_for_value))
        if not found:
            return
        p = parents(ctx)
        roots = [c.module for c in ctx.chunks]
        for local, path, name in found:
            if _bound_times(ctx, roots, local) != 1:
                continue
            uses = [(call, use) for call in _calls_of(ctx, roots, local) if self._resolves(ctx, p, call, roots[0], local)
                    for use in (self._use(p, call, frozenset()) or self._use_through_name(ctx, p, call, frozenset(), True),)
                    if use is not None]
            got = definition_without_value(ctx, path, name) if uses else None
            if got is None:
                continue
            func, where = got
            for call, use in uses:
                ctx.report(self, call, f"`{func.name.value}` ({where}) ends without returning a value on every path: "
                                       f"it returns None, and {use}")

    def _check_importers(self, ctx, func):
        """A function of this file that ends without a value on every path and that this file never
        calls for its value, whose result a file beside it (`train.py`: `model = get_model()`,
        then `model.compile(...)`) uses as an object: reported where the body ends, naming that use."""
        if _bound_times(ctx, [c.module for c in ctx.chunks], func.name.value) != 1:
            return  # the module binds the name again: importers may get the other binding
        got = importer_use(ctx, func.name.value)
        if got is None:
            return
        where, use = got
        body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
        ctx.report(self, body[-1] if body else func,
                   f"`{func.name.value}` ends here without returning a value on every path: its call at {where} "
                   f"gets None, and {use}", related=[(func, f"`{func.name.value}` is defined here")])

    def _check(self, ctx, func, names, dropped) -> bool:
        """`dropped`: the framework call the body computes and drops; None for a function that
        simply ends without a value, whose result counts only where it is used as an object
        (an attribute, an index, a call, arithmetic) and never tested against None. Whether it reported."""
        p = parents(ctx)
        scope = p.parent.get(func)
        while scope is not None and not isinstance(scope, (cst.FunctionDef, cst.ClassDef, cst.Module)):
            scope = p.parent.get(scope)
        if scope is None or isinstance(scope, cst.ClassDef):
            return False  # a method: a subclass may override what a call on `self` reaches
        name = func.name.value
        roots = scope_roots(ctx, scope)
        if _bound_times(ctx, roots, name) != 1:
            return False
        names = names if dropped is not None else frozenset()
        reported = False
        for call in _calls_of(ctx, roots, name):
            use = self._use(p, call, names) or self._use_through_name(ctx, p, call, names, dropped is None)
            if use is None or not self._resolves(ctx, p, call, scope, name):
                continue
            reported = True
            if dropped is not None:
                ctx.report(self, call,
                           f"`{name}` (line {ctx.line(func)}) computes "
                           f"`{dotted(dropped.func)}(...)` and drops it: it returns None, and {use}",
                           related=[(dropped, "computed here, never returned"), (func, f"`{name}` is defined here")])
            else:
                ctx.report(self, call,
                           f"`{name}` (line {ctx.line(func)}) ends without returning a value on every path: "
                           f"it returns None, and {use}",
                           related=[(func, f"`{name}` is defined here, with no `return` of a value")])
        return reported

    @staticmethod
    def _resolves(ctx, p, call, scope, name) -> bool:
        """Whether `name` at `call` is the binding of `scope` (no function between rebinds it).
        (A function's bindings are counted once per analysis, however many calls it holds.)"""
        for a in p.ancestors(call):
            if a is scope or isinstance(a, cst.Module):
                return a is scope or isinstance(scope, cst.Module)
            if isinstance(a, (cst.FunctionDef, cst.Lambda)) and _bound_times(ctx, [a], name):
                return False
        return False

    def _use_through_name(self, ctx, p, call, names, unguarded=False) -> str | None:
        """`loss = helper(...)` and then `loss.backward()` / `tf.reduce_mean(loss)`: the use of the
        name, when its scope binds it only there. `unguarded`: none when some read of the name
        tests it (`if model is None`, `model or default`, `if model:`)."""
        stmt = p.parent.get(call)
        if not (isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, cst.Name)):
            return None
        var = stmt.targets[0].target.value
        scope = p.scope(call)
        roots = scope_roots(ctx, scope) if isinstance(scope, cst.Module) else [scope]
        if scope is None or _bound_times(ctx, roots, var) != 1:
            return None
        reads = [node for node in _names_read(ctx, roots, var) if node is not stmt.targets[0].target]
        if unguarded and any(tested(p, node) for node in reads):
            return None
        for node in reads:
            use = self._use(p, node, names)
            if use is not None:
                return f"`{var}` (line {ctx.line(node)}): {use}"
        return None

    @staticmethod
    def _use(p, call, names) -> str | None:
        """How the caller uses the None it gets, when that use needs a value."""
        parent = p.parent.get(call)
        if isinstance(parent, cst.Arg):
            outer = p.parent.get(parent)
            if isinstance(outer, cst.Call) and outer.func is not call:
                path = dotted(outer.func)
                if path.split(".")[0] in names:
                    return f"`{path}` receives None"
                if isinstance(outer.func, cst.Attribute) and outer.func.attr.value in ("minimize", "backward", "run"):
                    return f"`.{outer.func.attr.value}()` receives None"
            return None
        if isinstance(parent, cst.BinaryOperation):
            return "the arithmetic on it fails (TypeError on None)"
        if isinstance(parent, cst.Attribute) and parent.value is call:
            return f"`.{parent.attr.value}` on it fails (AttributeError on None)"
        if isinstance(parent, cst.Subscript) and parent.value is call:
            return "indexing it fails (TypeError on None)"
        if isinstance(parent, cst.Call) and parent.func is call:
            return "calling it fails (TypeError on None)"
        return None
