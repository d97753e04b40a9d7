import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.frameworks import registry
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Container, Instance, Layer

from ._common import imported_qualname, module_calls, module_names, scope_roots, text_fact
from ._trees import per_chunk
from ._training import parents

# the calls that join a sequence of arrays into one
_JOINS = frozenset({
    "torch.cat", "torch.concat", "torch.concatenate", "torch.stack", "torch.vstack", "torch.hstack",
    "tensorflow.concat", "tensorflow.stack", "numpy.concatenate", "numpy.stack", "numpy.vstack", "numpy.hstack",
})
# the calls that make one array of a list of items (or of one item: then nothing is joined)
_CONVERTERS = frozenset({
    "torch.tensor", "torch.as_tensor", "torch.Tensor", "torch.FloatTensor", "torch.DoubleTensor", "torch.LongTensor",
    "torch.IntTensor", "torch.BoolTensor", "numpy.array", "numpy.asarray", "numpy.asanyarray", "tensorflow.constant",
    "tensorflow.convert_to_tensor",
})
_JOIN_NAMES = frozenset(q.rpartition(".")[2] for q in _JOINS | _CONVERTERS)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LAYER_CALLS = "TL220 layer calls"  # ids of the calls that apply a layer or model


def _appends(loop):
    """(list name, item name, append call) for each `lst.append(item)` of the loop's own code."""
    for node in descendants(loop, prune=_SCOPES):
        if (type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "append"
                and type(node.func.value) is cst.Name and len(node.args) == 1 and type(node.args[0].value) is cst.Name):
            yield node.func.value.value, node.args[0].value.value, node


def _binds(node, name: str) -> bool:
    """Whether `node` (a statement) binds `name` (an assignment, a loop or `with` target)."""
    for n in descendants(node, prune=_SCOPES):
        targets = ()
        if type(n) is cst.Assign:
            targets = [t.target for t in n.targets]
        elif type(n) in (cst.AugAssign, cst.AnnAssign, cst.For):
            targets = [n.target]
        elif type(n) is cst.WithItem and n.asname is not None:
            targets = [n.asname.name]
        for t in targets:
            if any(type(m) is cst.Name and m.value == name for m in (t, *descendants(t))):
                return True
    return False


class JoinOfLastLoopItem(Rule):
    """
    ## What it does
    Finds a loop whose passes are all lost but the last:
    - a layer or model output bound to a name on every pass of a loop that builds or applies a
      different layer each pass (`for layer in self.layers: out = layer(x)`, a Keras layer made
      in the loop body), where the loop never reads that name: each pass overwrites the last,
      and only the last pass's output is used after the loop;
    - a join (`tf.stack`, `tf.concat`, `torch.cat`, `torch.stack`, `np.concatenate`, ...)
    after a loop that appends each pass's array to a list, when the join is given the last
    pass's array instead of the list, and the list is never read: `batches.append(batch)` in the
    loop, `tf.concat(batch, axis=0)` after it. A conversion of the list into one array
    (`torch.tensor`, `torch.FloatTensor`, `np.array`, `tf.constant`, `tf.convert_to_tensor`, ...)
    given the last item counts the same way (`s_prime_lst.append(s_prime)` in the loop,
    `torch.tensor(s_prime)` after it). So does a join of an item the loop binds to one value
    each pass and collects nowhere while a list the loop fills is never read
    (`targets.append(pred)` in the loop, `torch.cat(target)` after it).
    An output bound under an `if` whose test changes from pass to pass (`if i == idx: out =
    module(x)`, with `i += 1` in the loop) picks one pass and is not reported.

    ## Why is this bad?
    A layer whose output is overwritten before anything reads it takes no part in the model:
    a stack of layers meant to be chained (`for layer in layers: out = layer(x)` instead of
    `x = layer(x)`) becomes the last layer alone applied to the input, and a decoder whose
    blocks each compute an attention into a name the next block overwrites keeps one block's
    attention. The model trains and predicts without an error, with fewer layers than written.

    After a collecting loop, the item's name holds only what the last pass made. torch refuses a single
    tensor (`TypeError: cat(): argument 'tensors' must be tuple of Tensors`); TensorFlow and
    numpy accept it and work on that one array (`tf.stack` of a tensor unstacks and restacks it
    along its first axis, returning it unchanged; `np.concatenate` of one array joins its own
    rows), so every earlier batch is silently dropped and the list that holds all of them goes
    unused. Results computed from it (an average over the batches, predictions for the whole
    data set) cover only the last batch. A conversion of the last item makes a tensor of one
    sample where a batch is meant: in a replay batch, every row's bootstrap then reads the same
    next state.

    ## Example
    ```python
    gradient_batches = []
    for alpha_batch in batches:
        gradient_batch = one_batch(alpha_batch)
        gradient_batches.append(gradient_batch)
    total_gradients = tf.stack(gradient_batch)
    ```

    ```python
    for layer in self.layers:
        out = layer(x)
    return out
    ```

    ## Use instead
    ```python
    total_gradients = tf.concat(gradient_batches, axis=0)
    ```
    ```python
    for layer in self.layers:
        x = layer(x)
    return x
    ```

    ## Fix safety
    There is no automatic fix: whether the batches are stacked on a new axis or concatenated
    along an existing one, and which input each layer should get, depend on the program.
    """

    code = "TL220"
    name = "loop-keeps-last-pass"
    severity = Severity.ERROR
    summary = "A loop that loses all but its last pass: a layer output overwritten unread each pass, or a join or conversion given the last item instead of the list."
    failing = (
        "import numpy as np\nimport keras\n\ndef predict_all(model, loader):\n    preds = []\n    for xb in loader:\n"
        "        pred = model.predict(xb)\n        preds.append(pred)\n    return np.concatenate(pred)  # TL220\n",
        "import torch\n\ndef embed(net, batches):\n    outs = []\n    for b in batches:\n        out = net(b)\n"
        "        outs.append(out)\n    allout = torch.cat(out, dim=0)  # TL220\n    return allout\n",
        "import torch\n\ndef make_batch(memory):\n    s_prime_lst = []\n    for s, a, r, s_prime, done in memory:\n"
        "        s_prime_lst.append(s_prime)\n    return torch.tensor(s_prime, dtype=torch.float)  # TL220\n",
        "import torch\n\ndef test(model, loader):\n    targets = []\n    for x, y in loader:\n        pred = model(x)\n"
        "        target = y.long()\n        targets.append(pred)\n    return torch.cat(target)  # TL220\n",
        "import torch\nimport torch.nn as nn\n\nclass Stack(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8), nn.Linear(8, 8)])\n\n    def forward(self, x):\n"
        "        for layer in self.layers:\n            out = layer(x)  # TL220\n        return out\n\n"
        "y = Stack()(torch.randn(2, 8))\n",
    )
    passing = (
        "import numpy as np\nimport keras\n\ndef predict_all(model, loader):\n    preds = []\n    for xb in loader:\n"
        "        pred = model.predict(xb)\n        preds.append(pred)\n    return np.concatenate(preds)\n",
    )
    lookalikes = (
        # the item is made into a tensor on purpose: the list is read too
        "import numpy as np\n\ndef last_state(env, steps):\n    states = []\n    for _ in range(steps):\n"
        "        state = env.step()\n        states.append(state)\n    print(len(states))\n    return np.array(state)\n",
        # the joined item is a list of its own
        "import torch\n\ndef run(model, loader):\n    seen = []\n    for x in loader:\n        parts = [model(x), x]\n"
        "        seen.append(x)\n    return torch.cat(parts, dim=1)\n",
        # the list is read too: the last item is joined on purpose (its parts)
        "import numpy as np\nimport torch\n\ndef run(rows):\n    history = []\n    for r in rows:\n        parts = [r, r * 2]\n"
        "        history.append(parts)\n    last = np.stack(parts)\n    return last, len(history)\n",
        # the item is bound again after the loop
        "import torch\n\ndef f(xs):\n    kept = []\n    for x in xs:\n        y = x * 2\n        kept.append(y)\n"
        "    y = kept\n    return torch.cat(y)\n",
        # the layers are chained; each output is read in the loop
        "import torch.nn as nn\n\nclass Stack(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])\n\n    def forward(self, x):\n"
        "        for layer in self.layers:\n            x = layer(x)\n        return x\n",
        "import torch.nn as nn\n\nclass Heads(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.heads = nn.ModuleList([nn.Linear(8, 2) for _ in range(3)])\n\n    def forward(self, x):\n"
        "        outs = []\n        for head in self.heads:\n            out = head(x)\n            outs.append(out)\n        return outs\n",
    )

    def on_layer_call(self, ctx, ev):
        if isinstance(ev.layer, (Layer, Container, Instance)) and (ev.container is None or ev.container is ev.layer):
            ctx.mark(_LAYER_CALLS, id(ev.node))

    def on_module(self, ctx, ev):
        calls = ctx.marked(_LAYER_CALLS)
        if calls or text_fact(ctx, "TL220 loop text", lambda t: "for " in t and "layers." in t):
            self._overwritten_outputs(ctx, set(calls))
        if not text_fact(ctx, "TL220 text", lambda t: ".append(" in t and any(
                w in t for w in ("cat(", "stack(", "concatenate(", "tensor(", "Tensor(", "array(", "constant("))):
            return
        env = None
        for call in module_calls(ctx):
            if not call.args or type(call.args[0].value) is not cst.Name or call.args[0].keyword is not None:
                continue
            func = call.func
            last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
            if last not in _JOIN_NAMES:
                continue
            env = env if env is not None else module_names(ctx)
            q = imported_qualname(env, call.func)
            if q in _JOINS or q in _CONVERTERS:
                self._check(ctx, call, call.args[0].value.value, q in _CONVERTERS)

    def _check(self, ctx, call, item: str, converts: bool):
        p = parents(ctx)
        stmt = p.statement(call)
        block = p.parent.get(stmt)
        # the module's statements run in order across its chunks (one tree each)
        body = [st for root in scope_roots(ctx, block) for st in root.body] if type(block) is cst.Module else getattr(block, "body", None)
        if stmt is None or not isinstance(body, (list, tuple)):
            return
        i = next((k for k, s in enumerate(body) if s is stmt), None)
        if i is None:
            return
        for k in range(i - 1, -1, -1):
            prev = body[k]
            while type(prev) is cst.With and prev.body.body:
                prev = prev.body.body[-1]  # `with torch.no_grad(): for ...`: the loop ends the block
            if type(prev) in (cst.For, cst.While):
                self._loop(ctx, p, call, item, prev, converts)
                return
            if _binds(prev, item):
                return  # bound again between the loop and the join

    def _loop(self, ctx, p, call, item: str, loop, converts: bool):
        target = loop.target if type(loop) is cst.For else None
        if not (_binds(loop.body, item) or target is not None and any(
                type(m) is cst.Name and m.value == item for m in (target, *descendants(target)))):
            return
        appends = list(_appends(loop))
        own = next(((lst, append) for lst, appended, append in appends if appended == item and lst != item), None)
        if own is not None:
            lst, append = own
            verb = ("converts", "convert") if converts else ("joins", "join")
            message = (f"{verb[0]} only the last `{item}` of the loop at line {ctx.line(loop)}: the loop appends every one to "
                       f"`{lst}` (line {ctx.line(append)}), which is never read, so all but the last are dropped; {verb[1]} "
                       f"`{lst}` instead")
            note = f"each pass's `{item}` collected in `{lst}` here"
            candidates = [own]
        elif not converts and _array_bindings(loop, item):
            # the item is collected nowhere, while a list the loop fills goes unread: the join was meant for that list
            candidates = [(lst, append) for lst, appended, append in appends if lst != item and appended != lst]
            message = note = None
        else:
            return
        for lst, append in candidates:
            if self._unread(ctx, p, loop, lst):
                if message is None:
                    message = (f"joins only the last `{item}` of the loop at line {ctx.line(loop)}, which no list collects, while "
                               f"the loop appends to `{lst}` (line {ctx.line(append)}), which is never read: all but the last "
                               f"pass are dropped; collect each `{item}` in `{lst}` and join `{lst}`")
                    note = f"`{lst}` filled here and never read"
                ctx.report(self, call, f"`{dotted(call.func)}({item})` {message}", related=[(append, note)])
                return

    def _unread(self, ctx, p, loop, lst: str) -> bool:
        """Whether the function (or module) that holds the loop never reads `lst` outside it."""
        scope = p.scope(loop)
        if scope is None:
            return False
        inside = {id(n) for n in descendants(loop)}
        return all(_bound_by(p, n) for root in scope_roots(ctx, scope) for n in descendants(root)
                   if type(n) is cst.Name and n.value == lst and id(n) not in inside)

    def _overwritten_outputs(self, ctx, layer_calls: set):
        env = module_names(ctx)
        for found in per_chunk(ctx, "TL220 calls bound in for loops", _loop_bindings):
            for stmt, call, loop, made in found:
                # a call the program ran as a layer call, or a framework layer made in the loop itself
                if _varies(call.func, loop, env, id(call) in layer_calls, made) and _passes(loop) is not False:
                    self._overwritten(ctx, stmt, call, loop)

    def _overwritten(self, ctx, stmt, call, loop):
        name = stmt.targets[0].target.value
        p = parents(ctx)
        if _read_in(loop.body, name) or _picked(p, stmt, loop) or not self._read_after(ctx, p, loop, name):
            return
        ctx.report(self, call,
                   f"`{name}` is overwritten on every pass of the loop at line {ctx.line(loop)} before anything reads it: the "
                   f"output of each pass's layer but the last is discarded, so those layers take no part in the result; "
                   f"chain the output into the next pass or collect each pass's output",
                   related=[(loop, "the loop")])

    def _read_after(self, ctx, p, loop, name: str) -> bool:
        scope = p.scope(loop)
        if scope is None:
            return False
        inside = {id(n) for n in descendants(loop)}
        if type(scope) is cst.Module:  # every chunk's module-level code: the reads kept with each tree
            return any(id(n) not in inside for reads in per_chunk(ctx, "TL220 module-level reads", _module_reads)
                       for n in reads.get(name, ()))
        return any(id(n) not in inside and _loads(p, n, name)
                   for root in scope_roots(ctx, scope) for n in descendants(root, prune=_SCOPES))


_DISPLAYS = (cst.List, cst.Tuple, cst.ListComp, cst.GeneratorExp, cst.Dict, cst.DictComp, cst.Set, cst.SetComp)


def _picked(p, stmt, loop) -> bool:
    """Whether the assignment sits under an `if` (inside the loop) whose test reads a name the
    loop binds (`if i == idx: out = module(x)` with `i += 1` each pass): it runs on the passes
    the test picks, perhaps one, not on every pass."""
    for a in p.ancestors(stmt):
        if a is loop:
            return False
        if type(a) is cst.If and any(type(n) is cst.Name and _binds(loop, n.value) for n in (a.test, *descendants(a.test))):
            return True
    return False


def _array_bindings(loop, name: str) -> bool:
    """Whether the loop binds `name` only by plain assignments of one value that is not a list,
    tuple or other display (not as its target, nor by unpacking): the name holds one array."""
    found = False
    for n in descendants(loop, prune=_SCOPES):
        t = type(n)
        if t is cst.Assign:
            for target in n.targets:
                if type(target.target) is cst.Name and target.target.value == name:
                    if type(n.value) in _DISPLAYS:
                        return False
                    found = True
                elif any(type(m) is cst.Name and m.value == name for m in descendants(target.target)):
                    return False
        elif t in (cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem, cst.NamedExpr):
            target = n.asname.name if t is cst.WithItem and n.asname is not None else getattr(n, "target", None)
            if target is not None and any(type(m) is cst.Name and m.value == name for m in (target, *descendants(target))):
                return False
    return found


def _bound_by(p, n) -> bool:
    """Whether the name `n` is (part of) an assignment's target, `lst` in `lst = []` or in
    `a, lst = [], []`, rather than a read."""
    up = p.parent.get(n)
    while type(up) in (cst.Element, cst.StarredElement, cst.Tuple, cst.List):
        n, up = up, p.parent.get(up)
    return type(up) is cst.AssignTarget and up.target is n or type(up) is cst.Assign and any(t.target is n for t in up.targets)


def _module_reads(module) -> dict:
    """name -> the names of the tree's module-level code (function and class bodies excluded)
    that read it, as `_loads` tells a read: not an assignment's target nor a loop's."""
    targets: set = set()
    out: dict = {}
    for n in descendants(module, prune=_SCOPES):  # (a target's parent comes before it)
        t = type(n)
        if t is cst.AssignTarget or t is cst.For:
            targets.add(id(n.target))
        elif t is cst.Name and id(n) not in targets:
            out.setdefault(n.value, []).append(n)
    return out


def _loop_bindings(module) -> list:
    """(statement, call, loop, made) for each `name = call(...)` whose innermost enclosing loop
    (in the same function) is a `for` loop, from one walk of the tree's statements; `made`: when
    the call's target is a name, the values the loop's body assigns to that name (`_varies`)."""
    out: list = []
    _walk_loops(module.body, None, out)
    return out


def _walk_loops(stmts, loop, out: list) -> None:
    # (not a closure calling itself: that is a reference cycle, holding `out` until the garbage
    # collector finds it)
    for st in stmts:
        t = type(st)
        if t is cst.SimpleStatementLine:
            if loop is None:
                continue
            for small in st.body:
                if (type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name
                        and type(small.value) is cst.Call and type(small.value.func) in (cst.Name, cst.Call, cst.Subscript)):
                    out.append((small, small.value, loop, _assigned_in(loop, small.value.func)))
        elif t in (cst.FunctionDef, cst.ClassDef):
            _walk_loops(st.body.body, None, out)
        elif t is cst.For:
            _walk_loops(st.body.body, st, out)
            if st.orelse is not None:
                _walk_loops(st.orelse.body.body, loop, out)
        elif t is cst.While:
            _walk_loops(st.body.body, None, out)
        else:
            for part in (getattr(st, "body", None), getattr(st, "orelse", None), getattr(st, "finalbody", None)):
                inner = getattr(part, "body", None)
                if isinstance(inner, (list, tuple)):
                    _walk_loops(inner, loop, out)
                elif type(part) is cst.If:
                    _walk_loops([part], loop, out)
            for handler in getattr(st, "handlers", ()):
                _walk_loops(handler.body.body, loop, out)


def _made_layer(func, env):
    """The constructor call when `func` is itself a framework layer made in place (`Dense(8)` in
    `Dense(8)(x)`), else None."""
    if type(func) is not cst.Call:
        return None
    q = imported_qualname(env, func.func) or ""
    module, _, cls = q.rpartition(".")
    # a class of Keras's layers module or of torch.nn (the tables model only some of them)
    if q in registry.LAYERS or (module in ("keras.layers", "torch.nn") and cls[:1].isupper() and cls != "Parameter"):
        return func
    return None


def _assigned_in(loop, func) -> tuple:
    """The values the loop's body (its own code) assigns to `func`, a name (else none)."""
    if type(func) is not cst.Name:
        return ()
    return tuple(n.value for n in descendants(loop.body, prune=_SCOPES) if type(n) is cst.Assign and any(
        type(t.target) is cst.Name and t.target.value == func.value for t in n.targets))


def _varies(func, loop, env, known_layer: bool, made: tuple) -> bool:
    """Whether the called layer differs from pass to pass: the loop's own item (`for layer in
    layers`), indexed by it (`layers[i]`), a framework layer made in the call (`Dense(8)(x)`) or
    bound in the loop body (`attn = Attention()` then `attn(...)`). The loop's item and an
    indexed one count only for a call the program ran as a layer call (`known_layer`). `made`:
    the values the loop's body assigns to `func` (`_assigned_in`)."""
    target = loop.target.value if type(loop.target) is cst.Name and known_layer else None
    if type(func) is cst.Call:
        return _made_layer(func, env) is not None
    if type(func) is cst.Name:
        if func.value == target:
            return True
        return any(_made_layer(value, env) is not None for value in made)
    if type(func) is cst.Subscript and target is not None:
        return any(type(n) is cst.Name and n.value == target for n in descendants(func.slice))
    return False


def _passes(loop):
    """False when the loop runs at most once (`range(1)`), else None (unknown) or True."""
    it = loop.iter
    if type(it) is cst.Call and dotted(it.func) == "range" and len(it.args) == 1 and type(it.args[0].value) is cst.Integer:
        return int(it.args[0].value.value) > 1
    return None


def _loads(p, n, name: str) -> bool:
    """Whether `n` is a read of `name` (not a binding of it)."""
    if type(n) is not cst.Name or n.value != name:
        return False
    up = p.parent.get(n)
    return type(up) is not cst.AssignTarget and not (type(up) is cst.For and up.target is n)


def _read_in(body, name: str) -> bool:
    """Whether the loop body reads `name` anywhere (an augmented assignment reads it too)."""
    for n in descendants(body):
        if type(n) is cst.AugAssign and type(n.target) is cst.Name and n.target.value == name:
            return True
        if type(n) is cst.Name and n.value == name:
            return _name_read(body, name)
    return False


def _name_read(body, name: str) -> bool:
    targets = {id(t.target) for n in descendants(body) if type(n) is cst.Assign for t in n.targets}
    return any(type(n) is cst.Name and n.value == name and id(n) not in targets for n in descendants(body))
