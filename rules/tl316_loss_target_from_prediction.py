import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._reaching import Indices, call_argument, called_name, nearest, reaching, scope_bindings
from ._training import parents

# calls whose result is a decision taken on their input: a class index or a rounded label
_DECIDE = ("argmax", "round")


def _decides(node) -> bool:
    """Whether `node` turns scores into labels: `argmax`/`round` (method or function), the
    indices of `max` (`x.max(1)[1]`, `torch.max(x, 1).indices`), or a comparison."""
    if isinstance(node, cst.Call):
        return called_name(node) in _DECIDE
    if isinstance(node, cst.Comparison):
        return all(isinstance(c.operator, (cst.GreaterThan, cst.GreaterThanEqual, cst.LessThan, cst.LessThanEqual))
                   for c in node.comparisons)
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Call) and called_name(node.value) == "max":
        s = node.slice
        return (len(s) == 1 and isinstance(s[0].slice, cst.Index) and isinstance(s[0].slice.value, cst.Integer)
                and s[0].slice.value.value == "1")
    if isinstance(node, cst.Attribute) and node.attr.value == "indices" and isinstance(node.value, cst.Call):
        return called_name(node.value) == "max"
    return False


# methods that keep labels what they are: casts, moves and reshapes
_KEEP = frozenset({"long", "float", "int", "double", "to", "type", "cpu", "cuda", "detach", "squeeze", "unsqueeze",
                   "view", "reshape", "flatten", "view_as", "reshape_as", "clone", "contiguous"})


def _labels_from(ctx, p, node, pred: str, binds: dict, depth: int, use, pred_at):
    """The decision node whose labels `node` (an expression evaluated at `use`) is, made from
    the name `pred` as bound by `pred_at`: the labels may be cast, moved, reshaped or indexed on
    the way, nothing else. None otherwise."""
    if isinstance(node, Indices):
        return node.call if _reads(ctx, p, node.call, pred, binds, depth, node.call, pred_at) else None
    if _decides(node):
        return node if _reads(ctx, p, node, pred, binds, depth, use, pred_at) else None
    if isinstance(node, cst.Name):
        value = None if depth > 4 or node.value == pred else reaching(ctx, p, binds, node.value, use)
        if value is None:
            return None
        return _labels_from(ctx, p, value, pred, binds, depth + 1, getattr(value, "call", value), pred_at)
    if isinstance(node, cst.Subscript):
        return _labels_from(ctx, p, node.value, pred, binds, depth, use, pred_at)
    if (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _KEEP):
        return _labels_from(ctx, p, node.func.value, pred, binds, depth, use, pred_at)
    return None


def _reads(ctx, p, node, pred: str, binds: dict, depth: int, use, pred_at) -> bool:
    """Whether `node` (evaluated at `use`) reads the name `pred` as bound by `pred_at`, directly
    or through the assignments that reach the names it reads."""
    if isinstance(node, cst.Name):
        if node.value == pred:
            return nearest(ctx, binds, pred, use) is pred_at
        value = None if depth > 4 else reaching(ctx, p, binds, node.value, use)
        if value is None:
            return False
        return _reads(ctx, p, getattr(value, "call", value), pred, binds, depth + 1, getattr(value, "call", value), pred_at)
    if isinstance(node, (cst.Attribute, cst.Arg)):
        return _reads(ctx, p, node.value, pred, binds, depth, use, pred_at)
    return any(_reads(ctx, p, c, pred, binds, depth, use, pred_at) for c in code_children(node)
               if not isinstance(c, (cst.Lambda, cst.BaseComp)))


class LossTargetFromPrediction(Rule):
    """
    ## What it does
    Finds a PyTorch loss computed under `torch.no_grad()` or `torch.inference_mode()` (an
    evaluation) whose target is made from the prediction it is compared with: the `argmax`,
    `round`, `max(...)[1]` or thresholded value of the same logits or probabilities, directly
    or through names assigned once (`test_pred = torch.round(torch.sigmoid(test_logits))`,
    then `loss_fn(test_logits, test_pred)`).

    ## Why is this bad?
    A prediction compared with labels read off itself is always "right": the loss measures only
    how confident the model is, never whether its labels are the true ones. An evaluation loss
    computed so falls as the model grows more confident even when its accuracy does not
    improve, and hides overfitting. The true labels of the evaluation data belong there.

    ## Example
    ```python
    with torch.inference_mode():
        test_logits = model(X_test).squeeze()
        test_pred = torch.round(torch.sigmoid(test_logits))
        test_loss = loss_fn(test_logits, test_pred)
    ```

    ## Use instead
    ```python
        test_loss = loss_fn(test_logits, y_test)
    ```

    ## Fix safety
    There is no automatic fix: which tensor holds the true labels is for the author to say.
    """

    code = "TL316"
    name = "loss-target-from-prediction"
    severity = Severity.WARNING
    summary = "An evaluation loss whose target is the model's own predicted labels, made from the prediction it scores."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\nloss_fn = nn.BCEWithLogitsLoss()\n"
        "X_test, y_test = torch.randn(20, 4), torch.randint(0, 2, (20,)).float()\nwith torch.inference_mode():\n"
        "    test_logits = model(X_test).squeeze()\n    test_pred = torch.round(torch.sigmoid(test_logits))\n"
        "    test_loss = loss_fn(test_logits, test_pred)  # TL316\n",
        "import torch\nimport torch.nn.functional as F\n\ndef evaluate(model, loader):\n    total = 0.0\n"
        "    with torch.no_grad():\n        for x, y in loader:\n            out = model(x)\n"
        "            total += F.cross_entropy(out, out.argmax(dim=1)).item()  # TL316\n    return total\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\nloss_fn = nn.BCEWithLogitsLoss()\n"
        "X_test, y_test = torch.randn(20, 4), torch.randint(0, 2, (20,)).float()\nwith torch.inference_mode():\n"
        "    test_logits = model(X_test).squeeze()\n    test_pred = torch.round(torch.sigmoid(test_logits))\n"
        "    test_loss = loss_fn(test_logits, y_test)\n",
    )
    lookalikes = (
        # pseudo-labels in training (the model's own labels as targets, on purpose, with gradient)
        "import torch\nimport torch.nn.functional as F\nmodel = torch.nn.Linear(8, 3)\nx = torch.randn(16, 8)\n"
        "logits = model(x)\npseudo = logits.argmax(dim=1)\nloss = F.cross_entropy(logits, pseudo)\nloss.backward()\n",
        # labels of a teacher's prediction scored against a student: another tensor
        "import torch\nimport torch.nn as nn\nteacher, student = nn.Linear(8, 3), nn.Linear(8, 3)\nx = torch.randn(16, 8)\n"
        "with torch.no_grad():\n    labels = teacher(x).argmax(dim=1)\n    loss = nn.CrossEntropyLoss()(student(x), labels)\n",
        # a name bound twice: which value the target holds is not one assignment's
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx, y = torch.randn(8, 4), torch.randint(0, 2, (8,))\n"
        "with torch.no_grad():\n    out = model(x)\n    target = out.argmax(1)\n    target = y\n"
        "    loss = nn.CrossEntropyLoss()(out, target)\n",
    )

    def on_loss_call(self, ctx, ev):
        if ev.fw != "torch" or not ctx.no_grad or not isinstance(ev.node, cst.Call):
            return
        pred = call_argument(ev.node, 0, "input")
        target = call_argument(ev.node, 1, "target")
        if not isinstance(pred, cst.Name) or target is None:
            return
        t = ev.args[1] if len(ev.args) > 1 else ev.kwargs.get("target")
        if isinstance(t, Tensor) and t.labels:
            return
        p = parents(ctx)
        _, b = scope_bindings(ctx, p, ev.node)
        if b is None:
            return
        decision = _labels_from(ctx, p, target, pred.value, b, 0, ev.node, nearest(ctx, b, pred.value, ev.node))
        if decision is None:
            return
        where = ctx.line(decision)
        made = f" at line {where}" if where and where != ctx.line(ev.node) else ""
        ctx.report(self, ev.node,
                   f"the loss compares {pred.value} with {ctx.source(target).strip()}, labels taken from {pred.value} "
                   f"itself ({ctx.source(decision).strip()}{made}): it measures how confident the model is, not "
                   f"whether its labels are right; compare with the true labels of this data",
                   related=[(decision, "the predicted labels are made here")] if made else [])
