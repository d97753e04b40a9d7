import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._training import (
    backward_calls, clears_grads, has_closure, insert_before, parents, receiver_node, same_scope, source, step_calls,
)


class MissingZeroGrad(Rule):
    """
    ## What it does
    Finds a training loop that calls `backward()` and `optimizer.step()` but never clears the
    gradients: no `optimizer.zero_grad()`, `model.zero_grad()`, `p.grad = None` or
    `p.grad.zero_()` in the loop (or in the functions it calls). Gradient accumulation, where
    `step()` runs under a condition such as `if (i + 1) % accum == 0:`, is not reported.

    ## Why is this bad?
    `backward()` adds to `.grad`. Without clearing, every step applies the sum of all gradients
    since the start of training: the effective learning rate grows with each iteration and
    training diverges or oscillates, without any error.

    ## Example
    ```python
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Use instead
    ```python
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Fix safety
    The fix inserts `optimizer.zero_grad()` just before the `backward()` call, at its
    indentation. It is safe: the gradients are cleared before they are computed, and
    accumulation patterns are never reported.
    """

    code = "TL403"
    name = "missing-zero-grad"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "A loop calls `backward()` and `optimizer.step()` but never clears the gradients."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor epoch in range(100):\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()  # TL403\n    optimizer.step()\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor epoch in range(100):\n    optimizer.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    optimizer.step()\n",
    )
    lookalikes = (
        # gradient accumulation
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    loss = nn.functional.mse_loss(model(x), y) / 4\n"
        "    loss.backward()\n    if (i + 1) % 4 == 0:\n        opt.step()\n        opt.zero_grad()\n",
        # clearing by hand, or through the model
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    for p in model.parameters():\n        p.grad = None\n"
        "    nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    model.zero_grad()\n"
        "    nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        # LBFGS: the closure clears and computes the gradients
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.LBFGS(model.parameters())\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\n\ndef closure():\n    opt.zero_grad()\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()\n    return loss\n\nfor i in range(10):\n    opt.step(closure)\n",
    )

    def on_loop(self, ctx, trace):
        if trace.opaque:
            return
        calls = trace.calls
        backs = [c for _, c in backward_calls(calls) if isinstance(c[0], Tensor)]
        steps = [c for _, c in step_calls(calls)]
        if not backs or not steps or any(has_closure(c) for c in steps) or clears_grads(calls):
            return
        p = parents(ctx)
        if any(p.conditional_between(c[2], trace.node) for c in steps):
            return  # gradient accumulation: step() every few iterations
        text = source(ctx, trace.node) or ""
        if "zero_grad" in text or "grad = None" in text or "grad.zero_" in text:
            return
        back, step = backs[0], steps[0]
        opt = receiver_node(step[2])
        opt_text = source(ctx, opt) if isinstance(opt, (cst.Name, cst.Attribute)) else None
        fix = None
        stmt = p.statement(back[2])
        if opt_text and stmt is not None and same_scope(ctx, back[2], step[2]):
            fix = insert_before(ctx, stmt, f"{opt_text}.zero_grad()", f"Insert {opt_text}.zero_grad() before backward()", Applicability.SAFE)
        name = opt_text or "the optimizer"
        ctx.report(self, back[2],
                   f"gradients are never cleared in this loop: backward() adds to .grad and {name}.step() (line "
                   f"{ctx.line(step[2])}) applies the sum of all past gradients; call {name}.zero_grad() every iteration",
                   fix=fix, related=[(step[2], "step() here")])
