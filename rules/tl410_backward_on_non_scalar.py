from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import ANY, Tensor, shape_list

from ._training import insert_method


class BackwardOnNonScalar(Rule):
    """
    ## What it does
    Finds `.backward()` called without `gradient=` on a tensor whose shape is known to hold
    more than one element: a loss built with `reduction='none'`, a hand-written squared error
    without `.mean()`, a per-sample weighting.

    ## Why is this bad?
    PyTorch can only create the initial gradient implicitly for a single value and raises
    `RuntimeError: grad can be implicitly created only for scalar outputs`.

    ## Example
    ```python
    criterion = nn.CrossEntropyLoss(reduction="none")
    loss = criterion(model(x), y) * weights
    loss.backward()
    ```

    ## Use instead
    ```python
    loss = (criterion(model(x), y) * weights).mean()
    loss.backward()
    ```

    ## Fix safety
    Appending `.mean()` is unsafe: it changes the scale of the gradients compared with `.sum()`,
    and the right reduction is the author's choice.
    """

    code = "TL410"
    name = "backward-on-non-scalar"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "`.backward()` without `gradient=` on a tensor with more than one element."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 4)\nx, y = torch.randn(8, 10), torch.randint(0, 4, (8,))\n"
        "loss = nn.CrossEntropyLoss(reduction='none')(model(x), y)\nloss.backward()  # TL410\n",
        "import torch\nw = torch.randn(3, 1, requires_grad=True)\nx, y = torch.randn(10, 3), torch.randn(10, 1)\n"
        "(x @ w - y).pow(2).backward()  # TL410\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 4)\nx, y = torch.randn(8, 10), torch.randint(0, 4, (8,))\n"
        "loss = nn.CrossEntropyLoss(reduction='none')(model(x), y)\nloss.mean().backward()\n",
    )
    lookalikes = (
        # an explicit gradient makes a vector-Jacobian product
        "import torch\nx = torch.randn(5, requires_grad=True)\ny = x * 2\ny.backward(torch.ones_like(y))\n",
        "import torch\nx = torch.randn(5, requires_grad=True)\ny = x * 2\ny.backward(gradient=torch.ones(5))\n",
        # one element is fine
        "import torch\nw = torch.randn(1, requires_grad=True)\n(w * 3).backward()\n",
    )

    def on_method_call(self, ctx, ev):
        t = ev.receiver
        if ev.method != "backward" or not isinstance(t, Tensor) or t.fw != "torch" or t.requires_grad is False:
            return
        if ev.args or "gradient" in ev.kwargs or "grad_tensors" in ev.kwargs:
            return
        shape = t.shape
        if not shape or shape[0] is ANY or not any(isinstance(d, int) and not isinstance(d, bool) and d > 1 for d in shape):
            return
        fix = insert_method(ctx, ev.node, "mean()", "Reduce with .mean() before backward()", Applicability.UNSAFE)
        who = f"`{t.name}`" if t.name else "a tensor"
        ctx.report(self, ev.node,
                   f"backward() on {who} of shape {shape_list(shape)}: without `gradient=` it needs a single value "
                   f"(RuntimeError: grad can be implicitly created only for scalar outputs); reduce it with .mean() or .sum()",
                   fix=fix, related=[(t.origin, "made here")] if t.origin is not None else [])
