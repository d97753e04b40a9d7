import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Applicability, Severity
from tensorlint.syntax import dotted
from tensorlint.rule import Rule
from tensorlint.values import ANY, Tensor, shape_list

from ._common import keras2_established, text_fact, value_name
from ._graph_ops import reaching_value, tf_aliases
from ._losses import broadcast_difference, broadcast_product, loss_spec, pred_label, pred_target

KERAS_ELEMENTWISE = ("regression",)
# TensorFlow calls that give a Python list of tensors, not a tensor
TF_LISTS = frozenset({"get_collection", "get_collection_ref", "get_regularization_losses", "get_losses",
                      "trainable_variables", "global_variables", "local_variables", "model_variables", "gradients",
                      "split", "unstack"})


def _tf_call(node, tf) -> str | None:
    if isinstance(node, cst.Call):
        path = dotted(node.func)
        if path.partition(".")[0] in tf:
            return path.rsplit(".", 1)[-1]
    return None


def _reg_list(ctx, node, tf) -> bool:
    """The regularization losses as a Python list: `tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)`,
    `tf.losses.get_regularization_losses()`, or a name last bound to one."""
    if isinstance(node, cst.Name):
        node = reaching_value(ctx, node, node.value)
    op = _tf_call(node, tf)
    if op == "get_regularization_losses":
        return True
    return op == "get_collection" and bool(node.args) and "REGULARIZATION_LOSSES" in dotted(node.args[0].value).upper() \
        or op == "get_collection" and bool(node.args) and isinstance(node.args[0].value, cst.SimpleString) \
        and "regularization_losses" in node.args[0].value.value


def _tf_tensor(ctx, node, tf) -> bool:
    """A value made by a TensorFlow op (not one of the calls that give lists), or a name last bound to one."""
    if isinstance(node, cst.Name):
        node = reaching_value(ctx, node, node.value)
    op = _tf_call(node, tf)
    return op is not None and op not in TF_LISTS


def _mentions_regularization_losses(ctx) -> bool:
    """Whether the text names TF1's regularization-losses collection (read once per analysis)."""
    return text_fact(ctx, "regularization losses", lambda text: "REGULARIZATION_LOSSES" in text.upper())


def broadcast_shape(a: tuple, b: tuple):
    """The broadcast of two fully known shapes (ints or batch symbols), None if any dim is
    unknown or the shapes do not broadcast."""
    if a is None or b is None or (a and a[0] is ANY) or (b and b[0] is ANY):
        return None
    if any(d is None for d in a + b):
        return None
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None
    return tuple(reversed(out))


def _factor_label(ctx, t) -> str:
    """"`log_prob` (line 12)", "`dist.log_prob(actions)`" or "the value made at line 12"."""
    if t.name:
        return value_name(ctx, t)
    if t.origin is None:
        return "a factor"
    text = ctx.source(t.origin)
    if text and len(text) <= 40 and "\n" not in text and "`" not in text:
        return f"`{text}`"
    return f"the value made at line {ctx.line(t.origin)}"


def _keras_loss_function(loss, spec) -> bool:
    """A Keras loss function (`keras.losses.mean_squared_error`, `keras.metrics.mae`), not a Loss
    class, not TF1's `tf.losses` functions (which check that the shapes agree) and not
    `keras.ops`."""
    return spec.is_function and loss.kind.startswith(("keras.losses.", "keras.metrics.", "keras.backend."))


class SilentBroadcastInLoss(Rule):
    """
    ## What it does
    Finds elementwise losses (`MSELoss`, `L1Loss`, `SmoothL1Loss`, `HuberLoss` and their
    functional forms) whose prediction and target have shapes that broadcast to a shape larger
    than both, typically a `(N, 1)` model output against an `(N,)` target. Hand-written losses
    count too: `tf.reduce_mean(tf.square(pred - y))`, `((pred - y) ** 2).mean()`,
    `torch.mean(torch.abs(pred - y))`, when the difference of an `(N, 1)` and an `(N,)` tensor of
    the same samples (one of them computed from trainable weights or the labels) is reduced whole.
    So do products of that kind reduced whole: a policy-gradient loss
    `-(dist.log_prob(actions) * returns).mean()` whose log-probabilities are `(N,)` and whose
    returns or advantages are a column `(N, 1)` (the shapes of `torch.distributions` results are
    known: `Categorical(probs).log_prob(a)` has the batch shape of `probs` without its last
    axis).

    ## Why is this bad?
    Broadcasting pairs every prediction with every target: the loss is computed over an
    `(N, N)` matrix. Training runs, PyTorch prints at most a UserWarning, and the model
    converges to predicting the mean of the targets instead of fitting them. In a product,
    each action's log-probability is weighted by the mean return of the batch instead of its
    own: the policy gradient no longer prefers the actions that did well.

    Keras losses squeeze a trailing axis of size 1 themselves: `(N,)` against `(N, 1)` is not
    flagged there. Keras 2's loss *functions* are the exception: called directly
    (`keras.losses.mean_squared_error(y, pred)` in a custom training step), they subtract the
    two tensors as they are; only its `Loss` classes and `compile` align the ranks. Such a call
    is flagged where the program can only run under Keras 2: it imports a module only Keras 2
    has (`keras.layers.core`, `keras.utils.np_utils`, `tf.contrib`...) or spells an argument only
    Keras 2 takes (a Keras optimizer's `lr=`, `nb_epoch=`). Keras 3 aligns them in the functions
    too.

    A TF1 loss added to the Python list of regularization losses (`mse + reg_losses` or
    `tf.add(base_loss, reg_losses)` with `reg_losses = tf.get_collection(
    tf.GraphKeys.REGULARIZATION_LOSSES)`) broadcasts the same way: TensorFlow stacks the list
    into a vector, so the loss becomes a vector holding the base loss once per regularized
    weight (and an empty vector when there is none); `tf.add_n([mse] + reg_losses)` is meant.

    ## Example
    ```python
    pred = model(x)            # shape (32, 1)
    loss = F.mse_loss(pred, y)  # y has shape (32,)
    ```

    ## Use instead
    ```python
    loss = F.mse_loss(pred.squeeze(-1), y)
    ```

    ## Fix safety
    Appending `.squeeze(-1)` to the operand with the extra axis is unsafe: it is right when the
    two shapes should be equal, but the target may be the one with the wrong shape.
    """

    code = "TL205"
    name = "silent-broadcast-in-loss"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "Elementwise loss on prediction and target shapes that broadcast to a larger shape."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx = torch.randn(32, 5)\ny = x.sum(dim=1)\nloss = nn.MSELoss()(model(x), y)  # TL205\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx = torch.randn(32, 5)\ny = x.sum(dim=1)\npred = model(x)\nloss = ((pred - y) ** 2).mean()  # TL205\n",
        "import tensorflow as tf\nW = tf.Variable(tf.random.normal((3, 1)))\nxs = tf.random.normal((16, 3))\nys = tf.reduce_sum(xs, axis=1)\n"
        "cost = tf.reduce_mean(tf.square(tf.matmul(xs, W) - ys))  # TL205\n",
        "import tensorflow as tf\nX = tf.placeholder(tf.float32, [None, 8])\nout = tf.layers.dense(X, 8)\n"
        "mse = tf.reduce_mean(tf.square(out - X))\nreg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)\n"
        "loss = mse + reg_losses  # TL205\n",
        # a Keras 2 program (`lr=`): its loss functions subtract the tensors as they are
        "import tensorflow as tf\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])\n"
        "optimizer = keras.optimizers.Adam(lr=1e-3)\nx = tf.random.normal((32, 4))\ny = tf.reduce_sum(x, axis=1)\n"
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))  # TL205\n",
        "import torch\nimport torch.nn as nn\nfrom torch.distributions import Categorical\n"
        "policy = nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=-1))\ndist = Categorical(policy(torch.randn(32, 4)))\n"
        "returns = torch.randn(32, 1)\nloss = -(dist.log_prob(dist.sample()) * returns).mean()  # TL205\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx = torch.randn(32, 5)\ny = x.sum(dim=1)\nloss = nn.MSELoss()(model(x).squeeze(-1), y)\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nfrom torch.distributions import Categorical\n"
        "policy = nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=-1))\ndist = Categorical(policy(torch.randn(32, 4)))\n"
        "returns = torch.randn(32, 1)\nloss = -(dist.log_prob(dist.sample()) * returns.squeeze(1)).mean()\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx = torch.randn(32, 5)\ny = x.sum(dim=1, keepdim=True)\nloss = nn.MSELoss()(model(x), y)\n",
        # a scalar target broadcasts to the prediction's own shape: nothing grows
        "import torch\nimport torch.nn.functional as F\npred = torch.randn(8, 3, requires_grad=True)\nloss = F.l1_loss(pred, torch.zeros(1))\n",
        "import numpy as np\nimport tensorflow as tf\npred = tf.random.normal((16, 1))\nloss = tf.keras.losses.MeanSquaredError()(np.zeros(16), pred)\n",
        # the same call in a program that does not show its Keras version: Keras 3 aligns the ranks
        "import keras\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
        "optimizer = keras.optimizers.Adam(learning_rate=1e-3)\nx = tf.random.normal((32, 4))\ny = tf.reduce_sum(x, axis=1)\n"
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))\n",
        # pairwise differences of two sets are meant to broadcast
        "import torch\nimport torch.nn as nn\nenc = nn.Linear(4, 2)\na = enc(torch.randn(10, 4))\nb = enc(torch.randn(12, 4))\nspread = ((a[:, None] - b[None]) ** 2).mean()\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx = torch.randn(32, 5)\ny = x.sum(dim=1)\nloss = ((model(x).squeeze(1) - y) ** 2).mean()\n",
    )

    def on_loss_call(self, ctx, ev):
        spec = loss_spec(ev.loss)
        if spec is None or not spec.elementwise or spec.kind not in ("regression",):
            return
        pred, target = pred_target(ev)
        if not isinstance(pred, Tensor) or not isinstance(target, Tensor):
            return
        keras2 = None
        if ev.fw != "torch" and pred.rank != target.rank:
            # Keras 3 and Keras 2's Loss classes squeeze or expand a trailing axis of 1 before
            # comparing; Keras 2's loss functions called directly do not
            if not (_keras_loss_function(ev.loss, spec) and keras2_established(ctx)):
                return
            keras2 = ("; Keras 2's loss functions do not align the ranks (only its Loss classes and compile do), "
                      "and this program runs under Keras 2")
        out = broadcast_shape(pred.shape, target.shape)
        if out is None or out == pred.shape or out == target.shape:
            return
        fix = self._fix(ctx, ev, pred, target)
        ctx.report(
            self, ev.node,
            f"{ev.loss.short}: prediction of shape {shape_list(pred.shape)} and target {value_name(ctx, target)} of shape "
            f"{shape_list(target.shape)} broadcast to {shape_list(out)}; every prediction is compared with every target"
            + (keras2 or ""),
            fix=fix, related=[(t.origin, "made here") for t in (pred, target) if t.origin is not None],
        )

    def on_reduce(self, ctx, ev):
        """A hand-written elementwise loss: `tf.reduce_mean(tf.square(pred - y))`, `((pred - y) ** 2).mean()`."""
        if ev.op not in ("mean", "sum") or not isinstance(ev.result, Tensor) or ev.result.shape != ():
            return
        found = broadcast_difference(ev.value)
        if found is None:
            self._weighted_product(ctx, ev)
            return
        a, b, node, out = found
        ctx.report(
            self, ev.node,
            f"{pred_label(ctx, a)} of shape {shape_list(a.shape)} minus {pred_label(ctx, b)} of shape {shape_list(b.shape)} "
            f"broadcasts to {shape_list(out)} before the {ev.op}; every prediction is compared with every target",
            related=[(node, "the difference is taken here")] + [(t.origin, "made here") for t in (a, b) if t.origin is not None],
        )

    def _weighted_product(self, ctx, ev):
        """`-(log_prob * returns).mean()` with `(N,)` log-probabilities and `(N, 1)` returns."""
        found = broadcast_product(ev.value)
        if found is None:
            return
        a, b, node, out = found
        ctx.report(
            self, ev.node,
            f"{_factor_label(ctx, a)} of shape {shape_list(a.shape)} times {_factor_label(ctx, b)} of shape "
            f"{shape_list(b.shape)} broadcasts to {shape_list(out)} before the {ev.op}; every sample is weighted by "
            f"every sample's factor, not only its own",
            related=[(node, "the product is taken here")] + [(t.origin, "made here") for t in (a, b) if t.origin is not None],
        )

    def _fix(self, ctx, ev, pred, target):
        if ev.fw != "torch":
            return None
        for i, (t, other) in enumerate(((pred, target), (target, pred))):
            if t.rank == other.rank + 1 and t.shape[-1] == 1 and i < len(ev.sites):
                node = ev.sites[i].arg
                if node is None and ev.sites[i].inner is None and len(ev.node.args) > i and ev.node.args[i].keyword is None:
                    node = ev.node.args[i].value
                if node is not None:
                    return ctx.append_fix(node, ".squeeze(-1)", "Drop the trailing axis with `.squeeze(-1)`", "unsafe")
        return None

    def on_function(self, ctx, ev):
        if isinstance(ev.node, cst.FunctionDef) and _mentions_regularization_losses(ctx):
            self._loss_plus_list(ctx, [ev.node])

    def on_module(self, ctx, ev):
        if _mentions_regularization_losses(ctx):
            self._loss_plus_list(ctx, [c.module for c in ctx.chunks])

    def _loss_plus_list(self, ctx, roots):
        """`loss = base_loss + reg_losses` / `tf.add(base_loss, reg_losses)` with the Python list of
        regularization losses: TensorFlow stacks the list into a vector and broadcasts the loss
        against it."""
        tf = tf_aliases(ctx)
        if not tf:
            return
        for root in roots:
            for node in descendants(root, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                if type(node) is cst.BinaryOperation and isinstance(node.operator, cst.Add):
                    pair = (node.left, node.right)
                elif type(node) is cst.Call and _tf_call(node, tf) == "add" and len(node.args) >= 2 \
                        and node.args[0].keyword is None and node.args[1].keyword is None:
                    pair = (node.args[0].value, node.args[1].value)
                else:
                    continue
                for a, b in (pair, pair[::-1]):
                    if _reg_list(ctx, b, tf) and _tf_tensor(ctx, a, tf):
                        what = f"`{a.value}`" if isinstance(a, cst.Name) else "the loss"
                        fix = f"tf.add_n([{a.value}] + {ctx.source(b)})" if isinstance(a, cst.Name) else "tf.add_n"
                        ctx.report(self, node,
                                   f"{what} is added to `{ctx.source(b)}`, a Python list of regularization losses: "
                                   f"TensorFlow stacks the list into a vector and broadcasts the loss against it, so the "
                                   f"loss is a vector with {what} in every entry (and empty when there is no "
                                   f"regularizer), and minimize() sums it; add them with {fix}")
                        break
