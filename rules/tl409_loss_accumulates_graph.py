import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import descendants
from ._training import append_call, backward_calls, parents


def _target_and_added(node):
    """(accumulator name, node of the added expression) of `total += x` / `total = total + x`."""
    if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign) and isinstance(node.target, cst.Name):
        return node.target.value, node.value
    if isinstance(node, cst.Assign) and isinstance(node.value, cst.BinaryOperation):
        return node.targets[0].target.value, node.value.right
    return None, None


def _rebinds(block, name, skip) -> bool:
    """Does a block bind `name` anew (`total = 0.0` at the start of each epoch)?"""
    for node in descendants(block, prune=(cst.Assign, cst.AnnAssign, cst.FunctionDef)):
        if isinstance(node, cst.Assign) and node is not skip:
            if any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                return True
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            if isinstance(node.target, cst.Name) and node.target.value == name:
                return True
    return False


def _backward_of(scope, name) -> bool:
    """Is `name` backward()-ed somewhere (`total.backward()`, `(total / n).backward()`)?"""
    for node in descendants(scope):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "backward":
            target = node.func.value
            if isinstance(target, cst.Name) and target.value == name:
                return True
            if any(isinstance(n, cst.Name) and n.value == name for n in descendants(target)):
                return True
    return False


class LossAccumulatesGraph(Rule):
    """
    ## What it does
    Finds a loss tensor added into a running total across iterations (`total += loss`,
    `total = total + loss`) in a loop that calls `backward()` every iteration, without
    `.item()` or `.detach()`.

    ## Why is this bad?
    The total is a tensor that references the autograd graph of every iteration it was added
    from. None of them can be freed until the total is: memory grows with every batch and long
    epochs end in "CUDA out of memory". Logging needs the number, not the graph.

    ## Example
    ```python
    running_loss = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        running_loss += loss
    ```

    ## Use instead
    ```python
        running_loss += loss.item()
    ```
    Summing losses on purpose and calling `backward()` on the sum (accumulating over parts of a
    batch) is not reported.

    ## Fix safety
    The fix appends `.item()` to the added value. It is safe for logging totals; code that later
    calls tensor methods on the total (`total.item()`) needs adjusting.
    """

    code = "TL409"
    name = "loss-accumulates-graph"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "A loss tensor accumulated across iterations without `.item()` keeps every graph alive."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\ntotal = 0.0\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n    total += loss  # TL409\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\ntotal = 0.0\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n    total += loss.item()\n",
    )
    lookalikes = (
        # summing losses of several heads, then one backward on the sum
        "import torch\nimport torch.nn as nn\nheads = [nn.Linear(5, 1) for _ in range(3)]\nx, y = torch.randn(8, 5), torch.randn(8, 1)\n"
        "total = 0\nfor head in heads:\n    total += nn.functional.mse_loss(head(x), y)\ntotal.backward()\n",
        # a loss built within the iteration
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss += 0.01 * model(x).abs().mean()\n    loss.backward()\n    opt.step()\n",
        # validation totals under no_grad
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx, y = torch.randn(40, 5), torch.randn(40, 1)\n"
        "val = 0.0\nwith torch.no_grad():\n    for i in range(10):\n        val += nn.functional.mse_loss(model(x), y)\n",
    )

    def on_loop(self, ctx, trace):
        if trace.opaque or not trace.augassigns:
            return
        backs = [c for _, c in backward_calls(trace.calls) if isinstance(c[0], Tensor) and c[0].requires_grad is True]
        if not backs:
            return
        p = parents(ctx)
        for node, _old, added in trace.augassigns:
            if not isinstance(added, Tensor) or added.fw != "torch" or added.requires_grad is not True:
                continue
            name, added_node = _target_and_added(node)
            if name is None or not p.inside(node, trace.node):
                continue
            if any(c[0].name == name for c in backs):
                continue
            if _rebinds(trace.node.body, name, node):
                continue  # reset every iteration of this loop: judged with the inner loop
            scope = p.scope(node)
            if scope is not None and _backward_of(scope, name):
                continue
            fix = append_call(ctx, added_node, ".item()", "Accumulate the number with .item()", Applicability.SAFE)
            what = f"`{added.name}`" if added.name else "a loss tensor"
            ctx.report(self, node,
                       f"`{name}` accumulates {what} across iterations without .item(): it keeps the autograd graph of every "
                       f"iteration alive and memory grows each step",
                       fix=fix, related=[(backs[0][2], "backward() every iteration")])
