import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Tensor, Unknown

from ._training import under_no_grad

# in-place tensor methods that write into their receiver (`add_`, `mul_`, `copy_`, `normal_`...)
# (`detach_()` cuts the tensor from its graph and writes no value: a leaf may be detached in place)
_NOT_WRITES = frozenset({"requires_grad_", "retain_grad", "share_memory_", "record_stream", "pin_memory", "detach_"})
_ARITHMETIC = (cst.AddAssign, cst.SubtractAssign, cst.MultiplyAssign, cst.DivideAssign)
_PARAMETER_ITERATORS = ("parameters", "named_parameters")


def _writes(method: str) -> bool:
    return method.endswith("_") and not method.startswith("_") and method not in _NOT_WRITES


class InPlaceUpdateOfLeaf(Rule):
    """
    ## What it does
    Finds an in-place change of a tensor that requires gradients and was made by the program,
    not computed (a *leaf*: `w = torch.randn(3, 4, requires_grad=True)`, a model's parameter),
    outside `torch.no_grad()`: `w -= lr * w.grad`, `w.add_(...)`, `p.sub_(lr * p.grad)` in a
    loop over `model.parameters()`. A parameter made with `nn.Parameter(..., requires_grad=False)`
    (a step counter) and the weights of a layer frozen with `.requires_grad_(False)` (a fused
    Conv+BN built for inference) need no gradients and may be written in place. `detach_()`
    writes no value (it cuts the tensor from its graph) and is not reported.

    ## Why is this bad?
    PyTorch refuses it: `RuntimeError: a leaf Variable that requires grad is being used in an
    in-place operation`. A hand-written gradient-descent step must not be recorded by autograd,
    so it runs under `with torch.no_grad():` (or on `.data`, the older spelling).

    ## Example
    ```python
    w = torch.randn(3, 1, requires_grad=True)
    for step in range(100):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        w -= 0.1 * w.grad
        w.grad.zero_()
    ```

    ## Use instead
    ```python
    w = torch.randn(3, 1, requires_grad=True)
    for step in range(100):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        w.grad.zero_()
    ```

    ## Fix safety
    There is no automatic fix: the update needs a `with torch.no_grad():` block around it.
    """

    code = "TL416"
    name = "inplace-update-of-leaf"
    severity = Severity.ERROR
    summary = "An in-place update of a tensor that requires gradients (a leaf or a parameter) outside torch.no_grad()."
    failing = (
        "import torch\nx, y = torch.randn(16, 3), torch.randn(16, 1)\nw = torch.randn(3, 1, requires_grad=True)\n"
        "for step in range(100):\n    loss = ((x @ w - y) ** 2).mean()\n    loss.backward()\n"
        "    w -= 0.1 * w.grad  # TL416\n    w.grad.zero_()\n",
        "import torch\nx, y = torch.randn(16, 3), torch.randn(16, 1)\nw = torch.zeros(3, 1, requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\nfor step in range(100):\n    loss = ((x @ w + b - y) ** 2).mean()\n"
        "    loss.backward()\n    w.sub_(0.1 * w.grad)  # TL416\n    b.add_(b.grad, alpha=-0.1)  # TL416\n",
        "import torch\nfrom model import Net\n\nmodel = Net()\n\ndef sgd(lr):\n    for p in model.parameters():\n"
        "        p.add_(p.grad, alpha=-lr)  # TL416\n",
    )
    passing = (
        "import torch\nx, y = torch.randn(16, 3), torch.randn(16, 1)\nw = torch.randn(3, 1, requires_grad=True)\n"
        "for step in range(100):\n    loss = ((x @ w - y) ** 2).mean()\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= 0.1 * w.grad\n    w.grad.zero_()\n",
    )
    lookalikes = (
        # the older spelling: the update on .data is not recorded
        "import torch\nw = torch.randn(3, 1, requires_grad=True)\nw.data -= 0.1 * torch.ones(3, 1)\n"
        "for p in [w]:\n    p.data.add_(torch.ones(3, 1), alpha=-0.1)\n",
        # a decorated update step, and an update of a tensor computed from the leaf (not a leaf)
        "import torch\nw = torch.randn(3, 1, requires_grad=True)\n\n@torch.no_grad()\ndef step():\n    w -= 0.1 * w.grad\n\n"
        "h = w * 2\nh += 1\n",
        # tensors that do not require gradients
        "import torch\nacc = torch.zeros(3)\nacc += torch.ones(3)\nacc.mul_(0.5)\n",
        # an exponential moving average of parameters, under no_grad
        "import torch\nfrom model import Net\nmodel, ema = Net(), Net()\nwith torch.no_grad():\n"
        "    for e, p in zip(ema.parameters(), model.parameters()):\n        e.mul_(0.99).add_(p, alpha=0.01)\n",
    )

    # -- tensors the program made: their values carry requires_grad -------------------------------

    def on_augassign(self, ctx, ev):
        node = ev.node
        if not isinstance(node.operator, _ARITHMETIC) or ctx.no_grad or _on_data(node.target):
            return
        if _is_leaf(ev.target):
            self._report(ctx, node, dotted(node.target) or "the tensor", f"`{_op(node)}`")

    def on_method_call(self, ctx, ev):
        if not _writes(ev.method) or ctx.no_grad or not _is_leaf(ev.receiver):
            return
        func = ev.node.func if isinstance(ev.node, cst.Call) else None
        receiver = func.value if isinstance(func, cst.Attribute) else None
        if receiver is None or _on_data(receiver):
            return
        self._report(ctx, ev.node, dotted(receiver) or "the tensor", f"`.{ev.method}()`")

    # -- parameters of a model the analysis does not know (`for p in model.parameters():`) --------

    def on_loop(self, ctx, trace):
        loop = trace.node
        name = _parameter_variable(loop)
        if name is None or ctx.no_grad:
            return
        for receiver, method, node, _args, _kwargs in trace.calls:
            if not isinstance(receiver, Unknown) or not _writes(method) or not isinstance(node, cst.Call):
                continue
            func = node.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name \
                    and _reads_grad(node.args, name) and not under_no_grad(ctx, node, loop):
                self._report(ctx, node, name, f"`.{method}()`")
        for node, left, _right in trace.augassigns:
            if isinstance(node, cst.AugAssign) and isinstance(left, Unknown) and isinstance(node.operator, _ARITHMETIC) \
                    and isinstance(node.target, cst.Name) and node.target.value == name \
                    and _reads_grad([node.value], name) and not under_no_grad(ctx, node, loop):
                self._report(ctx, node, name, f"`{_op(node)}`")

    def _report(self, ctx, node, name, how):
        ctx.report(self, node,
                   f"`{name}` requires gradients and is a leaf (made by the program, or a model's parameter): changing it "
                   f"in place with {how} outside torch.no_grad() raises RuntimeError (a leaf Variable that requires grad "
                   f"is being used in an in-place operation); update it under `with torch.no_grad():`")


def _op(node: cst.AugAssign) -> str:
    return {cst.AddAssign: "+=", cst.SubtractAssign: "-=", cst.MultiplyAssign: "*=", cst.DivideAssign: "/="}[type(node.operator)]


# calls that make a tensor from a shape or from data, not by computing with other tensors
_FACTORIES = frozenset({
    "tensor", "as_tensor", "from_numpy", "randn", "rand", "randint", "randperm", "normal", "zeros", "ones", "empty",
    "full", "eye", "arange", "linspace", "logspace", "zeros_like", "ones_like", "empty_like", "full_like",
    "randn_like", "rand_like", "Tensor", "FloatTensor", "DoubleTensor", "Variable", "Parameter",
})


def _is_leaf(value) -> bool:
    """A torch tensor that requires gradients and was made, not computed: a parameter, or a
    tensor whose value is still the one a factory call made (`torch.randn(..., requires_grad=True)`,
    `torch.zeros(3).requires_grad_()`, `w.requires_grad = True`, `nn.Parameter(...)`)."""
    if not isinstance(value, Tensor) or value.fw != "torch" or value.requires_grad is not True:
        return False
    if value.param:
        return True
    made = value.origin
    return isinstance(made, cst.Call) and value.node is made and dotted(made.func).rsplit(".", 1)[-1] in _FACTORIES


def _on_data(node) -> bool:
    """`w.data` (or something reached through it): changes autograd does not record."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Attribute) and node.attr.value in ("data", "grad"):
            return True
        node = node.value
    return False


def _parameter_variable(loop) -> str | None:
    """`p` of `for p in model.parameters():` / `for name, p in model.named_parameters():`."""
    if not isinstance(loop, cst.For) or not isinstance(loop.iter, cst.Call) or not isinstance(loop.iter.func, cst.Attribute):
        return None
    method = loop.iter.func.attr.value
    if method not in _PARAMETER_ITERATORS or loop.iter.args:
        return None
    target = loop.target
    if method == "named_parameters":
        if isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2:
            target = target.elements[1].value
        else:
            return None
    return target.value if isinstance(target, cst.Name) else None


def _reads_grad(nodes, name) -> bool:
    """The update uses the parameter's own gradient (`p.grad`): the parameter requires it."""
    for root in nodes:
        root = getattr(root, "value", root)
        for n in (root, *descendants(root)):
            if isinstance(n, cst.Attribute) and n.attr.value == "grad" and isinstance(n.value, cst.Name) and n.value.value == name:
                return True
    return False
