import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import ClassV, Const, Container, Instance, Layer, MutableList, Optimizer, Ref, Seq, Tensor, Unknown

from ._mode_layers import recurrent_dropout
from ._training import insert_before, is_model, module_ids, optimizer_model, parents, receiver_node, same_scope, source


def _mode(entry):
    """True for `m.train()`, False for `m.eval()` / `m.train(False)`, None when unknown."""
    _, method, _, args, kwargs = entry
    if method == "eval":
        return False
    flag = args[0] if args else kwargs.get("mode")
    if flag is None:
        return True
    return flag.value if isinstance(flag, Const) and isinstance(flag.value, bool) else None


# torch.nn layers that compute the same in train and eval mode
_MODE_FREE = frozenset({
    "Linear", "LazyLinear", "Bilinear", "Identity", "Flatten", "Unflatten", "Embedding", "EmbeddingBag",
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
    "LayerNorm", "GroupNorm", "LocalResponseNorm", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d",
    "PixelShuffle", "PixelUnshuffle", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d",
    "ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh", "Softmax",
    "LogSoftmax", "Softmin", "Softmax2d", "Softplus", "Softsign", "Hardtanh", "Hardswish", "Hardsigmoid", "Tanhshrink",
    "Threshold", "LogSigmoid", "Hardshrink", "Softshrink", "GLU",
})
_RECURRENT = frozenset({"RNN", "LSTM", "GRU"})
# names whose use in a module's code makes it behave differently in eval mode
_MODE_NAMES = frozenset({"training", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
                         "batch_norm", "instance_norm", "rrelu"})


def _class_reads_mode(cls) -> bool:
    """Whether a module class (or a user-defined base) reads `self.training` or calls dropout /
    batch norm itself, or derives from something other than nn.Module that may."""
    while isinstance(cls, ClassV):
        names = set()

        class _Names(cst.CSTVisitor):
            def visit_Name(self, node):
                names.add(node.value)

            def visit_Attribute(self, node):
                names.add(node.attr.value)

            def visit_Arg(self, node):  # `LSTM(..., dropout=0.0)`: a keyword's name is not code that runs
                node.value.visit(self)
                return False

        cls.node.visit(_Names())
        if names & _MODE_NAMES:
            return True
        if len(cls.bases) != 1:
            return True
        base = cls.bases[0]
        if not isinstance(base, ClassV):
            # only nn.Module itself is known to add nothing that depends on the mode
            return not (isinstance(base, Ref) and base.qualname == "torch.nn.Module")
        cls = base
    return False


def mode_free(model, limit: int = 256) -> bool:
    """True only when every module inside `model` is known and computes the same in train and
    eval mode (no Dropout, BatchNorm, recurrent dropout or code reading `self.training`)."""
    stack, seen = [model], set()
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if len(seen) > limit:
            return False
        if isinstance(v, Layer):
            short = v.kind.rsplit(".", 1)[-1]
            if v.fw != "torch" or not v.kind.startswith("torch.nn."):
                return False
            if short in _RECURRENT:
                if recurrent_dropout(v) != 0:  # some dropout, or not known
                    return False
            elif short not in _MODE_FREE:
                return False
        elif isinstance(v, Container):
            if v.fw != "torch":
                return False
            stack.extend(v.layers)
        elif isinstance(v, Instance):
            if v.cls.kind != "torch.module" or _class_reads_mode(v.cls):
                return False
            stack.extend(a for a in v.attrs.values() if isinstance(a, (Layer, Container, Instance, Seq, MutableList, Unknown)))
        elif isinstance(v, (Seq, MutableList)):
            stack.extend(v.items)
        else:
            return False  # unknown: it may hold anything
    return True


def _trains(opt, model, calls) -> bool:
    """Does the optimizer's step() train `model`? Yes when it was built on the model's parameters;
    also when its parameters are not known (an optimizer a function receives) but every loss the
    loop backpropagates comes from `model` alone: the only parameters given gradients are the
    model's."""
    known = optimizer_model(opt)
    if known is not None:
        return known is model
    if not isinstance(opt, Optimizer):
        return False
    ids = module_ids(model)
    backs = [c[0] for c in calls if c[1] == "backward"]
    return bool(backs) and all(isinstance(t, Tensor) and t.requires_grad is True and t.models and t.models <= ids for t in backs)


def _branch_of(p, node, stmt):
    """"body" or "else" for the side of the `if` statement `stmt` that holds `node`."""
    if p.inside(node, stmt.body):
        return "body"
    if stmt.orelse is not None and p.inside(node, stmt.orelse):
        return "else"
    return None


def _pure_test(test) -> bool:
    """A test made of names, attributes, constants and comparisons: nothing in it runs code that
    could give another answer the second time it is read."""
    todo = [test]
    while todo:
        n = todo.pop()
        if isinstance(n, (cst.Name, cst.Integer, cst.Float, cst.SimpleString)):
            continue
        if isinstance(n, cst.Attribute):
            todo.append(n.value)
        elif isinstance(n, cst.Comparison):
            todo.append(n.left)
            todo.extend(c.comparator for c in n.comparisons)
        elif isinstance(n, cst.BooleanOperation):
            todo.extend((n.left, n.right))
        elif isinstance(n, cst.UnaryOperation):
            todo.append(n.expression)
        else:
            return False
    return True


def _names_rebound(scope, test) -> bool:
    """A name the test reads is assigned in the function (outside its parameters)."""
    names = {n.value for n in [test, *_descendants(test)] if isinstance(n, cst.Name)}
    for n in _descendants(scope.body):
        if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.WithItem, cst.NamedExpr)):
            target = n.target if not isinstance(n, cst.WithItem) else (n.asname.name if n.asname else None)
            if target is not None and any(isinstance(t, cst.Name) and t.value in names for t in [target, *_descendants(target)]):
                return True
        if isinstance(n, (cst.Global, cst.Nonlocal)) and any(a.name.value in names for a in n.names):
            return True
    return False


def _descendants(node):
    from tensorlint.dataflow import descendants

    return descendants(node)


def _switched_by_same_test(ctx, eval_node, step_node) -> bool:
    """The eval() is one side of `if T: m.train() else: m.eval()` (or the reverse) and the step
    lies, later in the same function, under an `if` on the same test T on the side whose
    `train()` ran: whenever the step runs, the model was put back in training mode first.
    T reads only names and attributes that the function does not assign."""
    p = parents(ctx)
    scope = p.scope(eval_node)
    if not isinstance(scope, cst.FunctionDef) or p.scope(step_node) is not scope:
        return False
    who = receiver_node(eval_node)
    who_text = source(ctx, who) if who is not None else None
    if who_text is None:
        return False
    for first in p.ancestors(eval_node):
        if first is scope:
            return False
        if not isinstance(first, cst.If) or first.orelse is None or not isinstance(first.orelse, cst.Else):
            continue
        side = _branch_of(p, eval_node, first)
        other = first.orelse if side == "body" else first.body
        if side is None or not _pure_test(first.test) or not _puts_in_train(ctx, other, who_text):
            continue
        for second in p.ancestors(step_node):
            if second is scope:
                break
            if isinstance(second, cst.If) and second is not first and second.test.deep_equals(first.test) \
                    and p.scope(second) is scope and ctx.line(second) > ctx.line(first) \
                    and _branch_of(p, step_node, second) == ("else" if side == "body" else "body") \
                    and not _names_rebound(scope, first.test):
                return True
    return False


def _puts_in_train(ctx, block, who_text) -> bool:
    """`block` calls `<who>.train()` (or `.train(True)`) directly, outside any nested branch."""
    body = getattr(block, "body", None)
    for stmt in body if isinstance(body, (list, tuple)) else []:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            call = small.value if isinstance(small, cst.Expr) else None
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "train" \
                    and source(ctx, call.func.value) == who_text \
                    and (not call.args or (isinstance(call.args[0].value, cst.Name) and call.args[0].value.value == "True")):
                return True
    return False


class EvalModeNotRestored(Rule):
    """
    ## What it does
    Finds a training loop where `model.eval()` is called (for validation, often in a helper)
    and the next `optimizer.step()` for that model comes before any `model.train()`, in the
    same iteration or the next one. The optimizer trains the model when it was built on the
    model's parameters, or, when its parameters are not known (a training function given its
    optimizer), when every loss the loop backpropagates comes from that model alone. Not when
    every module of the model is known and none of them computes differently in eval mode (no
    Dropout, BatchNorm or InstanceNorm, no recurrent dropout, no code reading `self.training`):
    there `eval()` changes nothing. Nor when the `eval()` is one side of `if T: model.train()
    else: model.eval()` and the step lies later in the same function under an `if` on the same
    test `T`, on the side whose `train()` ran (a `run_epoch(phase)` helper for both phases), `T`
    reading only names the function does not assign: whenever the step runs, the model was put
    back in training mode first.

    ## Why is this bad?
    `eval()` is sticky. From then on Dropout is disabled and BatchNorm normalizes with its
    running statistics and stops updating them, so every later epoch trains a different,
    usually worse-regularized model. Nothing raises; the validation curve just looks wrong.

    ## Example
    ```python
    for epoch in range(epochs):
        for x, y in train_loader:
            ...
            optimizer.step()
        model.eval()
        validate(model)
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            ...
            optimizer.step()
        model.eval()
        validate(model)
    ```

    ## Fix safety
    The fix inserts `model.train()` before the statement of the loop that leads to the next
    training step. It is unsafe: a model kept in eval mode on purpose (frozen BatchNorm
    statistics while fine-tuning) would start updating them.
    """

    code = "TL407"
    name = "eval-mode-not-restored"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "`model.eval()` in a training loop with no `model.train()` before the next training step."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))\n"
        "opt = torch.optim.Adam(model.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n"
        "for epoch in range(10):\n    opt.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n    opt.step()\n"
        "    model.eval()  # TL407\n    with torch.no_grad():\n        print(model(x).argmax(1))\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))\n"
        "opt = torch.optim.Adam(model.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n"
        "for epoch in range(10):\n    model.train()\n    opt.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n"
        "    opt.step()\n    model.eval()\n    with torch.no_grad():\n        print(model(x).argmax(1))\n",
    )
    lookalikes = (
        # one helper for both phases: the mode and the step switched by the same test
        "import torch\nimport torch.nn as nn\n\ndef get_loop(model, opt, x, y):\n    def run(phase):\n"
        "        if phase.is_train:\n            model.train()\n        else:\n            model.eval()\n"
        "        loss = nn.functional.cross_entropy(model(x), y)\n        if phase.is_train:\n            opt.zero_grad()\n"
        "            loss.backward()\n            opt.step()\n    return run\n\n"
        "model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))\nopt = torch.optim.Adam(model.parameters())\n"
        "run = get_loop(model, opt, torch.randn(24, 10), torch.randint(0, 2, (24,)))\nfor phase in phases:\n    run(phase)\n",
        # eval mode restored by a helper
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))\n"
        "opt = torch.optim.Adam(model.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n\n"
        "def validate(m):\n    m.eval()\n    with torch.no_grad():\n        out = m(x)\n    m.train()\n    return out\n\n"
        "for epoch in range(10):\n    opt.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n    opt.step()\n    validate(model)\n",
        # a frozen part (BatchNorm statistics) while the whole model trains
        "import torch\nimport torch.nn as nn\nbackbone = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32))\nhead = nn.Linear(32, 2)\n"
        "opt = torch.optim.Adam(head.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n"
        "for epoch in range(10):\n    backbone.eval()\n    opt.zero_grad()\n    nn.functional.cross_entropy(head(backbone(x)), y).backward()\n    opt.step()\n",
        # a model with no Dropout or BatchNorm computes the same in both modes
        "import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layer_1 = nn.Linear(10, 32)\n        self.layer_2 = nn.Linear(32, 2)\n\n    def forward(self, x):\n"
        "        return self.layer_2(torch.relu(self.layer_1(x)))\n\nmodel = Net()\n"
        "opt = torch.optim.Adam(model.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n"
        "for epoch in range(10):\n    opt.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n    opt.step()\n"
        "    model.eval()\n    with torch.no_grad():\n        print(model(x).argmax(1))\n",
    )

    def on_loop(self, ctx, trace):
        if trace.opaque:
            return
        calls = trace.calls
        n = len(calls)
        for i, entry in enumerate(calls):
            model = entry[0]
            if entry[1] not in ("eval", "train") or _mode(entry) is not False or not is_model(model) or mode_free(model):
                continue
            ids = module_ids(model)
            for k in range(1, n):
                other = calls[(i + k) % n]
                receiver, method = other[0], other[1]
                if method == "train" and (isinstance(receiver, Unknown) or id(receiver) in ids or id(model) in module_ids(receiver)):
                    if _mode(other) is not False:
                        break
                if method == "step" and _trains(receiver, model, calls) and not other[3] and not other[4]:
                    if _switched_by_same_test(ctx, entry[2], other[2]):
                        continue  # `if training: m.train() else: m.eval()`, then `if training: opt.step()`
                    self._report(ctx, trace, entry, other)
                    break

    def _report(self, ctx, trace, eval_entry, step_entry):
        p = parents(ctx)
        eval_node, step_node = eval_entry[2], step_entry[2]
        who = receiver_node(eval_node)
        who_text = source(ctx, who) if isinstance(who, (cst.Name, cst.Attribute)) else None
        fix = None
        if who_text and p.inside(eval_node, trace.node) and same_scope(ctx, eval_node, trace.node.body):
            stmt = p.body_statement(step_node, trace.node)
            if stmt is not None:
                fix = insert_before(ctx, stmt, f"{who_text}.train()", f"Insert {who_text}.train() before training", Applicability.UNSAFE)
        name = who_text or "the model"
        ctx.report(self, eval_node,
                   f"{name} stays in eval mode: the next optimizer.step() (line {ctx.line(step_node)}) trains it with Dropout "
                   f"off and frozen BatchNorm statistics; call {name}.train() before training again",
                   fix=fix, related=[(step_node, "trained here in eval mode")])
