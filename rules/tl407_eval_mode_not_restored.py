import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Optimizer, Tensor, Unknown

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


class EvalModeNotRestored(Rule):
    """
    ## What it does
    Finds a training loop where `model.eval()` is called (for validation, often in a helper)
    and the next `optimizer.step()` for that model comes before any `model.train()`, in the
    same iteration or the next one. The optimizer trains the model when it was built on the
    model's parameters, or, when its parameters are not known (a training function given its
    optimizer), when every loss the loop backpropagates comes from that model alone.

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
        # eval mode restored by a helper
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))\n"
        "opt = torch.optim.Adam(model.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n\n"
        "def validate(m):\n    m.eval()\n    with torch.no_grad():\n        out = m(x)\n    m.train()\n    return out\n\n"
        "for epoch in range(10):\n    opt.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n    opt.step()\n    validate(model)\n",
        # a frozen part (BatchNorm statistics) while the whole model trains
        "import torch\nimport torch.nn as nn\nbackbone = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32))\nhead = nn.Linear(32, 2)\n"
        "opt = torch.optim.Adam(head.parameters())\nx, y = torch.randn(24, 10), torch.randint(0, 2, (24,))\n"
        "for epoch in range(10):\n    backbone.eval()\n    opt.zero_grad()\n    nn.functional.cross_entropy(head(backbone(x)), y).backward()\n    opt.step()\n",
    )

    def on_loop(self, ctx, trace):
        if trace.opaque:
            return
        calls = trace.calls
        n = len(calls)
        for i, entry in enumerate(calls):
            model = entry[0]
            if entry[1] not in ("eval", "train") or _mode(entry) is not False or not is_model(model):
                continue
            ids = module_ids(model)
            for k in range(1, n):
                other = calls[(i + k) % n]
                receiver, method = other[0], other[1]
                if method == "train" and (isinstance(receiver, Unknown) or id(receiver) in ids or id(model) in module_ids(receiver)):
                    if _mode(other) is not False:
                        break
                if method == "step" and _trains(receiver, model, calls) and not other[3] and not other[4]:
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
