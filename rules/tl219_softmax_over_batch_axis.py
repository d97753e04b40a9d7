import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._reaching import call_argument, called_name, reaching, scope_bindings
from ._training import parents
from ._trees import calls_written

_SOFTMAX = ("softmax", "log_softmax")
_SOFTMAX_FUNCS = ("torch.softmax", "torch.log_softmax", "torch.nn.functional.softmax", "torch.nn.functional.log_softmax",
                  "torch.special.softmax", "torch.special.log_softmax")
_SOFTMAX_LAYERS = ("torch.nn.Softmax", "torch.nn.LogSoftmax")
_PICK_FUNCS = ("torch.argmax", "torch.max")


def _literal_int(node) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.value)
    return None


def _function_form(env, call, names) -> bool:
    return (imported_qualname(env, call.func) or "") in names


def _pick(env, call):
    """(input expression, axis) of `x.argmax(dim)`, `torch.argmax(x, dim)`, `x.max(dim)`,
    `torch.max(x, dim)` with a literal axis; None otherwise."""
    if called_name(call) not in ("argmax", "max") or not isinstance(call.func, cst.Attribute):
        return None
    if _function_form(env, call, _PICK_FUNCS):
        x, axis = call_argument(call, 0, "input"), call_argument(call, 1, "dim")
    elif imported_qualname(env, call.func) is None:
        x, axis = call.func.value, call_argument(call, 0, "dim")
    else:
        return None
    axis = _literal_int(axis) if axis is not None else None
    return (x, axis) if x is not None and axis is not None else None


def _softmax_axis(env, node):
    """(axis, node of the axis argument) of a softmax call with a literal axis: `torch.softmax(x,
    dim)`, `F.softmax(x, dim=...)`, `x.softmax(dim)`, `nn.Softmax(dim)(x)`; None otherwise."""
    if not isinstance(node, cst.Call):
        return None
    if isinstance(node.func, cst.Call) and (imported_qualname(env, node.func.func) or "") in _SOFTMAX_LAYERS:
        axis = call_argument(node.func, 0, "dim")
    elif called_name(node) not in _SOFTMAX:
        return None
    elif _function_form(env, node, _SOFTMAX_FUNCS):
        axis = call_argument(node, 1, "dim")
    elif isinstance(node.func, cst.Attribute) and imported_qualname(env, node.func) is None:
        axis = call_argument(node, 0, "dim")
    else:
        return None
    value = _literal_int(axis) if axis is not None else None
    return (value, axis) if value is not None else None


class SoftmaxOverBatchAxis(Rule):
    """
    ## What it does
    Finds class predictions taken with `argmax` (or `max`) along axis 1 or later from a softmax
    computed along axis 0: `torch.softmax(logits, dim=0).argmax(dim=1)`,
    `F.softmax(out, 0).max(1)`, `probs = out.softmax(dim=0)` followed by `probs.argmax(dim=1)`.
    For a `[batch, classes]` output, axis 0 is the batch.

    ## Why is this bad?
    The softmax makes each slice along its own axis sum to 1: along axis 0 it compares every
    sample of the batch with the others, class by class. The `argmax` along the class axis then
    picks, for each sample, the class where that sample is most prominent relative to the rest of
    the batch, not its most probable class: the prediction of one sample changes with the other
    samples in the batch, and the "probabilities" are not the model's. PyTorch raises nothing.

    ## Example
    ```python
    y_pred = torch.softmax(y_logits, dim=0).argmax(dim=1)
    ```

    ## Use instead
    ```python
    y_pred = torch.softmax(y_logits, dim=1).argmax(dim=1)
    ```

    ## Fix safety
    The fix takes the softmax along the axis the argmax reads. It is unsafe: the code may lay
    its scores out with the classes first.
    """

    code = "TL219"
    triggers = ("max",)  # `argmax` or `max(`
    name = "softmax-over-batch-axis"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "A softmax along axis 0 (the batch of a [batch, classes] output) whose argmax is taken along another axis."
    failing = (
        "import torch\nlogits = torch.randn(32, 10)\npreds = torch.softmax(logits, dim=0).argmax(dim=1)  # TL219\n",
        "import torch\nimport torch.nn.functional as F\n\ndef predict(model, x):\n    with torch.no_grad():\n"
        "        probs = F.softmax(model(x), 0)  # TL219\n        return probs.max(1)[1]\n",
        "import torch\nimport torch.nn as nn\nout = torch.randn(8, 3)\n"
        "labels = torch.argmax(nn.Softmax(dim=0)(out), dim=1)  # TL219\n",
    )
    passing = (
        "import torch\nlogits = torch.randn(32, 10)\npreds = torch.softmax(logits, dim=1).argmax(dim=1)\n",
    )
    lookalikes = (
        # a softmax over the classes, then the most confident sample of each class
        "import torch\nprobs = torch.randn(32, 10).softmax(dim=1)\nbest = probs.argmax(dim=0)\n",
        # a 1-D score vector: axis 0 is the only axis; an argmax along the last axis of unknown rank
        "import torch\nscores = torch.randn(5)\nbest = torch.softmax(scores, dim=0).argmax()\n"
        "w = torch.softmax(torch.randn(5), 0).argmax(-1)\n",
        # the name is bound again before the argmax
        "import torch\nx = torch.randn(4, 3)\np = torch.softmax(x, dim=0)\np = torch.softmax(x, dim=1)\nk = p.argmax(dim=1)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "softmax" not in text.lower() or ("argmax" not in text and "max(" not in text):
            return
        env = module_names(ctx)
        p = None
        for call in calls_written(ctx, ("argmax", "max")):  # (`_pick`'s)
            picked = _pick(env, call)
            if picked is None or picked[1] < 1:
                continue
            x, axis = picked
            source = x
            if isinstance(x, cst.Name):
                p = p or parents(ctx)
                _, binds = scope_bindings(ctx, p, call)
                source = reaching(ctx, p, binds, x.value, call) if binds is not None else None
            soft = _softmax_axis(env, source) if source is not None else None
            if soft is None or soft[0] != 0:
                continue
            self._report(ctx, call, source, soft[1], axis)

    def _report(self, ctx, pick, soft, axis_node, axis):
        span = ctx.span(axis_node)
        fix = Fix(f"Normalize along axis {axis}", (Edit(span, str(axis)),), Applicability.UNSAFE) if span else None
        at = soft if ctx.line(soft) else pick
        kind = "log_softmax" if "log" in ctx.source(soft).lower() else "softmax"
        ctx.report(self, at,
                   f"{ctx.source(soft).strip()} normalizes along axis 0, the batch of a [batch, classes] output, and "
                   f"{called_name(pick)} then picks along axis {axis}: each sample's class is chosen from scores "
                   f"normalized across the other samples of the batch, not from its own class probabilities; take "
                   f"the {kind} along axis {axis}",
                   fix=fix, related=[(pick, f"{called_name(pick)} along axis {axis}")] if at is not pick else [])
