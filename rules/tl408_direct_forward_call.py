import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity, Span
from tensorlint.rule import Rule

from ._training import is_model, parents


def _is_super(node) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "super"


def _delegates(ctx, node) -> bool:
    p = parents(ctx)
    if not isinstance(p.parent.get(node), cst.Return):
        return False
    func = p.scope(node)
    return isinstance(func, cst.FunctionDef) and func.name.value == "forward"


class DirectForwardCall(Rule):
    """
    ## What it does
    Finds `model.forward(x)` on an `nn.Module` instance (a layer, a `Sequential`, a class of
    the file), including a submodule's `self.encoder.forward(x)` inside another module. A
    module's own methods calling `self.forward(...)` or `super().forward(...)`, and wrappers whose
    `forward` is just `return self.inner.forward(...)`, are not reported.

    ## Why is this bad?
    `Module.__call__` runs the forward pre-hooks and hooks (used by pruning, quantization,
    activation logging, `torch.utils.checkpoint` helpers and many profilers) around `forward`.
    Calling `forward` directly skips them silently.

    ## Example
    ```python
    pred = model.forward(x)
    ```

    ## Use instead
    ```python
    pred = model(x)
    ```

    ## Fix safety
    The fix removes `.forward` and is safe: `model(x)` calls the same `forward` with the same
    arguments, plus the hooks.
    """

    code = "TL408"
    name = "direct-forward-call"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "`model.forward(x)` on an `nn.Module` instance skips its hooks."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\npred = model.forward(torch.randn(8, 4))  # TL408\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 1)\n\n    def forward(self, x):\n        return self.fc(x)\n\n"
        "net = Net()\nout = net.forward(torch.randn(2, 4))  # TL408\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\npred = model(torch.randn(8, 4))\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\n\nclass Base(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 1)\n\n    def forward(self, x):\n        return self.fc(x)\n\n"
        "class Scaled(Base):\n    def forward(self, x):\n        return super().forward(x) * 2\n\n"
        "    def predict(self, x):\n        return self.forward(x).sigmoid()\n\nScaled().predict(torch.randn(2, 4))\n",
        "import torch.nn as nn\n\nclass Wrapper(nn.Module):\n    def forward(self, x):\n        return nn.Module.forward(self, x)\n",
        "import torch\nimport torch.nn as nn\n\nclass Exportable(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.model = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.model.forward(x)\n\n"
        "Exportable()(torch.randn(1, 4))\n",
    )

    def on_module_method(self, ctx, ev):
        if ev.method != "forward" or not is_model(ev.receiver):
            return
        func = getattr(ev.node, "func", None)
        if not isinstance(func, cst.Attribute) or func.attr.value != "forward" or _is_super(func.value):
            return
        if ev.caller_self is ev.receiver:
            return  # self.forward(...) inside the module's own methods
        if is_model(ev.caller_self) and _delegates(ctx, ev.node):
            return  # a wrapper whose forward is `return self.inner.forward(...)` (export and compile wrappers)
        receiver_span, func_span = ctx.span(func.value), ctx.span(func)
        fix = None
        if receiver_span is not None and func_span is not None:
            fix = Fix("Call the module instead of .forward", (Edit(Span(receiver_span.end, func_span.end), ""),), Applicability.SAFE)
        who = ctx.source(func.value)
        ctx.report(self, ev.node,
                   f"`{who}.forward(...)` skips the module's forward hooks and pre-hooks; call `{who}(...)` instead",
                   fix=fix)
