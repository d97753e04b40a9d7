import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Span
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor, is_int_dtype

from ._common import value_name


class IntegerTensorRequiresGrad(Rule):
    """
    ## What it does
    Finds integer or bool tensors that are asked to require gradients: created with
    `requires_grad=True` (including a dtype inferred from integer literals, as in
    `torch.tensor([1, 2, 3], requires_grad=True)`), or given `.requires_grad_()` or
    `.requires_grad = True` later.

    ## Why is this bad?
    Only floating-point and complex tensors can require gradients: PyTorch raises
    `RuntimeError: Only Tensors of floating point and complex dtype can require gradients`.
    A parameter written as integer literals is the usual cause.

    ## Example
    ```python
    w = torch.tensor([1, 2, 3], requires_grad=True)
    ```

    ## Use instead
    ```python
    w = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)
    ```

    ## Fix safety
    Setting `dtype=torch.float32` is safe: the integer tensor cannot be created at all.
    """

    code = "TL103"
    name = "integer-tensor-requires-grad"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "An integer or bool tensor is made to require gradients."
    failing = (
        "import torch\nw = torch.tensor([1, 2, 3], requires_grad=True)  # TL103\n",
        "import torch\nw = torch.tensor([1, 2, 3], dtype=torch.int32, requires_grad=True)  # TL103\n",
        "import torch\nidx = torch.arange(10)\nidx.requires_grad_()  # TL103\n",
    )
    passing = ("import torch\nw = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n",)
    lookalikes = (
        "import torch\nw = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)\n",
        "import torch\nidx = torch.arange(10)\nmask = idx > 3\n",
    )

    def on_tensor_created(self, ctx, ev):
        t = ev.tensor
        if not isinstance(t, Tensor) or t.requires_grad is not True or not is_int_dtype(t.dtype):
            return
        ctx.report(self, ev.node, f"{ev.qualname.rsplit('.', 1)[-1]}(...) makes a {t.dtype} tensor with requires_grad=True; only floating-point tensors can require gradients",
                   fix=self._fix(ctx, ev))

    def on_method_call(self, ctx, ev):
        t = ev.receiver
        if ev.method == "requires_grad_" and isinstance(t, Tensor) and is_int_dtype(t.dtype):
            flag = ev.args[0] if ev.args else ev.kwargs.get("requires_grad")
            if flag is None or getattr(flag, "value", None) is True:
                ctx.report(self, ev.node, f"{value_name(ctx, t)} is {t.dtype}; only floating-point tensors can require gradients")

    def on_attr_assign(self, ctx, ev):
        t = ev.target
        if ev.attr == "requires_grad" and isinstance(t, Tensor) and is_int_dtype(t.dtype) and getattr(ev.value, "value", None) is True:
            ctx.report(self, ev.node, f"{value_name(ctx, t)} is {t.dtype}; only floating-point tensors can require gradients")

    def _fix(self, ctx, ev):
        node = ev.node
        dtype_node = ev.kwarg_nodes.get("dtype")
        if isinstance(dtype_node, cst.Attribute):
            span = ctx.span(dtype_node.attr)
            if span is not None:
                return Fix("Use `dtype=...float32`", (Edit(span, "float32"),), Applicability.SAFE)
            return None
        if dtype_node is None and isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
            module = ctx.source(node.func.value)
            last = node.args[-1]
            span = ctx.span(last.value)
            if span is None:
                return None
            return Fix(f"Add `dtype={module}.float32`", (Edit(Span(span.end, span.end), f", dtype={module}.float32"),), Applicability.SAFE)
        return None
