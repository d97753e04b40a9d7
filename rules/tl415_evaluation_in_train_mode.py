import re

import libcst as cst

from tensorlint.cstwalk import children, walk_code
from tensorlint.dataflow import store_names
from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer

from ._modes import EVAL, ModeWalk, call_mode, detached_sample, followed_by_training, mode_sensitive, one_batch_print, unseen_modules
from ._training import backward_calls, insert_before, is_model, module_ids, parents, same_scope, source

_M = (
    "import torch\nimport torch.nn as nn\n\n"
    "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self.fc1 = nn.Linear(20, 64)\n        self.drop = nn.Dropout(0.5)\n        self.fc2 = nn.Linear(64, 3)\n\n"
    "    def forward(self, x):\n        return self.fc2(self.drop(torch.relu(self.fc1(x))))\n\n"
    "model = Net()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nloss_fn = nn.CrossEntropyLoss()\n"
    "train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 20), torch.randint(0, 3, (64,))), batch_size=8)\n"
    "val_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 20), torch.randint(0, 3, (32,))), batch_size=8)\n"
)
_TRAIN = (
    "    for x, y in train_loader:\n        opt.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n        opt.step()\n"
)


def _behaviour(desc: str) -> str:
    if "Dropout" in desc:
        return "zeroes activations at random"
    if "Norm" in desc:
        return "normalizes with the statistics of each batch (and keeps updating its running statistics)"
    if desc in ("LSTM", "GRU", "RNN"):
        return "applies dropout between its layers"
    return "behaves differently"


class EvaluationInTrainMode(Rule):
    """
    ## What it does
    Finds a PyTorch model that contains Dropout or BatchNorm (or reads `self.training`) run for
    evaluation, validation, testing or sampling (under `torch.no_grad()`, in a loop with no
    backward pass or optimizer step, or inside a training loop as `samples = G(z)` whose value
    is only read detached, to be saved or logged) while it is in training mode on every path
    there: it was constructed (modules start in training mode) or `.train()` was called, and no
    `.eval()` came between. The path is read through the functions that lead there: a helper
    given the model is judged at the calls whose mode is known, never on its own. A model whose
    forward runs modules the file does not show (given by the caller, built by another package)
    counts when the program itself puts that model in eval mode elsewhere (`model.eval()`, or a
    helper given the model that calls it): the author's own `eval()` says its mode matters.
    A `.train()` call placed right before a loop that runs the model again and again on one
    input (Monte Carlo dropout) asks for training mode there and is not reported, nor is a check that the
    model runs: outputs read only for their shape (`print(out.size())`), one batch's printed (`print(model(x)); break`).
    A Dropout whose rate the program gives as 0 (`nn.Dropout(0.0)`, or a constructor's
    `dropout` argument given as 0 where the model is built) does nothing in either mode.

    ## Why is this bad?
    In training mode Dropout zeroes activations at random and BatchNorm normalizes with the
    statistics of the current batch instead of the running averages. The validation loss, the
    test accuracy or the generated samples come out noisy and too pessimistic (or depend on the
    batch they are computed with), and a checkpoint chosen by them may be the wrong one.
    Nothing raises.

    ## Example
    ```python
    for epoch in range(epochs):
        for x, y in train_loader:
            ...
            optimizer.step()
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum()
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            ...
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum()
    ```

    ## Fix safety
    The fix inserts `model.eval()` before the evaluation (the loop or the `with` block). It is
    unsafe: when training goes on afterwards, `model.train()` must be called again before the
    next training step (TL407 finds the places where it is missing).
    """

    code = "TL415"
    name = "evaluation-in-train-mode"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "A model with Dropout/BatchNorm is evaluated while it is still in training mode."
    failing = (
        # validation under no_grad after the training loop, never eval()ed
        _M + "for epoch in range(3):\n" + _TRAIN
        + "    correct = 0\n    with torch.no_grad():  # TL415\n        for x, y in val_loader:\n"
        "            correct += (model(x).argmax(1) == y).sum().item()\n    print(epoch, correct)\n",
        # a validation loop with no backward, after `model.train()` at the top of each epoch
        _M + "for epoch in range(3):\n    model.train()\n" + _TRAIN
        + "    val_loss = 0.0\n    for x, y in val_loader:  # TL415\n        val_loss += loss_fn(model(x), y).item()\n    print(val_loss)\n",
        # samples of a GAN generator with BatchNorm
        "import torch\nimport torch.nn as nn\n"
        "G = nn.Sequential(nn.Linear(16, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 2))\n"
        "samples = []\nfor i in range(10):  # TL415\n    z = torch.randn(8, 16)\n    samples.append(G(z).detach())\n",
    )
    passing = (
        _M + "for epoch in range(3):\n    model.train()\n" + _TRAIN
        + "    model.eval()\n    correct = 0\n    with torch.no_grad():\n        for x, y in val_loader:\n"
        "            correct += (model(x).argmax(1) == y).sum().item()\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.Dropout(0.0), nn.Linear(64, 3))  # rate 0\n"
        "with torch.no_grad():\n    print(model(torch.randn(4, 20)).argmax(1))\n",
        # no layer that depends on the mode
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3))\n"
        "with torch.no_grad():\n    print(model(torch.randn(4, 20)).argmax(1))\n",
        # `train(False)` is eval()
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.Dropout(0.2), nn.Linear(64, 3))\n"
        "model.train(False)\nwith torch.no_grad():\n    print(model(torch.randn(4, 20)).argmax(1))\n",
        # a helper given the model does not know its caller's mode
        "import torch\n\ndef evaluate(model, loader):\n    with torch.no_grad():\n        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)\n",
        # a GAN's fakes under no_grad feed the discriminator's training step
        "import torch\nimport torch.nn as nn\n"
        "G = nn.Sequential(nn.Linear(16, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 2))\n"
        "D = nn.Sequential(nn.Linear(2, 1))\nopt_d = torch.optim.Adam(D.parameters())\n"
        "for i in range(10):\n    with torch.no_grad():\n        fake = G(torch.randn(8, 16))\n"
        "    loss = D(fake).mean()\n    opt_d.zero_grad()\n    loss.backward()\n    opt_d.step()\n",
    )

    def on_module_method(self, ctx, ev):
        if ev.method in ("train", "eval") and is_model(ev.receiver):
            ids = module_ids(ev.receiver)
            # noted with the chunk running: kept for the chunks an edit does not run again
            ctx.mark("TL415 seen", (id(ev.node), ids))
            if isinstance(ev.node.func, cst.Attribute) and call_mode(ev.node) == EVAL:
                ctx.mark("TL415 evals", (ev.node, ids))

    def on_loss_call(self, ctx, ev):
        ctx.mark("TL415 calls", (id(ev.node), True))

    def on_layer_call(self, ctx, ev):
        ctx.mark("TL415 calls", (id(ev.node), True))
        model = ev.layer
        if not is_model(model) or isinstance(model, Layer) or ev.container is not None and ev.container is not model:
            return  # a bare layer (`nn.Dropout(0.5)(x)`, a demonstration) or a layer inside a Sequential
        stack = list(getattr(ctx, "call_path", ()))
        if any(_inside_module(ctx, n) for n in stack):
            return  # a submodule called by a model's forward: the model's own call is judged
        if ctx.no_grad > 0:
            anchor = _no_grad_block(ctx, parents(ctx), ev.node, stack)
            trace = None
        elif ctx.loops:
            trace = ctx.loops[-1]
            anchor = trace.node
        else:
            return
        if anchor is None:
            return
        cand = dict(model=model, node=ev.node, anchor=anchor, stack=stack, trace=trace,
                    outer=ctx.loops[0] if ctx.loops else None)
        if cand["outer"] is None:
            self._finish(ctx, cand)
        else:
            _state(ctx)["pending"].append(cand)

    def on_loop(self, ctx, trace):
        state = _state(ctx)
        keep = []
        for cand in state["pending"]:
            if cand["trace"] is trace and (trace.opaque or _trains(trace)):
                if not detached_sample(ctx, cand["node"], ctx.marked_map("TL415 calls")):
                    continue  # the loop trains: not an evaluation
                cand["sampled"] = True  # run in a training loop only to look at its output
            if cand["outer"] is trace:
                self._finish(ctx, cand)
            else:
                keep.append(cand)
        state["pending"] = keep

    def _finish(self, ctx, cand):
        model, node, anchor = cand["model"], cand["node"], cand["anchor"]
        p = parents(ctx)
        who = node.func if isinstance(node, cst.Call) else None
        text = source(ctx, who) if isinstance(who, (cst.Name, cst.Attribute)) else None
        sensitive = mode_sensitive(ctx, model) or _evident(ctx, model, node, text)
        if sensitive is None or _only_shape_read(p, node) or one_batch_print(p, node):
            return
        if cand.get("sampled"):
            anchor = cand["anchor"] = p.statement(node)
        elif followed_by_training(ctx, anchor, _stack_for(p, anchor, cand["stack"])):
            return
        seen: dict = {}
        for node_id, ids in ctx.marked("TL415 seen"):
            seen.setdefault(node_id, []).append(ids)
        walk = ModeWalk(ctx, model, module_ids(model), text, seen)
        last = walk.last_train(node, cand["stack"])
        if last is None:
            return
        if last is not walk_construction(model) and _repeated_on_one_input(p, node) and _set_for_this_run(ctx, p, last, node):
            return  # `.train()` asked for right before drawing samples of one input: Monte Carlo dropout
        self._report(ctx, cand, sensitive, last, text)

    def _report(self, ctx, cand, sensitive, last, text):
        node, anchor = cand["node"], cand["anchor"]
        layer_node, desc = sensitive[:2]
        name = text or "the model"
        if last is walk_construction(cand["model"]):
            where = f"it is in training mode since it was built (line {ctx.line(last)})"
            last_msg = "built here, in training mode"
        else:
            where = f"{name}.train() at line {ctx.line(last)} put it in training mode"
            last_msg = "put in training mode here"
        what = ("under torch.no_grad()" if cand["trace"] is None else
                "to draw samples that are only read detached" if cand.get("sampled") else "in a loop with no backward pass")
        again = ""
        outer = cand["outer"]
        if outer is not None and _trains(outer):
            again = f", and {name}.train() before training resumes"
        if desc is None:  # modules from outside the file, whose mode the program's own eval() shows to matter
            parts = ", ".join(sensitive[2][:3])
            call = source(ctx, layer_node) if isinstance(layer_node, cst.Call) else None
            why = (f"it runs modules this file does not show ({parts}), and the program's own "
                   f"{call or name + '.eval()'} (line {ctx.line(layer_node)}) shows that its mode matters")
            layer_msg = "put in eval mode here for evaluation: the mode matters to this model"
        else:
            line = ctx.line(layer_node)  # None for a layer built in another module
            why = f"its {desc}{f' (line {line})' if line else ''} {_behaviour(desc)}"
            layer_msg = f"{desc}: behaves differently in training mode"
        message = (f"{name} is evaluated {what} (line {ctx.line(node)}) in training mode: {why}; "
                   f"{where}, with no {name}.eval() since. Call {name}.eval() before evaluating{again}")
        fix = None
        stmt = anchor if isinstance(anchor, (cst.For, cst.While, cst.With, cst.SimpleStatementLine)) else None
        here = text if stmt is not None and same_scope(ctx, stmt, node) else _text_at_call(parents(ctx), node, stmt, cand["stack"], text)
        if here and stmt is not None and not cand.get("sampled") and not parents(ctx).inside(last, stmt):
            # (a `.train()` inside the block itself is not undone by an eval() before it)
            fix = insert_before(ctx, stmt, f"{here}.eval()", f"Insert {here}.eval() before the evaluation", Applicability.UNSAFE)
        at = node
        if isinstance(anchor, cst.For):
            at = anchor.iter
        elif isinstance(anchor, cst.While):
            at = anchor.test
        elif isinstance(anchor, cst.With):
            at = next((i.item for i in anchor.items if _is_no_grad(i.item)), node)
        if stmt is not None and parents(ctx).inside(last, stmt):
            at = last  # the evaluation block itself puts the model back in training mode
        related = [(layer_node, layer_msg)] + ([(last, last_msg)] if at is not last else [])
        if at is not node:
            related.append((node, "the model evaluated here"))
        caller = _stack_for(parents(ctx), node, cand["stack"])
        if caller and isinstance(caller[-1], cst.Call) and not parents(ctx).inside(last, parents(ctx).scope(node)):
            # the mode is known at the call of the function that evaluates
            related.append((caller[-1], "called here"))
        ctx.report(self, at, message, fix=fix, related=related)


def _evident(ctx, model, node, text):
    """(an `.eval()` call on `model`, None, names) when the model's forward runs submodules the
    file does not show and the program itself puts the model in eval mode: the author knows its
    mode matters. None otherwise (all its modules known and none sensitive: eval() is a habit)."""
    unseen = unseen_modules(ctx, model)
    if not unseen:
        return None
    calls = [n for n, ids in ctx.marked("TL415 evals") if id(model) in ids]
    if not calls and text:
        calls = _evals_by_name(ctx, node, text)  # later in the run: read from the syntax
    calls = sorted(calls, key=ctx.line)
    return (calls[0], None, unseen) if calls else None


def _evals_by_name(ctx, node, text: str) -> list:
    """`text.eval()` / `text.train(False)` calls in the function that evaluates (the module's
    top level, every chunk, when it runs there), and those in a function of the file that is
    given `text` there (`evaluate(model, loader)` calling `net.eval()`)."""
    from tensorlint.syntax import dotted

    from ._modes import function_defs

    p = parents(ctx)
    scope = p.scope(node)
    if scope is None:
        return []  # (a node of another file's tree: a project module's code)
    roots = [c.module for c in ctx.chunks] if isinstance(scope, cst.Module) else [scope]
    defs = function_defs(ctx)
    found = []
    for root in roots:
        for call in _own_calls(root):
            func = call.func
            if _eval_call(call, text):
                found.append(call)
            elif isinstance(func, cst.Name) and func.value in defs:
                for fdef in defs[func.value]:
                    params = [prm.name.value for prm in fdef.params.params]
                    for i, arg in enumerate(call.args):
                        if arg.star or dotted(arg.value) != text:
                            continue
                        name = arg.keyword.value if arg.keyword is not None else params[i] if i < len(params) else None
                        if name is not None:
                            found.extend(c for c in _own_calls(fdef) if _eval_call(c, name))
    return found


def _eval_call(call, text: str) -> bool:
    from tensorlint.syntax import dotted

    func = call.func
    return (isinstance(func, cst.Attribute) and func.attr.value in ("eval", "train")
            and dotted(func.value) == text and call_mode(call) == EVAL)


def _own_calls(root) -> list:
    """The calls in `root` (a function's body or a module), nested definitions left out."""
    out, stack = [], list(children(root))
    while stack:
        n = stack.pop()
        if isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(n, cst.Call):
            out.append(n)
        stack.extend(children(n))
    return out


def walk_construction(model):
    node = getattr(model, "node", None)
    return node if isinstance(node, cst.Call) else None


# a line that does nothing to a model: blank, a comment, or a name bound to a literal or to a
# new empty container (`samples = list()`)
_INERT = re.compile(r"\s*(#.*)?$|\s*[A-Za-z_][\w.]*\s*=\s*(\[\s*\]|\{\s*\}|\(\s*\)|[-+]?\d[\w.]*|None|True|False"
                    r"|(list|dict|set|tuple)\(\s*\))"
                    r"\s*(#.*)?$")


def _set_for_this_run(ctx, p, last, node) -> bool:
    """The `.train()` call stands right before the statement that evaluates (only blank lines,
    comments or literals bound to names between them, in the same function or at top level):
    training mode was asked for this run, as Monte Carlo dropout does."""
    stmt = p.statement(last)
    scope, other = p.scope(last), p.scope(node)
    if stmt is None or not (scope is other or (isinstance(scope, cst.Module) and isinstance(other, cst.Module))):
        return False
    span = ctx.span(stmt)
    if span is None:
        return False
    end, start = span.end.line, None
    for a in (node, *p.ancestors(node)):  # the outermost statement holding `node` after the call
        if isinstance(a, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            s = ctx.span(a)
            if s is None or s.start.line <= end:
                break
            start = s.start.line
    if start is None:
        return False
    return all(_INERT.match(line) for line in ctx.text.splitlines()[end:start - 1])


_SHAPE_READS = frozenset(("size", "shape", "dim", "ndim", "ndimension"))
_NESTED = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _only_shape_read(p, node) -> bool:
    """The model's output is bound to names (`out = net(x)`, `out, attn = net(x, g)`) that their
    scope reads, and reads only for the output's shape (`out.size()`, `out.shape`, `len(out)`):
    a check of the layer's shapes, which the training mode does not change."""
    if not isinstance(node, cst.Call):
        return False
    assign = p.parent.get(node)
    if not isinstance(assign, cst.Assign) or assign.value is not node:
        return False
    names, stored = set(), set()
    for target in assign.targets:
        t = target.target
        items = [e.value for e in t.elements] if isinstance(t, (cst.Tuple, cst.List)) else [t]
        if not all(isinstance(i, cst.Name) for i in items):
            return False
        names |= {i.value for i in items}
    scope = p.scope(node)
    if scope is None:
        return False
    own = walk_code(scope, prune=_NESTED)  # (a function or class inside binds names of its own)
    for n in own:
        if isinstance(n, (cst.AssignTarget, cst.For, cst.CompFor)):
            stored |= {id(x) for x in walk_code(n.target) if isinstance(x, cst.Name)}
            stored |= {id(n.target)} if isinstance(n.target, cst.Name) else set()
    read = False
    for n in walk_code(scope, prune=_NESTED):
        if not isinstance(n, cst.Name) or n.value not in names or id(n) in stored:
            continue
        up = p.parent.get(n)
        call = p.parent.get(up) if isinstance(up, cst.Arg) else None
        if isinstance(up, cst.Attribute) and up.value is n and up.attr.value in _SHAPE_READS:
            read = True
        elif isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "len":
            read = True
        else:
            return False
    return read  # (an output never read at all says nothing of what it was for)


def _repeated_on_one_input(p, node) -> bool:
    """The model call is inside a `for` whose passes give it the same input: nothing its
    arguments read is bound by the loop (`for _ in range(n): preds.append(net(image))`)."""
    if not isinstance(node, cst.Call):
        return False
    loop = next((a for a in p.ancestors(node) if isinstance(a, (cst.For, cst.FunctionDef, cst.Lambda, cst.Module))), None)
    if not isinstance(loop, cst.For):
        return False
    bound = set(store_names(loop.target))
    for n in walk_code(loop.body):
        if isinstance(n, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor)):
            bound.update(store_names(n.target))
        elif isinstance(n, cst.NamedExpr):
            bound.update(store_names(n.target))
    read = {n.value for a in node.args for n in walk_code(a) if isinstance(n, cst.Name)}
    read |= {a.value.value for a in node.args if isinstance(a.value, cst.Name)}
    return bool(read) and not read & bound


def _state(ctx) -> dict:
    st = getattr(ctx, "_tl415", None)
    if st is None:
        st = ctx._tl415 = {"pending": []}
    return st


def _trains(trace) -> bool:
    return bool(backward_calls(trace.calls)) or any(c[1] == "step" for c in trace.calls)


def _inside_module(ctx, call_node) -> bool:
    inst = ctx.instance_calls.get(id(call_node))
    return inst is not None and getattr(inst.cls, "kind", None) == "torch.module"


def _is_no_grad(expr) -> bool:
    func = expr.func if isinstance(expr, cst.Call) else None
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if name == "set_grad_enabled":
        return bool(expr.args) and isinstance(expr.args[0].value, cst.Name) and expr.args[0].value.value == "False"
    return name in ("no_grad", "inference_mode")


def _no_grad_block(ctx, p, node, stack):
    """The `with torch.no_grad():` holding the call, in its own function or in the nearest
    caller that opened it; the call's statement when none is found (a decorated function)."""
    for site in [node] + list(reversed(stack)):
        if not isinstance(site, cst.Call) and site is not node:
            break
        block = next((a for a in p.ancestors(site) if isinstance(a, cst.With) and _no_grad_with(a)), None)
        if block is not None and same_scope(ctx, block, site):
            return block
    return p.statement(node)


def _no_grad_with(with_node) -> bool:
    return any(_is_no_grad(item.item) for item in with_node.items)


def _stack_for(p, node, stack):
    """The call nodes that entered the function holding `node` and its callers."""
    scope = p.scope(node)
    if isinstance(scope, cst.Module):
        return []
    for k in range(len(stack) - 1, -1, -1):
        if isinstance(stack[k], cst.CSTNode) and p.scope(stack[k]) is scope:
            return stack[:k]
    return stack


def _text_at_call(p, node, stmt, stack, text):
    """The model's expression where `stmt` sits, when the evaluating function was called from
    there with the model as an argument (`compute_accuracy(model, loader)`)."""
    if stmt is None or not stack or not text or "." in text or not isinstance(stack[-1], cst.Call):
        return None
    site, callee = stack[-1], p.scope(node)
    if p.scope(site) is not p.scope(stmt) or not isinstance(callee, cst.FunctionDef):
        return None
    params = [prm.name.value for prm in callee.params.params]
    if text not in params or (params and params[0] in ("self", "cls")):
        return None
    value = next((a.value for a in site.args if a.keyword is not None and a.keyword.value == text), None)
    if value is None:
        positional = [a.value for a in site.args if a.keyword is None and not a.star]
        i = params.index(text)
        value = positional[i] if i < len(positional) and len(positional) == len([a for a in site.args if a.keyword is None]) else None
    return source_text(value)


def source_text(value):
    from tensorlint.syntax import dotted

    return dotted(value) or None if isinstance(value, (cst.Name, cst.Attribute)) else None
