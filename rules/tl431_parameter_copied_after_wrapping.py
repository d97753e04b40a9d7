import libcst as cst

from tensorlint.cstwalk import statements

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from tensorlint.dataflow import descendants

from ._common import imported_qualname, module_names

_PARAMETER = ("torch.nn.Parameter", "torch.nn.parameter.Parameter")
# methods that return a copy when they change the device or the dtype (and the tensor itself
# when they change nothing)
_COPIES = frozenset({"to", "cuda", "double", "half", "bfloat16", "type"})


class ParameterCopiedAfterWrapping(Rule):
    """
    ## What it does
    Finds `nn.Parameter(t).to(device)` (or `.cuda()`, `.double()`, `.half()`, ...) bound to a
    name or a module attribute: the device or dtype change is applied after the tensor is
    wrapped as a parameter.

    ## Why is this bad?
    `.to()` returns the tensor itself only when it changes nothing; whenever it moves or casts,
    it returns a new tensor computed from the parameter, a plain non-leaf tensor. Bound to
    `self.class_token` in a module, that copy is not a registered parameter: it is not in
    `model.parameters()`, the optimizer never updates it, and `state_dict()` does not save it:
    it keeps its initial value however long the model trains. Given to an optimizer, it raises
    `ValueError: can't optimize a non-leaf Tensor`. Either the call does nothing or it breaks
    the parameter.

    ## Example
    ```python
    self.class_token = nn.Parameter(torch.randn(1, 1, dim)).to(device)
    ```

    ## Use instead
    ```python
    self.class_token = nn.Parameter(torch.randn(1, 1, dim).to(device))
    ```
    (or build it on the CPU and move the whole model with `model.to(device)`).

    ## Fix safety
    The fix moves the call inside the `nn.Parameter(...)`. It is unsafe only in that the
    tensor now is a parameter: code that relied on it not being trained (or not being saved)
    changes behaviour.
    """

    code = "TL431"
    triggers = ("Parameter",)
    name = "parameter-copied-after-wrapping"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "`nn.Parameter(t).to(device)` keeps a plain copy, not the parameter: it is never trained."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Embed(nn.Module):\n    def __init__(self, dim, device):\n"
        "        super().__init__()\n        self.cls = nn.Parameter(torch.randn(1, 1, dim)).to(device)  # TL431\n\n"
        "    def forward(self, x):\n        return torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)\n",
        "import torch\n\nw = torch.nn.Parameter(torch.zeros(10, 1)).double()  # TL431\nopt = torch.optim.SGD([w], lr=0.1)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\nclass Embed(nn.Module):\n    def __init__(self, dim, device):\n"
        "        super().__init__()\n        self.cls = nn.Parameter(torch.randn(1, 1, dim).to(device))\n\n"
        "    def forward(self, x):\n        return torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)\n",
    )
    lookalikes = (
        # in-place methods return the parameter itself; a tensor moved before it is wrapped
        "import torch\nimport torch.nn as nn\n\nw = nn.Parameter(torch.zeros(3)).requires_grad_(False)\n"
        "b = nn.Parameter(torch.zeros(3).cuda())\nv = nn.Parameter(torch.zeros(3))\nv.data = v.data.to('cuda')\n",
        # a copy made for a computation, not kept as the parameter
        "import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.w = nn.Parameter(torch.randn(4))\n\n    def forward(self, x):\n        w = self.w.to(x.dtype)\n        return x * w\n",
    )

    def on_module(self, ctx, ev):
        if "Parameter" not in ctx.text:
            return
        env = module_names(ctx)
        for chunk in ctx.chunks:
            for node in statements(chunk.module):  # assignments are statements: no walk into expressions
                if type(node) in (cst.Assign, cst.AnnAssign) and node.value is not None:  # (exact types: libcst's are ABCs)
                    self._check(ctx, env, node)

    def _check(self, ctx, env, assign):
        call = assign.value
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in _COPIES):
            return
        inner = call.func.value
        if not (isinstance(inner, cst.Call) and imported_qualname(env, inner.func) in _PARAMETER and inner.args):
            return
        targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
        target = dotted(targets[0]) if len(targets) == 1 else ""
        if not target:
            return
        method = call.func.attr.value
        wrapped = ctx.source(inner).strip()
        if target.startswith("self."):
            harm = ("bound to a module attribute, the copy is not a registered parameter: it is not in "
                    "model.parameters(), the optimizer never updates it and state_dict() does not save it")
        else:
            harm = "the copy is not a leaf: an optimizer given it raises ValueError, and the parameter itself is lost"
        message = (f"{target} holds {wrapped}.{method}(...), a copy of the parameter whenever .{method}() moves or "
                   f"casts it (a plain tensor computed from it); {harm}. Apply .{method}() to the tensor inside "
                   f"{_callee(inner)}(...)")
        ctx.report(self, call, message, fix=_fix(ctx, call, inner))


def _callee(inner: cst.Call) -> str:
    return dotted(inner.func) or "nn.Parameter"


def _fix(ctx, call: cst.Call, inner: cst.Call):
    """`nn.Parameter(t).to(d)` -> `nn.Parameter(t.to(d))` when the parameter is given one
    positional tensor."""
    if len(inner.args) != 1 or inner.args[0].keyword is not None or inner.args[0].star:
        return None
    span = ctx.span(call)
    if span is None:
        return None
    tensor = ctx.source(inner.args[0].value).strip()
    if not isinstance(inner.args[0].value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        tensor = f"({tensor})"
    method = call.func.attr.value
    args = ", ".join(ctx.source(a).strip().rstrip(",") for a in call.args)
    text = f"{_callee(inner)}({tensor}.{method}({args}))"
    return Fix(f"Apply .{method}() inside {_callee(inner)}(...)", (Edit(span, text),), Applicability.UNSAFE)
