import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._trees import calls_where

# the framework reductions, by their canonical names (`tf.math.reduce_mean`, `K.mean`,
# `keras.ops.mean` and `tf.compat.v1.reduce_mean` are read through the registry)
_MEANS = frozenset(("torch.mean", "tensorflow.reduce_mean", "tensorflow.math.reduce_mean", "keras.backend.mean"))
_SUMS = frozenset(("torch.sum", "tensorflow.reduce_sum", "tensorflow.math.reduce_sum", "keras.backend.sum"))
_AXIS_KEYWORDS = frozenset(("axis", "dim", "reduction_indices"))
_OTHER_KEYWORDS = frozenset(("keepdims", "keepdim", "keep_dims", "name", "dtype", "out"))


def _whole(call) -> bool:
    """A reduction given its operand alone: no axis, positional or by keyword, and nothing else
    but what leaves the reduction over every axis (`keepdims`, `name`, `dtype`)."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) != 1 or positional[0].star:
        return False
    return all(a.keyword is None or a.keyword.value in _OTHER_KEYWORDS and a.keyword.value not in _AXIS_KEYWORDS
               for a in call.args)


def _number(node) -> bool:
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        node = node.expression
    return isinstance(node, (cst.Integer, cst.Float))


def _operand(node):
    """What a reduction's operand reduces to, through a sign, a parenthesis and a scale by a
    number: `-tf.reduce_sum(x)`, `0.5 * torch.sum(x)`, `tf.reduce_sum(x) / 2.0`."""
    while True:
        if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
            node = node.expression
        elif type(node) is cst.BinaryOperation and type(node.operator) in (cst.Multiply, cst.Divide):
            if _number(node.right):
                node = node.left
            elif type(node.operator) is cst.Multiply and _number(node.left):
                node = node.right
            else:
                return node
        else:
            return node


def _whole_sum(env, node, method_ok: bool) -> bool:
    """`tf.reduce_sum(x)`, `torch.sum(x)`, `K.sum(x)` over every axis; with `method_ok`, also
    `x.sum()` (read only inside a framework's mean, where `x` cannot be a table whose `.sum()`
    adds up each column)."""
    if type(node) is not cst.Call:
        return False
    if type(node.func) is cst.Attribute and node.func.attr.value == "sum" and imported_qualname(env, node.func) is None:
        return method_ok and not node.args
    return imported_qualname(env, node.func) in _SUMS and _whole(node)


def _last_name(func) -> str | None:
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else None


def _shaped(call) -> bool:
    """A mean of a sum by their spelling alone, whatever the names resolve to (`mean(sum(x))`,
    `x.reduce_mean(-y.reduce_sum(z))`, `s.sum(x).mean()`): kept with each chunk's tree. A bare
    name may be a function imported under another name (`from torch import sum as total`)."""
    last = _last_name(call.func)
    if (last in ("mean", "reduce_mean") or type(call.func) is cst.Name) and call.args:
        inner = _operand(call.args[0].value)
    elif last == "mean" and type(call.func) is cst.Attribute:
        inner = _operand(call.func.value)
    else:
        return False
    return type(inner) is cst.Call and (type(inner.func) is cst.Name or _last_name(inner.func) in ("sum", "reduce_sum"))


class MeanOfWholeSum(Rule):
    """
    ## What it does
    Finds a framework mean taken of a framework sum that has no axis:
    `tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred)))`,
    `torch.mean(torch.sum(kl))`, `K.mean(K.sum(err))`, `torch.sum(x).mean()`, through a sign or a
    scale by a number. The sum adds up every axis, the batch's included, so the mean is taken of
    a single number and changes nothing.

    ## Why is this bad?
    The mean was meant to average a per-example quantity over the batch, and the sum was meant
    to run over one axis (the classes, the features, the latent units). Without that axis the
    loss is the total over the batch: it and its gradients are batch-size times larger than
    written (256 times with a batch of 256), so the learning rate in use is that much larger,
    and it changes whenever the batch size does. Training diverges or needs a learning rate
    tuned to one batch size. Nothing fails: the value is a valid scalar.

    ## Example
    ```python
    def cross_entropy(y_pred, y_true):
        y_true = tf.one_hot(y_true, depth=10)
        return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred)))
    ```

    ## Use instead
    ```python
    def cross_entropy(y_pred, y_true):
        y_true = tf.one_hot(y_true, depth=10)
        return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred), axis=1))
    ```

    ## Fix safety
    There is no automatic fix: which axis the sum should run over (the last, the classes',
    every axis but the batch's) is the author's choice.
    """

    code = "TL330"
    triggers = ("mean",)
    name = "mean-of-whole-sum"
    severity = Severity.WARNING
    summary = "A mean of a sum that has no axis: the sum already ran over the batch, so the mean does nothing and the loss grows with the batch size."
    failing = (
        "import tensorflow as tf\n\ndef cross_entropy(y_pred, y_true):\n    y_true = tf.one_hot(y_true, depth=10)\n"
        "    y_pred = tf.clip_by_value(y_pred, 1e-9, 1.0)\n"
        "    return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred)))  # TL330\n",
        "import torch\n\ndef kl_loss(mu, logvar):\n"
        "    return torch.mean(-0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp()))  # TL330\n",
        "from tensorflow.keras import backend as K\n\ndef margin_loss(y_true, y_pred):\n"
        "    err = y_true * K.square(K.relu(0.9 - y_pred))\n    return K.mean(K.sum(err))  # TL330\n",
        "import torch\n\ndef total(err):\n    return torch.sum(err ** 2).mean()  # TL330\n",
    )
    passing = (
        "import tensorflow as tf\n\ndef cross_entropy(y_pred, y_true):\n    y_true = tf.one_hot(y_true, depth=10)\n"
        "    y_pred = tf.clip_by_value(y_pred, 1e-9, 1.0)\n"
        "    return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred), axis=1))\n",
    )
    lookalikes = (
        # the sum's axis given by position, by keyword, as `dim=`, as `reduction_indices=`
        "import tensorflow as tf\nimport torch\nfrom tensorflow.keras import backend as K\n\n"
        "def losses(p, q, a, b, c):\n    l1 = tf.reduce_mean(-tf.reduce_sum(p * tf.math.log(q), 1))\n"
        "    l2 = torch.mean(torch.sum(a, dim=1))\n    l3 = K.mean(K.sum(b, axis=-1))\n"
        "    l4 = tf.reduce_mean(tf.reduce_sum(c, reduction_indices=[1]))\n    return l1 + l2 + l3 + l4\n",
        # the mean has its own axis; a column sum of a table; numpy's helpers for logging
        "import numpy as np\nimport pandas as pd\nimport torch\n\n"
        "def report(t, df, losses):\n    per_row = torch.mean(torch.sum(t), dim=0)\n"
        "    cols = df.sum().mean()\n    avg = np.mean(np.sum(losses))\n    return per_row, cols, avg\n",
        # a sum of a mean, and a mean of a sum scaled by a tensor (not a number)
        "import torch\n\ndef mixed(x, w):\n    a = torch.sum(torch.mean(x, dim=0))\n"
        "    b = torch.mean(torch.sum(x) * w)\n    return a + b\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "sum" not in text or "mean" not in text:
            return
        env = module_names(ctx)
        for call in calls_where(ctx, "TL330 mean of a sum", _shaped):
            func = call.func
            q = imported_qualname(env, func)
            if q in _MEANS:
                if not _whole(call):
                    continue
                inner = _operand(call.args[0].value)
                if not _whole_sum(env, inner, True):
                    continue
            elif q is None and type(func) is cst.Attribute and func.attr.value == "mean" and not call.args:
                inner = _operand(func.value)
                if not _whole_sum(env, inner, False):
                    continue
            else:
                continue
            mean = ctx.source(call.func) if q is not None else "mean()"
            total = ctx.source(inner.func) if imported_qualname(env, inner.func) is not None else ".sum()"
            ctx.report(self, call,
                       f"`{mean}` of `{total}` with no axis: the sum already ran over every axis, the batch's too, "
                       f"so the mean is taken of one number and does nothing; the value is the total over the batch, "
                       f"batch-size times the per-example mean, and so is its gradient: give the sum the axis it "
                       f"should reduce (`axis=1`, `dim=1`), or drop it where each example's loss is already one number")
