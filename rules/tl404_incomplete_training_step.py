from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Optimizer, Tensor

from ._training import backward_calls, has_closure, source, step_calls


def _names(calls) -> set:
    return {c[1] for c in calls}


class IncompleteTrainingStep(Rule):
    """
    ## What it does
    Finds a training loop that calls `optimizer.step()` but no `backward()` anywhere in the
    loop (or in an enclosing loop), or that clears the optimizer's gradients and calls
    `backward()` but never `optimizer.step()`.

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
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n",
    )
    lookalikes = (
        # accumulation over micro-batches, one step per outer iteration
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.Adam(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\nfor epoch in range(50):\n    opt.zero_grad()\n    for part in range(4):\n"
        "        nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        # LBFGS closure
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.LBFGS(model.parameters())\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\n\ndef closure():\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    return loss\n\nfor i in range(5):\n    opt.step(closure)\n",
        # gradients computed by a helper the loop calls
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 3), torch.randn(16, 1)\n\ndef compute_grads():\n    nn.functional.mse_loss(model(x), y).backward()\n\n"
        "for i in range(5):\n    opt.zero_grad()\n    compute_grads()\n    opt.step()\n",
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
            text = source(ctx, trace.node) or ""  # printing a loop's code costs: only when needed
            if "backward" not in text and "autograd" not in text and ".grad" not in text:
                step = steps[0]
                ctx.report(self, step[2],
                           "optimizer.step() runs in this loop but nothing calls backward(): there are no gradients to "
                           "apply, so the weights never change")
            return
        backs = [c for _, c in backward_calls(calls) if isinstance(c[0], Tensor) and c[0].requires_grad is True]
        clears = [c for c in calls if c[1] == "zero_grad" and isinstance(c[0], Optimizer)]
        if backs and clears and "step" not in around and not _mentions(ctx, trace.node, ".step(", "apply_gradients"):
            ctx.report(self, backs[0][2],
                       "backward() computes gradients every iteration but no optimizer.step() is reachable in the loop: "
                       "the gradients are thrown away and the weights never change",
                       related=[(clears[0][2], "gradients cleared here")])


def _mentions(ctx, node, *words: str) -> bool:
    text = source(ctx, node) or ""
    return any(w in text for w in words)
