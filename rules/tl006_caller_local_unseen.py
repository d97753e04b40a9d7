import builtins
import re

import libcst as cst

from tensorlint.cstwalk import children
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._trees import per_chunk, per_chunk_text, texts_fall_short
from .tl003_name_bound_nowhere import bound_names

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LOOPS = (cst.For, cst.While)
_BUILTINS = frozenset(dir(builtins))
# text that binds module names the syntax does not show (patterns that begin with a literal)
_DYNAMIC = tuple(re.compile(p) for p in (
    r"import\s+\*", r"globals(?<![\w.]globals)\s*\(", r"exec(?<![\w.]exec)(?:file)?\s*\(", r"sys\.modules"))


def _dynamic(text: str) -> bool:
    return any(p.search(text) is not None for p in _DYNAMIC)


class CallerLocalUnseen(Rule):
    """
    ## What it does
    Finds a function (or a method) that reads a name it does not bind, where the module binds
    that name only inside a loop of its top-level code (a value of each pass: the reward of
    the latest `env.step`, the batch of the latest iteration) and every call of the function
    comes from a function that binds a variable of the same name itself and does not pass it:
    `get_target_q_value(self, next_state)` reading `reward`, called from `replay`, whose loop
    unpacks each sampled transition into `reward`. Every use of the function's name in the
    file must be such a call (`self.name(...)` in its own class for a method).

    ## Why is this bad?
    Python looks a name up where the function is defined, not where it is called: the function
    never sees its caller's variable. It reads the module's, which holds whatever the top-level
    loop last stored: the training target of every sampled transition is built from the reward
    of the environment's latest step, and nothing fails. When the module is imported instead of
    run, the top-level loop has not run and the read raises NameError.

    ## Example
    ```python
    def target(next_state):
        return reward + gamma * np.amax(q_model.predict(next_state)[0])

    def replay(batch):
        for state, action, reward, next_state, done in batch:
            q = target(next_state)
    ```

    ## Use instead
    ```python
    def target(next_state, reward):
        return reward + gamma * np.amax(q_model.predict(next_state)[0])

    def replay(batch):
        for state, action, reward, next_state, done in batch:
            q = target(next_state, reward)
    ```

    ## Fix safety
    There is no automatic fix: the value the function needs is the program's to pass.

    A file that binds names in ways its syntax does not show (`import *`, `globals()`, `exec`),
    or whose statements do not all parse, is not checked; nor a name any function declares
    `global`, a name every caller takes only as a parameter that the top-level code fills with the
    module's own variable of that name (one value either way), a name the module binds outside a loop (a setting read everywhere), a function
    nested in another, or a function whose name is used other than by such calls.
    """

    code = "TL006"
    name = "caller-local-unseen"
    severity = Severity.ERROR
    summary = ("A function reads a module-level loop variable while every caller binds its own variable of that "
               "name and does not pass it: the function sees the module's latest value, not its caller's.")
    failing = (
        "import numpy as np\nfrom tensorflow import keras\n\ndef target(next_state):\n    return reward + 0.9 * np.amax(next_state)  # TL006\n\n"
        "def replay(batch):\n    out = []\n    for state, reward, next_state in batch:\n        out.append(target(next_state))\n"
        "    return out\n\nfor episode in range(10):\n    state, reward, next_state = 0, 1.0, np.zeros(2)\n"
        "    replay([(state, reward, next_state)])\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\n\ndef target(next_state, reward):\n    return reward + 0.9 * np.amax(next_state)\n\n"
        "def replay(batch):\n    out = []\n    for state, reward, next_state in batch:\n        out.append(target(next_state, reward))\n"
        "    return out\n\nfor episode in range(10):\n    state, reward, next_state = 0, 1.0, np.zeros(2)\n"
        "    replay([(state, reward, next_state)])\n",
    )
    lookalikes = (
        # a setting bound once at the top level, read by a function whose caller has its own
        "import torch\nGAMMA = 0.9\n\ndef discount(r):\n    return GAMMA * r\n\ndef run(rewards):\n    GAMMA = 0.5\n"
        "    return [discount(r) for r in rewards]\n",
        # a caller at the top level, inside the loop: the module's value is the caller's
        "import torch\ndef show():\n    print(step)\n\nfor step in range(3):\n    show()\n",
        # a caller that does not bind the name, and a function given the name as a parameter
        "import torch\ndef show():\n    print(step)\n\ndef report(step):\n    return step\n\ndef run():\n    show()\n    report(1)\n\n"
        "for step in range(3):\n    run()\n",
        # the name declared global where it is bound
        "import torch\ndef show():\n    print(step)\n\ndef run():\n    global step\n    for step in range(3):\n        show()\n\n"
        "for step in range(3):\n    run()\n",
        # the function's name used as a value too (a callback): other callers may exist
        "import torch\ndef show():\n    print(step)\n\ndef run(items):\n    for step in items:\n        show()\n\n"
        "callbacks = [show]\nfor step in range(3):\n    run([step])\n",
    )

    def on_module(self, ctx, ev):
        if texts_fall_short(ctx) or any(per_chunk_text(ctx, ("TL006 dynamic",), _dynamic)):
            return
        if not any(per_chunk(ctx, ("TL006 top loops",), _has_top_loop)):
            return  # (no loop in the top-level code: no name is bound only in one, and the bindings need no walk)
        loop_only: dict = {}
        for top in per_chunk(ctx, ("TL006 top bindings",), _top_of):
            for name, in_loop in top:
                loop_only[name] = loop_only.get(name, True) and in_loop
        if not any(loop_only.values()):
            return  # (no name bound only in a top-level loop: most files, and the walks below are costly)
        functions: dict = {}
        for found in per_chunk(ctx, ("TL006 functions",), _functions):
            for key, value in found.items():
                functions.setdefault(key, []).append(value)
        facts = declared = None  # the names declared global and the uses of a name: walked for and joined on the first need
        for (cls, fname), defs in functions.items():
            if len(defs) != 1:
                continue
            func, free = defs[0]
            if not any(loop_only.get(name) and name not in _BUILTINS for name in free):
                continue
            if declared is None:
                facts = per_chunk(ctx, ("TL006 facts",), _facts)
                declared = set().union(*(f["declared"] for f in facts))
            callers = _callers([u for f in facts for u in f["uses"].get(fname, ())], cls)
            if not callers:
                continue
            for name, node in free.items():
                if not loop_only.get(name) or name in declared or name in _BUILTINS:
                    continue
                if not all(name in bound_names(g, prune=_SCOPES) for g, _ in callers):
                    continue
                if all(_passed_through(g, name, [u for f in facts for u in f["uses"].get(g.name.value, ())]) for g, _ in callers):
                    continue  # each caller holds the module's own value, passed in by the top level
                caller, call = callers[0][0].name.value, callers[0][1]
                message = (f"`{name}` in `{fname}` is the module's `{name}`, bound only in a top-level loop: its caller "
                           f"`{caller}` (line {ctx.line(call)}) binds its own `{name}`, which `{fname}` never sees "
                           f"(Python looks names up where a function is defined, not where it is called)")
                ctx.report(self, node, message, related=[(call, f"`{caller}` calls `{fname}` without passing `{name}`")])


def _top_of(module) -> list:
    """(name, bound inside a top-level loop) for each top-level binding of the chunk."""
    top: list = []
    _top_bindings(module.body, False, top)
    return top


def _has_top_loop(module) -> bool:
    """Whether the chunk's top-level code (the statements `_top_bindings` reads, in the blocks it
    enters) holds a `for` or `while` loop."""
    todo = [module.body]
    while todo:
        for stmt in todo.pop():
            if isinstance(stmt, _LOOPS):
                return True
            if not isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                todo.extend(_blocks(stmt))
    return False


def _functions(module) -> dict:
    """The chunk's top-level functions and the methods of its top-level classes, with the names
    each reads and does not bind (the first read of each)."""
    functions: dict = {}
    for stmt in module.body:
        if type(stmt) is cst.FunctionDef:
            functions[(None, stmt.name.value)] = (stmt, _free_reads(stmt))
        elif type(stmt) is cst.ClassDef:
            for s in stmt.body.body:
                if type(s) is cst.FunctionDef:
                    functions[(stmt.name.value, s.name.value)] = (s, _free_reads(s))
    return functions


def _facts(module) -> dict:
    """What else the chunk says, read only for a file where a function reads a name bound only
    in a top-level loop: the names declared `global`, and every use of a name or attribute:
    (node, the call it is the callee of or None, the enclosing function or None, the enclosing
    class or None)."""
    declared = {item.name.value for n in descendants(module) if type(n) is cst.Global for item in n.names}
    uses: dict = {}
    _uses(module, None, None, uses)
    return {"declared": declared, "uses": uses}


def _top_bindings(body, in_loop, out) -> None:
    for stmt in body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            out.append((stmt.name.value, in_loop))
            continue
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            out.extend((name, in_loop) for name in bound_names(stmt, prune=_SCOPES))
            continue
        looped = in_loop or isinstance(stmt, _LOOPS)
        if isinstance(stmt, cst.For):
            out.extend((name, True) for name in _target_names(stmt.target))
        elif isinstance(stmt, cst.With):
            out.extend((name, in_loop) for item in stmt.items if item.asname is not None
                       for name in _target_names(item.asname.name))
        for part in _blocks(stmt):
            _top_bindings(part, looped, out)


def _blocks(stmt) -> list:
    """The statement lists of a compound statement (body, `elif`s, `else`, handlers, `finally`);
    a one-line suite (`for x in y: a = 1`) as a list of itself."""
    out = []
    for attr in ("body", "orelse", "finalbody"):
        part = getattr(stmt, attr, None)
        if isinstance(part, cst.If):
            out.extend(_blocks(part))
        elif isinstance(part, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            out.append(part.body if type(part) is cst.IndentedBlock else [part])
        elif part is not None and isinstance(getattr(part, "body", None), (cst.IndentedBlock, cst.SimpleStatementSuite)):
            out.append(part.body.body if type(part.body) is cst.IndentedBlock else [part.body])
    for h in getattr(stmt, "handlers", ()):
        out.append(h.body.body if type(h.body) is cst.IndentedBlock else [h.body])
    return out


def _target_names(target) -> set:
    out: set = set()
    if type(target) is cst.Name:
        out.add(target.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            out |= _target_names(el.value)
    elif type(target) is cst.StarredElement:
        out |= _target_names(target.value)
    return out


def _free_reads(func) -> dict:
    """name -> the first node where `func`'s own code (nested scopes left out) reads a name it
    does not bind."""
    bound = bound_names(func, prune=_SCOPES)
    stores = set()
    out: dict = {}
    for n in descendants(func.body, prune=_SCOPES):
        kind = type(n)
        if kind is cst.Attribute:
            stores.add(id(n.attr))
        elif kind is cst.Arg and n.keyword is not None:
            stores.add(id(n.keyword))
        elif kind is cst.Name and id(n) not in stores and n.value not in bound and n.value not in out:
            out[n.value] = n
    return out


def _uses(node, func, cls, out) -> None:
    """Record every plain name and attribute name read below `node` with the call it is the
    callee of (or None), the function and the class around it; a `def`'s or `class`'s own name
    is not a use."""
    for child in children(node):
        kind = type(child)
        if kind is cst.FunctionDef:
            # a method's `def` sits in its class; a function nested in a function keeps the outer one
            inner = child if func is None else func
            for part in children(child):
                if part is not child.name:
                    _uses(part, inner, cls, out)
        elif kind is cst.ClassDef:
            inner = child if func is None else cls
            for part in children(child):
                if part is not child.name:
                    _uses(part, func, inner, out)
        elif kind is cst.Call:
            callee = child.func
            if type(callee) is cst.Name:
                out.setdefault(callee.value, []).append((callee, child, func, cls))
            elif type(callee) is cst.Attribute:
                out.setdefault(callee.attr.value, []).append((callee, child, func, cls))
                _uses(callee, func, cls, out) if type(callee.value) is not cst.Name else \
                    out.setdefault(callee.value.value, []).append((callee.value, None, func, cls))
            else:
                _uses(callee, func, cls, out)
            for part in children(child):
                if part is not callee:
                    _uses(part, func, cls, out)
        elif kind is cst.Name:
            out.setdefault(child.value, []).append((child, None, func, cls))
        elif kind is cst.Attribute:
            out.setdefault(child.attr.value, []).append((child, None, func, cls))
            _uses(child.value, func, cls, out) if type(child.value) is not cst.Name else \
                out.setdefault(child.value.value, []).append((child.value, None, func, cls))
        else:
            _uses(child, func, cls, out)


def _passed_through(caller, name: str, uses) -> bool:
    """Whether `caller` binds `name` only as a parameter, and every use of `caller` is a call from
    the module's top level that passes the module's own `name` there (`add_row(..., axes)` in
    the loop that binds `axes`): the caller's variable and the module's are one value."""
    params = [p.name.value for p in caller.params.params]
    if name not in params or name in bound_names(caller.body, prune=_SCOPES) or not uses:
        return False
    index = params.index(name)
    for node, call, func, _owner in uses:
        if call is None or func is not None or type(node) is not cst.Name or any(a.star for a in call.args):
            return False
        positional = [a.value for a in call.args if a.keyword is None]
        arg = positional[index] if index < len(positional) else next(
            (a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)
        if type(arg) is not cst.Name or arg.value != name:
            return False
    return True


def _callers(found, cls) -> list:
    """(calling function, call) for each use of a function's name, when every use is a call of it
    from a function: `name(...)` for a top-level function, `self.name(...)` in its own class for
    a method. Definitions (the `def`'s own name) are not uses."""
    out = []
    for node, call, func, owner in found:
        if call is None or func is None:
            return []
        if cls is None:
            if type(node) is not cst.Name:
                return []
        else:
            if type(node) is not cst.Attribute or type(node.value) is not cst.Name or node.value.value != "self":
                return []
            if owner is None or owner.name.value != cls:
                return []
        out.append((func, call))
    return out
