import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor


def _log_argument(node: cst.Call):
    """The expression a log call takes the log of: `torch.log(A)` / `tf.math.log(A)` -> A,
    `A.log()` -> A."""
    func = node.func
    if isinstance(func, cst.Attribute) and not node.args:
        return func.value
    if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
        return node.args[0].value
    return None


def _softmax_call(expr):
    """`expr` when it is a call of a function or method named `softmax` whose module also has
    `log_softmax` (torch, torch.nn.functional, tf.nn, tf.math, a tensor method)."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute) or expr.func.attr.value != "softmax":
        return None
    owner = expr.func.value
    if isinstance(owner, cst.Attribute) and owner.attr.value == "activations":
        return None  # keras.activations: no log_softmax in tf.keras 2
    return expr


class LogOfSoftmax(Rule):
    """
    ## What it does
    Finds the log of a softmax: `torch.log(F.softmax(x, dim=1))`, `x.softmax(-1).log()`,
    `tf.math.log(tf.nn.softmax(logits))`, `tf.log(y)` where `y` is a softmax output (also a
    model whose last layer applies softmax), across variables and helper functions.

    ## Why is this bad?
    Softmax of large logits underflows to exactly 0 in float32; its log is `-inf`, and
    `0 * -inf` (the one-hot target times the log) is NaN. The loss and then every weight turn
    NaN. `log_softmax` computes the same values stably (`x - logsumexp(x)`).

    ## Example
    ```python
    log_probs = torch.log(F.softmax(logits, dim=1))
    ```

    ## Use instead
    ```python
    log_probs = F.log_softmax(logits, dim=1)
    ```

    The log of a NumPy array (`model.predict(x)`, `.numpy()`) is not reported: nothing is
    trained on it, and a `-inf` log-probability used to sample is a probability of 0.

    ## Fix safety
    Replacing `log(softmax(...))` written in one expression with `log_softmax(...)` is safe: it
    is the same function, computed without underflow. When the softmax was computed elsewhere
    there is no automatic fix.
    """

    code = "TL307"
    name = "log-of-softmax"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "log(softmax(x)) underflows to -inf; use log_softmax."
    failing = (
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(16, 4)\nlp = torch.log(F.softmax(logits, dim=1))  # TL307\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, shape=[None, 64])\ny_ = tf.placeholder(tf.float32, shape=[None, 10])\nW = tf.Variable(tf.random_normal([64, 10]))\ny = tf.nn.softmax(tf.matmul(x, W))\nxent = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), axis=1))  # TL307\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=-1))\nprobs = model(torch.randn(4, 8))\nnll = -probs.log().mean()  # TL307\n",
    )
    passing = (
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(16, 4)\nlp = F.log_softmax(logits, dim=1)\n",
    )
    lookalikes = (
        # an epsilon keeps the log finite: not flagged
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(16, 4)\nlp = torch.log(F.softmax(logits, dim=1) + 1e-8)\n",
        "import torch\nimport torch.nn.functional as F\np = torch.sigmoid(torch.randn(16))\nlp = torch.log(p.clamp(min=1e-6))\n",
        "import tensorflow as tf\nx = tf.random.uniform((4, 3))\ny = tf.math.log(x)\n",
        # sampling from predicted probabilities: a NumPy array nothing trains on; a -inf logit is probability 0
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(5, activation='softmax')])\n"
        "probs = model.predict(tf.random.normal((1, 8)))\nnext_id = tf.random.categorical(tf.math.log(probs) / 0.7, num_samples=1)\n",
    )

    def on_method_call(self, ctx, ev):
        if ev.method != "log" or not isinstance(ev.receiver, Tensor) or ev.receiver.activation != "softmax":
            return
        r = ev.receiver
        if r.fw == "np":
            return  # a NumPy array (`model.predict(x)`, `.numpy()`): nothing trains on it, no weight turns NaN
        line = ctx.line(r.node) if r.node is not None else None
        what = f"`{r.name}`" if r.name else "a softmax output"
        where = f" (softmax at line {line})" if line and line != ctx.line(ev.node) else ""
        ctx.report(self, ev.node, f"log of {what}{where}: it underflows to -inf for confident predictions; use log_softmax",
                   fix=self._fix(ctx, ev.node),
                   related=[(r.node, "the softmax is computed here")] if r.node is not None and r.node is not ev.node else [])

    def _fix(self, ctx, node):
        arg = _log_argument(node) if isinstance(node, cst.Call) else None
        soft = _softmax_call(arg)
        if soft is None:
            return None
        span = ctx.span(node)
        if span is None:
            return None
        new = soft.with_changes(func=soft.func.with_changes(attr=cst.Name("log_softmax")))
        text = cst.Module([]).code_for_node(new)
        return Fix("Use `log_softmax`", (Edit(span, text),), Applicability.SAFE)
