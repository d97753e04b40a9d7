import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Optimizer, Tensor

from ._training import backward_calls, has_closure, is_scheduler_step, parents, source, step_calls


def _names(calls) -> set:
    """Methods the loop calls; a learning-rate scheduler's `step()` is not an optimizer step."""
    return {c[1] for c in calls if not is_scheduler_step(c)}


class IncompleteTrainingStep(Rule):
    """
    ## What it does
    Finds a training loop that calls `optimizer.step()` but no `backward()` anywhere in the
    loop (or in an enclosing loop), or that clears the optimizer's gradients and calls
    `backward()` but never `optimizer.step()`. A learning-rate scheduler's `step()`
    (`torch.optim.lr_scheduler.StepLR(...)`, `get_linear_schedule_with_warmup(...)`) is not an
    optimizer step. Gradients written by hand before the step (`p.grad = g`, or `p._grad = g` as
    A3C's shared-model updater does with gradients from its workers), in the loop or in a
    function it calls, stand for `backward()`. A loop that steps an optimizer only so that its
    learning-rate scheduler moves on (recording the rate a schedule gives, with the model whose
    `parameters()` the optimizer holds never run nor handed to other code in the loop) is not
    reported, nor is a retry loop that is left by `break` once a pass gets through (halving the
    chunk size on out-of-memory) with the step after it.

    ## Why is this bad?
    Without `backward()`, `step()` finds no gradients (they stay `None`) and skips every
    parameter; without `step()`, the gradients are computed and thrown away. Either way the
    weights never change, the loss stays flat, and nothing raises.

    ## Example
    ```python
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        optimizer.step()
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL404"
    name = "incomplete-training-step"
    severity = Severity.WARNING
    summary = "A training loop with `step()` but no `backward()`, or `backward()` but no `step()`."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    opt.step()  # TL404\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()  # TL404\n",
        # the scheduler steps, the optimizer never does
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10)\nx, y = torch.randn(16, 3), torch.randn(16, 1)\n"
        "for epoch in range(50):\n    opt.zero_grad()\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()  # TL404\n    sched.step()\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n",
    )
    lookalikes = (
        # an optimizer step and a scheduler step
        "import torch\nimport torch.nn as nn\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nmodel = nn.Linear(3, 1)\n"
        "opt = torch.optim.Adam(model.parameters())\nsched = CosineAnnealingLR(opt, T_max=50)\nx, y = torch.randn(16, 3), torch.randn(16, 1)\n"
        "for epoch in range(50):\n    opt.zero_grad()\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()\n    opt.step()\n    sched.step()\n",
        # accumulation over micro-batches, one step per outer iteration
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n    for part in range(4):\n"
        "        nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        # LBFGS closure
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.LBFGS(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\n\ndef closure():\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    return loss\n\nfor i in range(5):\n    opt.step(closure)\n",
        # the optimizer stepped only to trace its scheduler's rate on a model the loop never runs
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(1, 1)\nopt = torch.optim.SGD(model.parameters(), lr=1.0)\n"
        "sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)\nrates = []\nfor step in range(100):\n"
        "    rates.append(opt.param_groups[0]['lr'])\n    opt.step()\n    sched.step()\n",
        # gradients computed by a helper the loop calls
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\n\ndef compute_grads():\n    nn.functional.mse_loss(model(x), y).backward()\n\n"
        "for i in range(5):\n    opt.zero_grad()\n    compute_grads()\n    opt.step()\n",
        # a retry loop on out-of-memory, left by `break` once a pass gets through; the step after it
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n\n"
        "def train_step(batch, chunk):\n    while chunk:\n        try:\n            opt.zero_grad()\n"
        "            for part in batch.split(chunk):\n                model(part).mean().backward()\n"
        "        except RuntimeError:\n            chunk //= 2\n        else:\n            break\n    opt.step()\n\n"
        "train_step(torch.randn(16, 3), 8)\n",
    )

    def on_loop(self, ctx, trace):
        if ctx.loops:
            return  # judged with the outermost loop, which knows what surrounds the inner ones
        self._visit(ctx, trace, frozenset())

    def _visit(self, ctx, trace, outer: frozenset):
        names = _names(trace.calls)
        if not trace.opaque:
            self._check(ctx, trace, names | outer)
        for inner in trace.inner:
            self._visit(ctx, inner, outer | names)

    def _check(self, ctx, trace, around: set):
        calls = trace.calls
        steps = [c for _, c in step_calls(calls)]
        if steps and "backward" not in around and "grad=" not in around and not any(has_closure(c) for c in steps):
            if not _mentions(ctx, trace.node, *_GRADIENT_WORDS) and not _scope_computes_gradients(ctx, trace.node, steps) \
                    and not _drives_a_schedule(ctx, trace, steps):
                step = steps[0]
                ctx.report(self, step[2],
                           "optimizer.step() runs in this loop but nothing calls backward(): there are no gradients to "
                           "apply, so the weights never change")
            return
        backs = [c for _, c in backward_calls(calls) if isinstance(c[0], Tensor) and c[0].requires_grad is True]
        clears = [c for c in calls if c[1] == "zero_grad" and isinstance(c[0], Optimizer)]
        if backs and clears and "step" not in around and not _other_steps(ctx, trace) and not _mentions(ctx, trace.node, "apply_gradients") \
                and not _retry_then_step(ctx, trace.node):
            scheds = [c for c in calls if is_scheduler_step(c)]
            note = ""
            if scheds:
                recv = getattr(scheds[0][2].func, "value", None)
                label = source(ctx, recv) if isinstance(recv, (cst.Name, cst.Attribute)) else "scheduler"
                note = f"; {label}.step() (line {ctx.line(scheds[0][2])}) only changes the learning rate"
            ctx.report(self, backs[0][2],
                       "backward() computes gradients every iteration but no optimizer.step() is reachable in the loop: "
                       f"the gradients are thrown away and the weights never change{note}",
                       related=[(clears[0][2], "gradients cleared here")] + [(c[2], "a learning-rate scheduler's step") for c in scheds[:1]])


# what code that fills `.grad` without a `backward()` method call the trace saw reads like:
# `torch.autograd.backward(losses, grads)`, `p.grad = ...`
_GRADIENT_WORDS = ("backward", "autograd", ".grad")


def _scope_computes_gradients(ctx, loop, steps) -> bool:
    """A step() made inside a helper function the loop calls, where that function fills the
    gradients itself (`torch.autograd.backward(nodes, grads)` just before `optimizer.step()`)."""
    p = parents(ctx)
    for step in steps:
        scope = p.scope(step[2])
        if isinstance(scope, cst.FunctionDef) and not p.inside(loop, scope) and _mentions(ctx, scope.body, *_GRADIENT_WORDS):
            return True
    return False


def _drives_a_schedule(ctx, trace, steps) -> bool:
    """The optimizer is stepped only so that a learning-rate scheduler on it moves on (a loop that
    records the rate a schedule gives at each step, on a model it never runs): the loop steps a
    scheduler, and the model whose `parameters()` each stepped optimizer was built on appears in
    the loop only as the owner of those parameters, never run nor handed to other code."""
    if not any(is_scheduler_step(c) for c in trace.calls):
        return False
    models = set()
    for step in steps:
        built = getattr(step[0], "node", None)
        first = built.args[0].value if isinstance(built, cst.Call) and built.args else None
        if not (isinstance(first, cst.Call) and isinstance(first.func, cst.Attribute) and first.func.attr.value == "parameters"
                and isinstance(first.func.value, cst.Name)):
            return False
        models.add(first.func.value.value)
    nodes = list(descendants(trace.node))
    read_from = {id(n.value) for n in nodes if isinstance(n, cst.Attribute)}  # `model` of `model.parameters`
    for n in nodes:
        if isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value in models:
            if n.attr.value != "parameters":
                return False
        elif isinstance(n, cst.Name) and n.value in models and id(n) not in read_from:
            return False
    return True


def _other_steps(ctx, trace) -> bool:
    """A `.step(...)` call in the loop that is not a learning-rate scheduler's: an optimizer the
    trace could not see (a branch not followed, an object of unknown kind)."""
    if ".step(" not in (source(ctx, trace.node) or ""):
        return False
    schedulers = {id(c[2]) for c in trace.calls if is_scheduler_step(c)}
    return any(isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "step" and id(n) not in schedulers
               for n in descendants(trace.node))


def _retry_then_step(ctx, loop) -> bool:
    """A loop that is left by `break` once a pass succeeds, with the step after it: the retry
    that halves the chunk size on out-of-memory (`while size: try: ...backward() except
    RuntimeError: size //= 2 else: break`, then `optimizer.step()`). The gradients of the
    pass that got through are the ones the step applies."""
    if not isinstance(loop, (cst.While, cst.For)) or not isinstance(loop.body, cst.IndentedBlock) or not loop.body.body:
        return False
    last = loop.body.body[-1]
    if isinstance(last, cst.Try):
        ends = [last.orelse.body] if last.orelse is not None else [last.body]
    else:
        ends = [loop.body]
    if not all(isinstance(b, cst.IndentedBlock) and b.body and _is_break(b.body[-1]) for b in ends):
        return False
    block = parents(ctx).parent.get(loop)
    if not isinstance(block, (cst.IndentedBlock, cst.Module)):
        return False
    after = list(block.body)
    at = next((k for k, st in enumerate(after) if st is loop), None)
    return at is not None and any(_mentions(ctx, st, ".step(") for st in after[at + 1:])


def _is_break(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, cst.Break) for s in stmt.body)


def _mentions(ctx, node, *words: str) -> bool:
    text = source(ctx, node) or ""
    return any(w in text for w in words)
