import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_named

# the sums and means of the frameworks, by the last part of their qualified name
_SUMS = frozenset({"sum", "reduce_sum", "nansum"})
_MEANS = frozenset({"mean", "reduce_mean", "nanmean"})
_LIBRARIES = ("numpy.", "torch.", "tensorflow.", "keras.", "jax.numpy.")
_AXIS_KEYWORDS = ("axis", "dim", "reduction_indices")
# calls that only change a mask's dtype: the count is the same
_CASTS = frozenset({"cast", "to_float", "float", "astype", "type", "to", "double", "half"})
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _library_call(env, call, names) -> bool:
    """Whether `call` is `np.sum(...)`, `tf.reduce_sum(...)`, `torch.mean(...)`, ... (read through
    the file's imports) with its last name in `names`."""
    q = imported_qualname(env, call.func)
    return q is not None and q.startswith(_LIBRARIES) and q.rpartition(".")[2] in names


def _reduction(env, call, names):
    """(operand, axis argument or None) of a reduction call in `names`: the library function
    (`tf.reduce_sum(x, axis=1)`, `np.sum(x, 1)`) or the tensor method (`x.sum(dim=1)`)."""
    if type(call) is not cst.Call or any(a.star for a in call.args):
        return None
    positional = [a.value for a in call.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    axis = next((keywords[k] for k in _AXIS_KEYWORDS if k in keywords), None)
    if _library_call(env, call, names):
        operand = positional[0] if positional else keywords.get("input_tensor", keywords.get("a", keywords.get("input")))
        if axis is None and len(positional) > 1:
            axis = positional[1]
        return (operand, axis) if operand is not None else None
    func = call.func
    if type(func) is cst.Attribute and func.attr.value in names and imported_qualname(env, func) is None:
        if axis is None and positional:
            axis = positional[0]
        return func.value, axis
    return None


def _literal_axis_possible(call) -> bool:
    """Whether an argument `_reduction` may take as the axis of `call` (an axis keyword, the
    first or second positional argument) is a number or a list or tuple display: the only
    axes `_axes_after_first` accepts. Read from the syntax alone, before the imports are
    looked up."""
    positional = 0
    for a in call.args:
        if a.keyword is None:
            positional += 1
            if positional > 2:
                continue
        elif a.keyword.value not in _AXIS_KEYWORDS:
            continue
        if type(a.value) in _AXIS_DISPLAYS:
            return True
    return False


_AXIS_DISPLAYS = frozenset((cst.Integer, cst.List, cst.Tuple))


def _axes_after_first(axis) -> list | None:
    """The axes of a literal `axis` (`1`, `[1, 2, 3]`, `(1, 2)`) when all are positive: the
    reduction keeps axis 0 whatever the rank. None for anything else."""
    items = [e.value for e in axis.elements] if isinstance(axis, (cst.List, cst.Tuple)) else [axis]
    if not items or not all(isinstance(e, cst.Integer) for e in items):
        return None
    values = [int(e.value, 0) for e in items]
    return values if all(v > 0 for v in values) else None


def _mask_name(node) -> str | None:
    """The name a mask is held in: `mask`, or `mask` cast to another dtype (`tf.cast(mask, ...)`,
    `mask.float()`, `mask.astype(np.float32)`)."""
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Call and not any(a.star for a in node.args):
        func = node.func
        last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
        if last not in _CASTS:
            return None
        if type(func) is cst.Attribute and type(func.value) is cst.Name and not node.args[:1]:
            return func.value.value  # `mask.float()`
        if type(func) is cst.Attribute and last in ("astype", "type", "to"):
            return func.value.value if type(func.value) is cst.Name else None
        first = node.args[0].value if node.args and node.args[0].keyword is None else None
        return first.value if type(first) is cst.Name else None
    return None


def _factors(node) -> set:
    """The mask names among the factors of a product (`loss * mask`, `tf.multiply(loss, mask)`)."""
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Multiply:
        return _factors(node.left) | _factors(node.right)
    if type(node) is cst.Call and dotted(node.func).rpartition(".")[2] == "multiply" and len(node.args) == 2:
        return _factors(node.args[0].value) | _factors(node.args[1].value)
    name = _mask_name(node)
    return {name} if name is not None else set()


class PartialSumOverTotalCount(Rule):
    """
    ## What it does
    Finds a masked sum taken over some axes only, so one value is kept per example (per image,
    per sequence), divided by the count of the same mask over the whole batch, and then
    averaged: `tf.reduce_sum(loss * mask, axis=[1, 2, 3]) / np.sum(mask)` followed by
    `tf.reduce_mean`, or `(loss * mask).sum(dim=1) / mask.sum()` followed by `.mean()`. Only
    literal axes that leave out axis 0 are judged, so the sum surely keeps it, whatever the
    rank.

    ## Why is this bad?
    Each example's sum is divided by the count of every example's entries, and the mean then
    divides by the number of examples again: the loss is the masked mean divided by the batch
    size (or by the size of every axis the sum keeps). The loss and its gradients shrink when
    the batch grows, and an example with few masked entries weighs as much as one with many,
    which is neither of the two normalizations that were meant.

    ## Example
    ```python
    loss = tf.reduce_sum(xent * mask, axis=[1, 2, 3]) / tf.reduce_sum(mask)
    loss = tf.reduce_mean(loss)
    ```

    ## Use instead
    ```python
    loss = tf.reduce_sum(xent * mask, axis=[1, 2, 3]) / tf.reduce_sum(mask, axis=[1, 2, 3])
    loss = tf.reduce_mean(loss)
    ```

    ## Fix safety
    There is no automatic fix: dividing the whole sum by the whole count, or each example's
    sum by its own count, are both possible intents.
    """

    code = "TL325"
    triggers = ("mean",)
    name = "partial-sum-over-total-count"
    severity = Severity.WARNING
    summary = "A masked sum kept per example is divided by the mask's count over the whole batch and then averaged."
    failing = (
        "import numpy as np\nimport tensorflow as tf\n\ndef compute_loss(labels, logits, masks):\n"
        "    xent = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"
        "    fg = (np.abs(masks) == 1).astype(np.float32)\n"
        "    loss = tf.reduce_sum(xent * fg, axis=[1, 2, 3]) / np.sum(fg)  # TL325\n    return tf.reduce_mean(loss)\n",
        "import torch\nimport torch.nn.functional as F\n\ndef masked_loss(logits, target, mask):\n"
        "    nll = F.cross_entropy(logits.transpose(1, 2), target, reduction='none')\n"
        "    return ((nll * mask).sum(dim=1) / mask.sum()).mean()  # TL325\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\n\ndef compute_loss(labels, logits, masks):\n"
        "    xent = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"
        "    fg = (np.abs(masks) == 1).astype(np.float32)\n"
        "    loss = tf.reduce_sum(xent * fg, axis=[1, 2, 3]) / np.sum(fg, axis=(1, 2, 3))\n    return tf.reduce_mean(loss)\n",
    )
    lookalikes = (
        # the whole sum over the whole count; a per-example mean summed over the batch
        "import tensorflow as tf\n\ndef seq_loss(xent, mask):\n    total = tf.reduce_sum(xent * mask) / tf.reduce_sum(mask)\n"
        "    per_seq = tf.reduce_sum(xent * mask, axis=1) / tf.reduce_sum(mask)\n    return total, tf.reduce_sum(per_seq)\n",
        # axis 0 summed (the sum may cover every axis), another tensor as the count
        "import torch\n\ndef loss_fn(nll, mask, lengths):\n    a = ((nll * mask).sum(dim=0) / mask.sum()).mean()\n"
        "    b = ((nll * mask).sum(dim=1) / lengths.sum()).mean()\n    return a + b\n",
    )

    def on_module(self, ctx, ev):
        if not all(w in ctx.text for w in ("/", "sum", "mean")):
            return
        env = module_names(ctx)
        for call, div, axes, mask in _quotients(ctx, env):
            mean = self._averaged(ctx, env, parents(ctx), div)
            if mean is None:
                continue
            ctx.report(self, div,
                       f"`{ctx.source(call).strip()}` sums over axes {axes} only, keeping axis 0 (one value per "
                       f"example), but divides by `{ctx.source(div.right).strip()}`, the count of `{mask}` over the "
                       f"whole batch; averaging the result (line {ctx.line(mean)}) divides by the number of examples "
                       f"again, so the loss is the masked mean divided by the number of values the sum keeps (the "
                       f"batch size where it keeps axis 0 alone). Divide the whole sum by the whole count, or each "
                       f"example's sum by its own count",
                       related=[(mean, "the per-example values are averaged here")])

    @staticmethod
    def _averaged(ctx, env, par, div):
        """The mean the quotient goes to: the mean call it is handed to, or the one that reads the
        name it is bound to next (the first read of that name after the assignment)."""
        node = div
        for up in par.ancestors(div):
            if type(up) is cst.Arg or type(up) is cst.Attribute and up.value is node:
                node = up
                continue
            if type(up) is cst.Call:
                if _reduction(env, up, _MEANS) is not None and _operand_is(env, up, div):
                    return up
                return None
            break
        stmt = par.statement(div)
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        if type(small) is not cst.Assign or small.value is not div or len(small.targets) != 1 \
                or type(small.targets[0].target) is not cst.Name:
            return None
        name = small.targets[0].target.value
        scope = next((a for a in par.ancestors(stmt) if isinstance(a, (cst.FunctionDef, cst.Module))), None)
        if scope is None:
            return None
        after = False
        for n in descendants(scope, prune=_SCOPES):
            if n is stmt:
                after = True
                continue
            if not after or type(n) is not cst.Name or n.value != name:
                continue
            if any(n is a for a in descendants(stmt)):
                continue
            up = par.parent.get(n)
            if type(up) is cst.AssignTarget:
                bound = par.parent.get(up)
                if type(bound) is cst.Assign and any(type(r) is cst.Name and r.value == name
                                                     for r in descendants(bound.value)):
                    continue  # `loss = tf.reduce_mean(loss)`: its value reads the name first
                return None  # bound again before anything reads it
            call = par.parent.get(up) if type(up) in (cst.Arg, cst.Attribute) else None
            if type(call) is cst.Call and _reduction(env, call, _MEANS) is not None and _operand_is(env, call, n):
                return call
            return None
        return None


def _quotients(ctx, env):
    """(sum call, quotient, axes, mask name) for each `sum(x * mask, axis=<positive axes>) /
    sum(mask)` of the file: a masked sum that keeps axis 0 over the mask's whole count."""
    par = None
    for call in calls_named(ctx, _SUMS):
        if not _literal_axis_possible(call):
            continue
        got = _reduction(env, call, _SUMS)
        if got is None or got[1] is None or (axes := _axes_after_first(got[1])) is None:
            continue
        par = par or parents(ctx)
        div = par.parent.get(call)
        if type(div) is not cst.BinaryOperation or type(div.operator) is not cst.Divide or div.left is not call:
            continue
        count = _reduction(env, div.right, _SUMS)
        if count is None or count[1] is not None or count[0] is None:
            continue
        mask = _mask_name(count[0])
        if mask is not None and mask in _factors(got[0]):
            yield call, div, axes, mask


def _operand_is(env, call, node) -> bool:
    got = _reduction(env, call, _MEANS)
    return got is not None and got[0] is node
