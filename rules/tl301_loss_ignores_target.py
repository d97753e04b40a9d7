import re

import libcst as cst

from tensorlint.dataflow import is_stub, result_dependence, returned_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from tensorlint.values import Tensor

from ._common import function_label, is_target_name
from ._loss_terms import term_of_supervised_losses
from ._trees import calls_where

LOSS_NAME = re.compile(r"loss|criterion|objective|cost|mse|mae|nll|dice|focal|huber", re.I)
_LOSS_CLASS = re.compile(r"loss|criterion|objective|cost", re.I)


class LossIgnoresTarget(Rule):
    """
    ## What it does
    Finds user-defined losses whose result does not depend on the target: a function or lambda
    named or used as a loss (passed as `loss=` to Keras `compile`), the `forward` of an
    `nn.Module` loss, or the `call` of a `keras.losses.Loss` subclass. The target is the
    parameter named like one (`target`, `labels`, `y_true`, ...), or by convention the first
    parameter of a Keras loss. It follows data flow: a target that is read, converted or
    printed but never reaches the returned value is still ignored. The parameter is marked as
    unnecessary. Also a loss called, in a loop over the batches of a `DataLoader`, with the whole
    label tensor (or a slice of it) as target instead of the labels of the batch.

    ## Why is this bad?
    The gradient of such a loss does not involve the labels: the model is trained to move its
    outputs in one direction (for `output.mean()`, towards minus infinity), learns nothing
    about the task, and nothing crashes.

    ## Example
    ```python
    def my_loss(output, labels):
        return torch.mean(output)
    ```

    ## Use instead
    ```python
    def my_loss(output, labels):
        return F.cross_entropy(output, labels)
    ```
    A Keras loss that returns `y_pred` unchanged or only reduced (`K.mean(y_pred)`: the model
    computes its own loss, as in CTC, triplet or YOLO examples) is a deliberate idiom and is not
    reported; nor is a loss function that every
    call in the file gives the same constant target (`torch.ones(n, 1)`, `Tensor(n, 1).fill_(1.0)`:
    a GAN generator objective that builds the "real" label in); nor one of several per-output
    losses a Keras model is compiled with (`loss=[mse_loss, kl_loss]`: a VAE's KL term needs no
    target), nor a term that the program's other losses add to what reads their target
    (`vae_loss` returns `r_loss + kl_loss(y_true, y_pred)`) or show as a metric;
    nor a loss that reads its prediction in groups of batch positions (`z[2 * i]`
    beside `z[2 * i + 1]`, `z[0::2]` beside `z[1::2]`, `z[:n]` beside `z[n:]`,
    `z.view(n // 2, 2)`): a ranking, metric-learning or mutual-information loss whose
    supervision is the order of the batch; nor a loss that differentiates its prediction
    (`K.gradients(y_pred, averaged_samples)`, `torch.autograd.grad(outputs=pred, ...)`): a
    gradient penalty (WGAN-GP, R1) constrains the model's slope and has no target; nor one that
    returns None on every path (`loss = None  # TO DO`: an exercise not yet written); nor a
    triplet loss that reads three items of its prediction (`y_pred[0]`, `y_pred[1]`, `y_pred[2]`);
    nor the `forward` of a model, not named as a loss, that returns its own loss and takes its
    labels as an optional argument (`labels=None`: a self-supervised model); nor a loss that
    reads its targets from another argument under a target's key (`features["target"]`,
    `batch.get("labels")`: an estimator's `model_fn` whose input pipeline puts the targets among
    the features and leaves `labels` empty). A TF1 loss
    read back from the graph's collections (`tf.get_collection(tf.GraphKeys.LOSSES)`,
    `tf.losses.get_total_loss()`) depends on every call given the target before the read
    (`tf.losses.softmax_cross_entropy(labels, logits)`, a helper that adds its loss there).

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL301"
    name = "loss-ignores-target"
    severity = Severity.ERROR
    summary = "A custom loss whose result does not depend on its target."
    failing = (
        "import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset\nx = torch.randn(40, 6)\ny = torch.randint(0, 2, (40,))\nmodel = nn.Linear(6, 2)\nfor xb, yb in DataLoader(TensorDataset(x, y), batch_size=10, shuffle=True):\n    out = model(xb)\n    loss = nn.CrossEntropyLoss()(out, y[: len(out)])  # TL301\n",
        "import torch\n\ndef my_loss(output, labels):  # TL301\n    return torch.mean(output)\n",
        "import tensorflow as tf\n\ndef custom_loss(y_true, y_pred):  # TL301\n    y_true = tf.cast(y_true, tf.float32)\n    return tf.reduce_mean(tf.square(y_pred))\n",
        "import torch.nn as nn\n\nclass MyLoss(nn.Module):\n    def forward(self, pred, target):  # TL301\n        return (pred ** 2).mean() / target.size(0)\n",
        "import torch\nimport torch.nn as nn\n\nclass Weighted(nn.Module):\n    def forward(self, prediction, reference):  # TL301\n        return ((prediction - prediction.mean(0)) ** 2).mean()\n\nmodel = nn.Linear(4, 2)\nobjective = Weighted()\nout = objective(model(torch.randn(8, 4)), torch.randn(8, 2))\nout.backward()\n",
    )
    passing = (
        "import torch\n\ndef my_loss(output, labels):\n    return torch.mean((output - labels) ** 2)\n",
        "import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset\nx = torch.randn(40, 6)\ny = torch.randint(0, 2, (40,))\nmodel = nn.Linear(6, 2)\nfor xb, yb in DataLoader(TensorDataset(x, y), batch_size=10, shuffle=True):\n    loss = nn.CrossEntropyLoss()(model(xb), yb)\n",
    )
    lookalikes = (
        # an estimator's loss: the targets come among the features, `labels` is the interface's slot
        "import tensorflow as tf\n\ndef lm_loss(features, labels, is_training):\n"
        "    logits = tf.layers.dense(tf.cast(features['inputs'], tf.float32), 10)\n"
        "    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=features['target'], logits=logits))\n",
        "import keras\n\ndef loss_fn(y, y_pred, sample_weight=None):\n    return 0\n",
        # a VAE's KL term, added to the reconstruction term that reads the target
        "from keras import ops\n\ndef kl_loss(y_true, y_pred):\n    return ops.mean(ops.square(y_pred))\n\n"
        "def vae_loss(y_true, y_pred):\n    return ops.mean(ops.square(y_true - y_pred)) + kl_loss(y_true, y_pred)\n",
        "import torch\n\ndef aggregation_loss(logits, labels, use_answer):\n    if use_answer:\n        target = torch.zeros_like(labels)\n    else:\n        target = labels\n    one_hot = torch.nn.functional.one_hot(target).type(torch.float32)\n    return -(one_hot * logits.log_softmax(-1)).sum(-1)\n",
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=lambda y_true, y_pred: y_pred)\n",
        # the model's output is its loss: the Keras loss only reduces it
        "import tensorflow as tf\n\ndef dummy_loss(y_true, y_pred):\n    return tf.sqrt(tf.reduce_sum(y_pred))\n",
        "import torch\n\ndef weighted_loss(output, target, weight):\n    diff = output - target\n    if weight is None:\n        return diff.abs().mean()\n    return (weight * diff.abs()).mean()\n",
        "import torch\n\ndef loss_fn(pred, target):\n    raise NotImplementedError\n",
        # a generator objective whose target is the all-ones label at every call
        "import torch\nfrom torch.autograd import Variable\n\ndef boundary_seeking_loss(y_pred, y_true):\n"
        "    return 0.5 * torch.mean((torch.log(y_pred) - torch.log(1 - y_pred)) ** 2)\n\n"
        "D = torch.nn.Sequential(torch.nn.Linear(4, 1), torch.nn.Sigmoid())\nfor step in range(3):\n"
        "    valid = Variable(torch.FloatTensor(8, 1).fill_(1.0), requires_grad=False)\n"
        "    g_loss = boundary_seeking_loss(D(torch.randn(8, 4)), valid)\n",
    )

    def on_function(self, ctx, ev):
        node = ev.node
        params = ev.params
        if len(params) < 2 or is_stub(node):
            return
        target = self._target(ev, params)
        if target is None or target.startswith("_"):
            return
        if _optional_model_input(ev, node, target):
            return  # a model that computes its own loss and takes labels it may go without
        where = ev.func.chunk  # both facts depend on the function's code alone
        rets = ctx.tree_fact(where, ("returned", id(node)), lambda: returned_names(node))
        if rets and all(isinstance(r, cst.Name) and r.value in params and r.value != target for r in rets):
            return  # `return y_pred`: the model computes its own loss
        if rets and all(_aggregated_output(r, params, target) for r in rets):
            return  # `K.mean(y_pred)`: the model outputs its loss, which the Keras loss only reduces
        if rets and all(isinstance(r, (cst.Integer, cst.Float)) or r is None for r in rets):
            return  # a constant stand-in (test doubles): there is nothing to train
        if rets and ctx.tree_fact(where, ("none", id(node)), lambda: _returns_none(node, rets)):
            return  # `loss = None; return loss`: an exercise left to fill in, with no loss yet
        level = ctx.tree_fact(where, ("depends", id(node), target), lambda: result_dependence(node, target))
        if level is None or level == 2:
            return
        others = tuple(p for p in params if p != target)
        if ctx.tree_fact(where, ("layout", id(node), target), lambda: _batch_layout(node, others)):
            return  # the batch's order is the supervision: a ranking or metric-learning loss
        pred = next((p for p in params[:2] if p != target), None)
        if pred and ctx.tree_fact(where, ("slope", id(node), target), lambda: _differentiates(node, (pred,))):
            return  # a gradient penalty (WGAN-GP, R1): a term on the model's slope has no target
        if isinstance(node, cst.FunctionDef) and ev.func.owner is None and _constant_at_every_call(ctx, node, params.index(target)):
            return  # the target is the same constant at every call: the loss builds it in by design
        if isinstance(node, cst.FunctionDef) and ev.func.owner is None and _one_of_output_losses(ctx, node.name.value):
            return  # one output's term of a multi-output model (a VAE's KL term): it needs no target
        if isinstance(node, cst.FunctionDef) and term_of_supervised_losses(ctx, node):
            return  # a term other losses add to what reads the target (a VAE's KL term), or a metric
        if ctx.tree_fact(where, ("keyed", id(node), target), lambda: _target_from_other_argument(node, target, others)):
            return  # the targets come in another argument (`features["target"]`): the parameter is a slot left empty
        pnode = _param_node(node, target)
        name = function_label(ev)
        how = "only through its shape" if level == 1 else "not at all"
        ctx.report(self, pnode or node, f"loss {name} ignores its target `{target}`: the result depends on it {how}",
                   unnecessary=True)

    def on_loss_call(self, ctx, ev):
        """A loss inside a loop over batches whose target is the whole label tensor (or a slice
        of it) instead of the labels of the batch."""
        if not ctx.batch_sources or len(ev.args) < 2:
            return
        source = ctx.batch_sources[-1]
        if len(source.tensors) < 2 or not isinstance(source.tensors[-1], Tensor):
            return
        labels = source.tensors[-1]
        target = ev.args[1] if ev.fw == "torch" else ev.args[0]
        if not isinstance(target, Tensor) or target.labels or labels.origin is None or target.origin is not labels.origin:
            return
        what = f"`{target.name}`" if target.name else "the full label tensor"
        ctx.report(self, ev.node,
                   f"the loss compares the batch's predictions with {what}, not with the labels of the batch the loop draws",
                   related=[(source.node, "the batches come from here")] if source.node is not None else [])

    def _target(self, ev, params):
        node = ev.node
        named = [p for p in params if is_target_name(p)]
        fname = node.name.value if isinstance(node, cst.FunctionDef) else ""
        if ev.owner_kind == "keras.loss" and fname == "call":
            return named[0] if named else params[0]
        if ev.owner_kind == "torch.module" and fname == "forward":
            cls = ev.func.owner
            if (cls is not None and LOSS_NAME.search(cls.name)) or ev.used_as_loss == "torch":
                return named[0] if named else params[1]
            return None
        if ev.used_as_loss == "keras":
            return named[0] if named else params[0]
        if ev.owner_kind is None and LOSS_NAME.search(fname) and named:
            return named[0]
        return None


def _target_from_other_argument(node, target, others) -> bool:
    """The function reads its targets from another parameter under a target's key:
    `features["target"]`, `batch.get("labels")` (an estimator's `model_fn(features, labels, ...)`
    whose input pipeline puts the targets among the features and leaves `labels` None)."""
    from tensorlint.dataflow import descendants

    def key_of(n):
        if isinstance(n, cst.Subscript) and isinstance(n.value, cst.Name) and n.value.value in others \
                and len(n.slice) == 1 and isinstance(n.slice[0].slice, cst.Index):
            return n.slice[0].slice.value
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "get" \
                and isinstance(n.func.value, cst.Name) and n.func.value.value in others and n.args:
            return n.args[0].value
        return None

    for n in descendants(node.body if isinstance(node, cst.FunctionDef) else node):
        key = key_of(n)
        if isinstance(key, cst.SimpleString) and is_target_name(key.evaluated_value):
            return True
    return False


# Keras/TF reductions of a whole tensor, and scalar functions that may wrap the result
_REDUCTIONS = re.compile(r"(tf\.(math\.)?reduce_|K\.|keras\.backend\.|(keras\.)?ops\.)(sum|mean)$")
_SCALAR_WRAPPERS = re.compile(r"(tf\.(math\.)?|K\.|keras\.backend\.|(keras\.)?ops\.)(sqrt|identity)$")


def _aggregated_output(expr, params, target) -> bool:
    """`K.mean(y_pred)`, `tf.reduce_sum(y_pred)`, `tf.sqrt(tf.reduce_sum(y_pred))`: a Keras loss
    that reduces the model's output as it is, the idiom of a model whose output is its own loss
    (CTC, triplet and YOLO training models take the labels as inputs). An output transformed
    before the reduction (`tf.reduce_mean(tf.square(y_pred))`) is not this idiom."""
    while isinstance(expr, cst.Call) and len(expr.args) == 1 and _SCALAR_WRAPPERS.match(dotted(expr.func) or ""):
        expr = expr.args[0].value
    if not (isinstance(expr, cst.Call) and expr.args and _REDUCTIONS.match(dotted(expr.func) or "")):
        return False
    arg = expr.args[0]
    return arg.keyword is None and isinstance(arg.value, cst.Name) and arg.value.value in params and arg.value.value != target


def _one_of_output_losses(ctx, name: str) -> bool:
    """Whether the function `name` is one of several per-output losses a Keras model is compiled
    with (`compile(loss=[mse_loss, kl_loss])`, `loss={"image": "mse", "code": kl_loss}`): a loss
    of one output that reads the prediction alone is that output's regularizing term (a VAE's KL
    divergence, an activity penalty), whose target the program gives as a placeholder."""
    return any(name in _output_loss_names(c) for c in calls_where(ctx, "TL301 per-output losses", _output_losses))


def _output_losses(call) -> bool:
    return bool(_output_loss_names(call))


def _output_loss_names(call) -> set:
    f = call.func
    if not (isinstance(f, cst.Attribute) and f.attr.value == "compile"):
        return set()
    value = next((a.value for i, a in enumerate(call.args)
                  if (a.keyword is None and not a.star and i == 1) or (a.keyword is not None and a.keyword.value == "loss")), None)
    if isinstance(value, (cst.List, cst.Tuple)):
        items = [e.value for e in value.elements if isinstance(e, cst.Element)]
    elif isinstance(value, cst.Dict):
        items = [e.value for e in value.elements if isinstance(e, cst.DictElement)]
    else:
        return set()
    return {v.value for v in items if isinstance(v, cst.Name)} if len(items) >= 2 else set()


def _batch_layout(func, preds: tuple) -> bool:
    """Whether the loss reads its prediction by position in the batch, in groups of a fixed
    size: items picked by arithmetic on their index (`z[4 * i + 1]` beside `z[4 * i]`), every
    k-th item (`z[0::2]` beside `z[1::2]`), parts of the batch (`z[0:n]` beside `z[n:]`: the
    model ran on two halves), or the batch axis split into groups (`z.view(n // 2, 2)`,
    `torch.reshape(z, (n // 3, 3, -1))`). Such a loss (pairwise ranking,
    a cover image followed by its altered copies, metric learning) takes its supervision from
    the order of the batch, so a target parameter it keeps for the training framework's
    interface is not needed. So is a prediction made of three or more outputs read item by item
    (`anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]`: a triplet loss); two fixed
    rows (`pred[0] + pred[1]`) are still two rows of one batch.
    Names assigned from the prediction count as the prediction."""
    from tensorlint.dataflow import descendants

    names = set(preds)
    picks = set()
    items = set()  # fixed items: three of them are a triplet's anchor, positive and negative
    for n in descendants(func):
        kind = type(n)
        if kind is cst.Assign and _mentions(n.value, names):
            for t in n.targets:
                if isinstance(t.target, cst.Name):
                    names.add(t.target.value)
        elif kind is cst.Subscript and isinstance(n.value, cst.Name) and n.value.value in names and n.slice:
            first = n.slice[0].slice
            if isinstance(first, cst.Index) and isinstance(first.value, cst.BinaryOperation) and _mentions(first.value, None):
                picks.add(("index", _code(first.value)))
            elif isinstance(first, cst.Index) and isinstance(first.value, cst.Integer) and len(n.slice) == 1:
                items.add(first.value.value)
            elif isinstance(first, cst.Slice) and _literal_int(first.step) >= 2:
                picks.add(("step", _code(first.lower) if first.lower is not None else "0"))
            elif isinstance(first, cst.Slice) and first.step is None and (first.lower or first.upper) is not None:
                picks.add(("part", _code(first.lower) if first.lower is not None else "0",
                           _code(first.upper) if first.upper is not None else ""))
            if len(picks) >= 2 or len(items) >= 3:
                return True
        elif kind is cst.Call and _groups_batch(n, names):
            return True
    return False


def _returns_none(func, rets) -> bool:
    """Whether every return gives None: `return None`, or a name every assignment of which in
    the function is `None` (`loss = None  # TODO` then `return loss`)."""
    from tensorlint.dataflow import descendants

    assigned: dict = {}
    for n in descendants(func):
        if type(n) is cst.Assign:
            for t in n.targets:
                if isinstance(t.target, cst.Name):
                    assigned.setdefault(t.target.value, []).append(n.value)
                else:  # `loss, acc = step()`: bound to something else
                    _bound_elsewhere(t.target, assigned)
        elif type(n) in (cst.AugAssign, cst.AnnAssign) and isinstance(n.target, cst.Name):
            assigned.setdefault(n.target.value, []).append(n.value)
        elif type(n) in (cst.For, cst.AsName, cst.CompFor):
            _bound_elsewhere(n.target if type(n) is not cst.AsName else n.name, assigned)

    def none(r) -> bool:
        if isinstance(r, cst.Name) and r.value == "None":
            return True
        values = assigned.get(r.value) if isinstance(r, cst.Name) else None
        return bool(values) and all(isinstance(v, cst.Name) and v.value == "None" for v in values)
    return all(r is not None and none(r) for r in rets)


def _bound_elsewhere(target, assigned) -> None:
    from tensorlint.dataflow import descendants

    for n in [target, *descendants(target)]:
        if isinstance(n, cst.Name):
            assigned.setdefault(n.value, []).append(n)


# calls that differentiate their first argument (`outputs=`) with respect to the second
_GRADIENT_CALLS = re.compile(r"(^|\.)(gradients|grad|gradient)$")


def _differentiates(func, preds: tuple) -> bool:
    """Whether the loss takes the gradient of its prediction (`K.gradients(y_pred, x)`,
    `tf.gradients(y_pred, x)`, `tape.gradient(y_pred, x)`, `torch.autograd.grad(outputs=y_pred,
    ...)`): a penalty on the slope of the model at some inputs (the improved Wasserstein GAN's
    gradient penalty, R1) is a regularizer with no target, and a Keras model that trains it
    still has to pass one. Names assigned from the prediction count as the prediction."""
    from tensorlint.dataflow import descendants

    names = set(preds)
    for n in descendants(func):
        if type(n) is cst.Assign and _mentions(n.value, names):
            names.update(t.target.value for t in n.targets if isinstance(t.target, cst.Name))
        elif type(n) is cst.Call and _GRADIENT_CALLS.search(dotted(n.func) or ""):
            first = next((a.value for a in n.args if a.keyword is None or a.keyword.value in ("outputs", "ys", "target")), None)
            if first is not None and _mentions(first, names):
                return True
    return False


def _groups_batch(call, names) -> bool:
    """`z.view(n // 2, 2)`, `z.reshape((n // 3, 3, -1))`, `torch.reshape(z, (n // 2, 2))`."""
    f = call.func
    if not (isinstance(f, cst.Attribute) and f.attr.value in ("view", "reshape")):
        return False
    args = [a.value for a in call.args if a.keyword is None]
    if isinstance(f.value, cst.Name) and f.value.value in names:
        dims = args
    elif dotted(f.value) in ("torch", "tf", "np", "numpy") and args and isinstance(args[0], cst.Name) and args[0].value in names:
        dims = args[1:]
    else:
        return False
    if len(dims) == 1 and isinstance(dims[0], (cst.Tuple, cst.List)):
        dims = [e.value for e in dims[0].elements]
    if len(dims) < 2:
        return False
    lead = dims[0]
    return (isinstance(lead, cst.BinaryOperation) and isinstance(lead.operator, cst.FloorDivide)
            and _literal_int(lead.right) >= 2 and _literal_int(dims[1]) == _literal_int(lead.right))


def _mentions(expr, names) -> bool:
    """Whether `expr` reads one of `names` (any name at all when `names` is None)."""
    from tensorlint.dataflow import descendants

    if isinstance(expr, cst.Name):
        return names is None or expr.value in names
    return any(isinstance(n, cst.Name) and (names is None or n.value in names) for n in descendants(expr))


def _literal_int(node) -> int:
    return int(node.value) if isinstance(node, cst.Integer) and node.value.isdigit() else -1


def _code(node) -> str:
    return cst.Module([]).code_for_node(node)


# calls that make a tensor holding one value everywhere: a target the loss may build in
_CONSTANT_MAKERS = frozenset({"ones", "ones_like", "zeros", "zeros_like", "full", "full_like", "fill_", "fill"})
_WRAPPERS = frozenset({"Variable", "to", "cuda", "float", "type", "detach", "requires_grad_", "view", "reshape",
                       "unsqueeze", "expand", "expand_as"})


def _constant_tensor(expr, assigned) -> bool:
    """`torch.ones(n, 1)`, `Tensor(n, 1).fill_(1.0)`, `Variable(torch.full((n,), 0.9))`, or a name
    every assignment of which is one of those."""
    if isinstance(expr, cst.Name):
        values = assigned.get(expr.value)
        return bool(values) and all(_constant_tensor(v, {}) for v in values)
    if not isinstance(expr, cst.Call):
        return False
    f = expr.func
    name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
    if name in _CONSTANT_MAKERS:
        return True
    if name in _WRAPPERS:
        inner = f.value if isinstance(f, cst.Attribute) and name != "Variable" else (expr.args[0].value if expr.args else None)
        return inner is not None and _constant_tensor(inner, assigned)
    return False


def _constant_at_every_call(ctx, func: cst.FunctionDef, index: int) -> bool:
    """Whether the file calls the function `func` (by its name), and every call passes as its
    parameter number `index` a tensor made to hold one constant value (the all-ones labels of a
    GAN's generator loss): such a target carries nothing the loss could read."""
    from tensorlint.dataflow import descendants

    name = func.name.value
    calls, assigned = [], {}
    for chunk in ctx.chunks:
        for n in descendants(chunk.module):
            if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == name:
                calls.append(n)
            elif isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
                assigned.setdefault(n.targets[0].target.value, []).append(n.value)
    if not calls:
        return False
    pname = _positional_names(func)[index] if index < len(_positional_names(func)) else None
    for call in calls:
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if any(a.star for a in call.args):
            return False
        keyword = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == pname), None)
        arg = positional[index] if index < len(positional) else keyword
        if arg is None or not _constant_tensor(arg, assigned):
            return False
    return True


def _optional_model_input(ev, node, target) -> bool:
    """A module's `forward` that the program uses as its loss (it returns the loss it trains on),
    whose class is not named as a loss, and whose target parameter defaults to None
    (`forward(self, imgs, labels=None)`): a model that computes its own objective and accepts
    labels for a common interface, going without them by design (a self-supervised model)."""
    if ev.owner_kind != "torch.module" or not isinstance(node, cst.FunctionDef):
        return False
    cls = ev.func.owner
    if cls is None or _LOSS_CLASS.search(cls.name):
        return False  # (`MAE` alone names a masked autoencoder as often as an error)
    p = node.params
    param = next((q for q in (*p.posonly_params, *p.params, *p.kwonly_params) if q.name.value == target), None)
    return param is not None and isinstance(param.default, cst.Name) and param.default.value == "None"


def _positional_names(func) -> list:
    p = func.params
    return [q.name.value for q in (*p.posonly_params, *p.params)]


def _param_node(func, name):
    p = func.params
    for param in (*p.posonly_params, *p.params, *p.kwonly_params):
        if param.name.value == name:
            return param.name
    return None
