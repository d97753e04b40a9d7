from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import ANY, Tensor, shape_list

from ._common import value_name


class GradShapeMismatch(Rule):
    """
    ## What it does
    Finds assignments to `param.grad` of a tensor whose shape differs from the parameter's.

    ## Why is this bad?
    PyTorch raises `RuntimeError: assigned grad has data of a different size` at the
    assignment; hand-written gradients of the transposed shape are the classic cause.

    ## Example
    ```python
    w = torch.randn(3, 4, requires_grad=True)
    w.grad = torch.randn(4, 3)
    ```

    ## Use instead
    ```python
    w.grad = torch.randn(3, 4)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL206"
    name = "grad-shape-mismatch"
    severity = Severity.ERROR
    summary = "A tensor of another shape is assigned to `param.grad`."
    failing = ("import torch\nw = torch.randn(3, 4, requires_grad=True)\nw.grad = torch.randn(4, 3)  # TL206\n",)
    passing = ("import torch\nw = torch.randn(3, 4, requires_grad=True)\nw.grad = torch.randn(3, 4)\n",)
    lookalikes = (
        "import torch\nw = torch.randn(3, 4, requires_grad=True)\nw.grad = torch.zeros_like(w)\n",
        "import torch\nw = torch.randn(3, 4, requires_grad=True)\nw.grad = None\n",
    )

    def on_grad_assign(self, ctx, ev):
        p, g = ev.target, ev.value
        if not isinstance(p, Tensor) or not isinstance(g, Tensor) or p.shape is None or g.shape is None:
            return
        if ANY in p.shape[:1] or ANY in g.shape[:1]:
            return
        if not all(isinstance(d, int) for d in p.shape + g.shape) or p.shape == g.shape:
            return
        ctx.report(
            self, ev.node,
            f"gradient of shape {shape_list(g.shape)} assigned to {value_name(ctx, p)} of shape {shape_list(p.shape)}",
            related=[(t.origin, "made here") for t in (p, g) if t.origin is not None],
        )
