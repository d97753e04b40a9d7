from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor, is_float_dtype, is_int_dtype, shape_list

from ._common import value_name
from ._losses import loss_spec

CLASS_INDEX_LOSSES = ("torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss")
BINARY_LOSSES = ("torch.nn.BCELoss", "torch.nn.BCEWithLogitsLoss")


def _indices_shape(pred: Tensor, target: Tensor) -> bool:
    """The target holds one class index per sample: the prediction's shape without its class
    dim (dim 1), where every known size agrees. A prediction known only to have at least two
    dims (`torch.cat(parts, dim=1)`) against a vector target counts too: a float target passes
    as class probabilities only with the prediction's own shape. (A prediction of at least three
    dims takes no vector target of any dtype: TL208.)"""
    if pred.rank is None and target.rank == 1 and pred.shape is not None and len(pred.shape) == 3:
        return True  # `(..., d1, d2)`: at least two dims, so never the target's shape (more: TL208)
    if pred.rank is None or target.rank is None or target.rank != pred.rank - 1 or pred.rank < 1:
        return False
    rest = pred.shape[:1] + pred.shape[2:]
    return all(not (isinstance(a, int) and isinstance(b, int)) or a == b for a, b in zip(rest, target.shape))


class LossTargetDtype(Rule):
    """
    ## What it does
    Finds PyTorch losses given targets of a dtype they reject: floating-point class indices
    (one index per sample, not a row of probabilities) for `CrossEntropyLoss`/`NLLLoss`
    (`F.cross_entropy`, `F.nll_loss`), and integer or bool targets for
    `BCELoss`/`BCEWithLogitsLoss`.

    ## Why is this bad?
    The first forward pass fails: `RuntimeError: expected target dtype to be Long or Byte,
    but got Float` (older releases: "expected scalar type Long but found Float") for class
    indices stored as floats, and `RuntimeError: result type Float can't be cast to the desired output
    type Long` / "Found dtype Long but expected Float" for integer binary targets. Labels often
    become floats through `torch.tensor(..., dtype=torch.float32)` or a `TensorDataset` built from a
    float array, and integer 0/1 labels from `randint` or a NumPy int array.

    A float target passes `CrossEntropyLoss` only as class probabilities of the prediction's own
    shape, so a vector of targets against a prediction of rank 2 or more fails whatever the exact
    rank: `torch.zeros(logits.shape[0])` against `logits = torch.cat([pos, neg], dim=1)` (a join
    along dim 1 has at least two dims) is reported even where the sizes are not known. A loss
    moved to a device (`nn.CrossEntropyLoss().to(device)`, `.cuda()`) is the same loss.

    `MSELoss` and `L1Loss` accept integer targets in current PyTorch: they are not flagged.

    ## Example
    ```python
    criterion = nn.CrossEntropyLoss()
    labels = torch.tensor([0, 2, 1], dtype=torch.float32)
    loss = criterion(model(x), labels)
    ```

    ## Use instead
    ```python
    loss = criterion(model(x), labels.long())
    ```

    ## Fix safety
    Appending `.long()` (class indices) or `.float()` (binary targets) is safe: it is the dtype
    the loss requires, and the values are unchanged.
    """

    code = "TL104"
    name = "loss-target-dtype"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "Float class indices into CrossEntropyLoss/NLLLoss, or integer targets into BCELoss/BCEWithLogitsLoss."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 3)\nlabels = torch.tensor([0.0, 2.0, 1.0, 1.0])\nloss = nn.CrossEntropyLoss()(model(torch.randn(4, 8)), labels)  # TL104\n",
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(6, 1, requires_grad=True)\ny = torch.randint(0, 2, (6, 1))\nloss = F.binary_cross_entropy_with_logits(logits, y)  # TL104\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 3)\nlabels = torch.tensor([0.0, 2.0, 1.0, 1.0])\nloss = nn.CrossEntropyLoss()(model(torch.randn(4, 8)), labels.long())\n",
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(6, 1, requires_grad=True)\ny = torch.randint(0, 2, (6, 1))\nloss = F.binary_cross_entropy_with_logits(logits, y.float())\n",
    )
    lookalikes = (
        # class probabilities (same shape as the logits) are valid float targets
        "import torch\nimport torch.nn as nn\nlogits = torch.randn(4, 3, requires_grad=True)\nsoft = torch.softmax(torch.randn(4, 3), dim=1)\nloss = nn.CrossEntropyLoss()(logits, soft)\n",
        # integer targets are fine for regression losses
        "import torch\nimport torch.nn as nn\npred = torch.randn(5, requires_grad=True)\nloss = nn.MSELoss()(pred, torch.randint(0, 5, (5,)).float())\n",
    )

    def on_loss_call(self, ctx, ev):
        if ev.fw != "torch" or len(ev.args) < 2:
            return
        pred, target = ev.args[0], ev.args[1]
        if not isinstance(target, Tensor) or target.fw != "torch":
            return
        kind = getattr(ev.loss, "kind", None)
        if kind in CLASS_INDEX_LOSSES and is_float_dtype(target.dtype) and isinstance(pred, Tensor) and _indices_shape(pred, target):
            want, cast = "int64 (long) class indices", ".long()"
        elif kind in BINARY_LOSSES and is_int_dtype(target.dtype) and loss_spec(ev.loss) is not None:
            want, cast = "floating-point targets", ".float()"
        else:
            return
        site = ev.sites[1] if len(ev.sites) > 1 else None
        node = site.arg if site is not None and site.arg is not None else None
        if node is None and site is not None and site.inner is None and len(ev.node.args) > 1:
            node = ev.node.args[1].value
        fix = ctx.append_fix(node, cast, f"Convert the target with `{cast}`") if node is not None else None
        short = ev.loss.short
        ctx.report(
            self, ev.node,
            f"{short} wants {want}; {value_name(ctx, target)} is {target.dtype} (shape {shape_list(target.shape)})",
            fix=fix, related=[(target.origin, "the target is made here")] if target.origin is not None else [],
        )
