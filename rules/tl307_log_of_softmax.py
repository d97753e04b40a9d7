import libcst as cst

from tensorlint.cstwalk import walk_code
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.interp.helpers import no_grad_decorated
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._training import parents, under_no_grad
from ._trees import calls_written


def _log_argument(node: cst.Call):
    """The expression a log call takes the log of: `torch.log(A)` / `tf.math.log(A)` -> A,
    `A.log()` -> A."""
    func = node.func
    if isinstance(func, cst.Attribute) and not node.args:
        return func.value
    if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
        return node.args[0].value
    return None


_IN_PLACE_FLOORS = ("clamp_", "clamp_min_", "clip_")


def _positive_literal(expr) -> bool:
    return isinstance(expr, (cst.Float, cst.Integer)) and float(expr.value.replace("_", "")) > 0


def _floor_argument(call: cst.Call):
    """The lower bound of `x.clamp_(lo, hi)` / `x.clamp_(min=lo)` / `x.clamp_min_(lo)`."""
    for i, a in enumerate(call.args):
        if (a.keyword is None and i == 0) or (a.keyword is not None and a.keyword.value == "min"):
            return a.value
    return None


def _clamped_in_place_before(ctx, node) -> bool:
    """The tensor the log reads is a name that the same function (or the module) clamps in
    place to a positive floor before the log's line: `dist.data.clamp_(0.01, 0.99)` then
    `dist.log()`. Its values then cannot be 0, so the log cannot be -inf."""
    arg = _log_argument(node) if isinstance(node, cst.Call) else None
    if not isinstance(arg, cst.Name):
        return False
    name, line = arg.value, ctx.line(node)
    chain = list(parents(ctx).ancestors(node))
    scope = next((a for a in chain if isinstance(a, cst.FunctionDef)), chain[-1] if chain else None)
    for n in walk_code(scope) if scope is not None else ():
        if not (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in _IN_PLACE_FLOORS):
            continue
        target = n.func.value
        if isinstance(target, cst.Attribute) and target.attr.value == "data":
            target = target.value
        if not (isinstance(target, cst.Name) and target.value == name):
            continue
        floor = _floor_argument(n)
        if floor is not None and _positive_literal(floor) and (ctx.line(n) or 0) < (line or 0):
            return True
    return False


def _softmax_call(expr):
    """`expr` when it is a call of a function or method named `softmax` whose module also has
    `log_softmax` (torch, torch.nn.functional, tf.nn, tf.math, a tensor method)."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute) or expr.func.attr.value != "softmax":
        return None
    owner = expr.func.value
    if isinstance(owner, cst.Attribute) and owner.attr.value == "activations":
        return None  # keras.activations: no log_softmax in tf.keras 2
    return expr


def _grad_off_at(ctx, node) -> bool:
    """`node` lies in a `with torch.no_grad():` block (or `inference_mode()`) or in a function
    decorated so."""
    if under_no_grad(ctx, node, None):
        return True
    return any(isinstance(a, cst.FunctionDef) and no_grad_decorated(a) for a in parents(ctx).ancestors(node))


def _called_only_without_grad(ctx, node) -> bool:
    """The function holding `node` is called in the file, and every call written with its name
    runs with gradients off: the run of the function alone, with unknown callers, is not how
    the program uses it (a beam search's step, called from the search under `no_grad`)."""
    func = next((a for a in parents(ctx).ancestors(node) if isinstance(a, cst.FunctionDef)), None)
    if func is None:
        return False
    calls = calls_written(ctx, (func.name.value,))
    return bool(calls) and all(_grad_off_at(ctx, c) for c in calls)


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

    The log of a NumPy array (`model.predict(x)`, `.numpy()`) is not reported, nor a log taken
    under `torch.no_grad()` or `torch.inference_mode()` (a decoder's beam search): nothing is
    trained on it, and a `-inf` log-probability used to sample or rank is a probability of 0.

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
        # called under no_grad to act, and with gradients by the loss
        "import torch\nimport torch.nn.functional as F\n\nclass Policy(torch.nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(4, 2)\n\n"
        "    def _logp(self, x):\n        return torch.log(F.softmax(self.fc(x), dim=-1))  # TL307\n\n"
        "    def act(self, x):\n        with torch.no_grad():\n            return self._logp(x).argmax(-1)\n\n"
        "    def loss(self, x, a):\n        return -self._logp(x).gather(1, a).mean()\n",
    )
    passing = (
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(16, 4)\nlp = F.log_softmax(logits, dim=1)\n",
    )
    lookalikes = (
        # an epsilon keeps the log finite: not flagged
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(16, 4)\nlp = torch.log(F.softmax(logits, dim=1) + 1e-8)\n",
        "import torch\nimport torch.nn.functional as F\np = torch.sigmoid(torch.randn(16))\nlp = torch.log(p.clamp(min=1e-6))\n",
        # clamped in place to a positive floor before the log (a categorical DQN's projected distribution)
        "import torch\nimport torch.nn.functional as F\nlogits = torch.randn(8, 2, 51)\n"
        "dist = F.softmax(logits, dim=2).gather(1, torch.zeros(8, 1, 51, dtype=torch.long)).squeeze(1)\n"
        "dist.data.clamp_(0.01, 0.99)\nloss = -(torch.rand(8, 51) * dist.log()).sum(1).mean()\n",
        "import tensorflow as tf\nx = tf.random.uniform((4, 3))\ny = tf.math.log(x)\n",
        # sampling from predicted probabilities: a NumPy array nothing trains on; a -inf logit is probability 0
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(5, activation='softmax')])\n"
        "probs = model.predict(tf.random.normal((1, 8)))\nnext_id = tf.random.categorical(tf.math.log(probs) / 0.7, num_samples=1)\n",
        # a beam search under no_grad: the top-k probabilities of a softmax ranked by their log
        "import torch\nimport torch.nn.functional as F\n\nclass Beam(torch.nn.Module):\n"
        "    def __init__(self, model):\n        super().__init__()\n        self.model = model\n\n"
        "    def _step(self, x):\n        probs = F.softmax(self.model(x), dim=-1)\n"
        "        best, idx = probs.topk(4)\n        return torch.log(best), idx\n\n"
        "    def search(self, x):\n        with torch.no_grad():\n            return self._step(x)\n\n"
        "@torch.no_grad()\ndef rank(model, x):\n    return F.softmax(model(x), dim=1).log().topk(3)\n",
    )

    def on_method_call(self, ctx, ev):
        if ev.method != "log" or not isinstance(ev.receiver, Tensor) or ev.receiver.activation != "softmax":
            return
        r = ev.receiver
        if r.fw == "np":
            return  # a NumPy array (`model.predict(x)`, `.numpy()`): nothing trains on it, no weight turns NaN
        if r.fw == "torch" and (ctx.no_grad or _called_only_without_grad(ctx, ev.node)):
            return  # under `torch.no_grad()` (a beam search's scores): no gradient, no weight turns NaN
        if _clamped_in_place_before(ctx, ev.node):
            return  # clamped in place to a positive floor first: the log stays finite
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
