import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Tensor

from ._common import scope_calls, text_fact
from ._graph_ops import sole_value
from ._training import parents
from ._trees import per_chunk_index

# activations whose output is not confined to (0, 1]: 0, negative or above 1
NOT_PROBABILITIES = ("linear", "relu", "relu6", "leakyrelu", "elu", "gelu", "silu", "selu", "tanh", "mish", "prelu",
                     "hardtanh", "hardswish", "swish", "softplus", "log_softmax")
# of those, the ones that take negative values well below any epsilon added before the log
SIGNED = ("linear", "leakyrelu", "elu", "gelu", "silu", "selu", "tanh", "mish", "prelu", "hardtanh", "hardswish", "swish",
          "log_softmax")
MATMUL_NAMES = ("matmul", "mm", "dot", "linear")


def _unwrap(node):
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("float", "squeeze"):
        node = node.func.value
    return node


def _affine(node) -> bool:
    """`x @ W`, `tf.matmul(x, W)`, `tf.matmul(x, W) + b`: an affine map written by hand."""
    node = _unwrap(node)
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.MatrixMultiply):
            return True
        if isinstance(node.operator, cst.Add):
            return _affine(node.left) or _affine(node.right)
        return False
    if isinstance(node, cst.Call):
        f = node.func
        name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
        return name in MATMUL_NAMES
    return False


def _hand_layer(t: Tensor) -> bool:
    """The tensor is an activation applied to a hand-written affine map (`tf.tanh(tf.matmul(h, W) + b)`):
    a layer of a model even where the weights come from a helper whose code is not known."""
    made = t.origin
    return (t.activation is not None and isinstance(made, cst.Call) and bool(made.args)
            and made.args[0].keyword is None and _affine(made.args[0].value))


def _nudged_name(node) -> str | None:
    """`y` of `y + 1e-10` (or `1e-10 + y`): a name nudged away from 0 by a tiny constant."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if isinstance(a, cst.Name) and isinstance(b, (cst.Float, cst.Integer)):
                try:
                    c = float(b.value)
                except ValueError:
                    return None
                return a.value if 0 < c <= 1e-3 else None
    return None


def _unbounded_layer(value) -> str | None:
    """What a hand-written layer's output is when it can be negative: `tanh(x @ W + b)` or the
    affine map itself."""
    if isinstance(value, cst.Call) and dotted(value.func).rsplit(".", 1)[-1] == "tanh" and value.args \
            and _affine(value.args[0].value):
        return "a tanh output"
    if _affine(value):
        return "an affine map of the weights (matmul plus bias, no activation)"
    return None


# a small constant as written before a log: 1e-8, 1E-10, 0.001, .0001
_SMALL = re.compile(r"\d[eE]-\d|\.00\d")


def _may_nudge(ctx) -> bool:
    """Whether the file has a `log(` call and a small constant anywhere (read once per analysis)."""
    return text_fact(ctx, "log of a nudged value", lambda text: "log(" in text and _SMALL.search(text) is not None)


class LogOfUnbounded(Rule):
    """
    ## What it does
    Finds a cross-entropy or log-likelihood written by hand that takes the `log` of a model
    output which is not a probability: the raw output of a `Linear`/`Dense`/convolution layer,
    a hand-written affine map (`tf.matmul(x, W) + b`, `x @ W`), or the output of ReLU, tanh and
    the like, also with a small epsilon added (`tf.log(tanh(h) + 1e-10)` is still the log of a
    negative number for half the inputs). The log of a softmax is TL307.

    ## Why is this bad?
    The log of a negative number is NaN and the log of 0 is `-inf`. A linear or tanh output is
    negative for about half of the inputs, and a ReLU output is exactly 0 for them: the loss
    turns NaN within the first steps and every weight follows. Where it does not, the loss is
    minimized by making the outputs large, not right.

    ## Example
    ```python
    pred = tf.matmul(x, W) + b
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), axis=1))
    ```

    ## Use instead
    ```python
    logits = tf.matmul(x, W) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    ```
    or apply `softmax`/`sigmoid` first and clip (`tf.clip_by_value(p, 1e-7, 1.0)`), or use
    `log_softmax` / `logsigmoid`.

    ## Fix safety
    There is no automatic fix: the repair is to choose the output activation or the loss.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.functional.log_softmax.html
    - https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits
    """

    code = "TL309"
    name = "log-of-unbounded"
    severity = Severity.WARNING
    summary = "`log` of a model output that is not a probability (linear, ReLU, tanh): NaN or -inf in the loss."
    failing = (
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.float32, [None, 10])\n"
        "W = tf.Variable(tf.zeros([784, 10]))\nb = tf.Variable(tf.zeros([10]))\npred = tf.matmul(x, W) + b\n"
        "cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), axis=1))  # TL309\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, 3)\n\n    def forward(self, x):\n        return torch.relu(self.fc(x))\n\n"
        "net = Net()\nx, y = torch.randn(16, 8), torch.eye(3)[torch.randint(0, 3, (16,))]\n"
        "loss = -(y * torch.log(net(x))).sum(dim=1).mean()  # TL309\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])\n"
        "x, y = tf.random.normal((8, 4)), tf.ones((8, 1))\nwith tf.GradientTape() as tape:\n    p = model(x)\n"
        "    loss = -tf.reduce_mean(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))  # TL309\n",
        # TF1 graph: a tanh decoder under a Bernoulli log-likelihood, an epsilon does not make it positive
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\nW = tf.Variable(tf.random_normal([784, 784]))\n"
        "b = tf.Variable(tf.zeros([784]))\ny = tf.nn.tanh(tf.matmul(x, W) + b)\n"
        "log_px = -tf.reduce_sum(x * tf.log(y + 1e-10) + (1 - x) * tf.log(1 - y + 1e-10), 1)  # TL309\n",
    )
    passing = (
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.float32, [None, 10])\n"
        "W = tf.Variable(tf.zeros([784, 10]))\nb = tf.Variable(tf.zeros([10]))\npred = tf.nn.softmax(tf.matmul(x, W) + b)\n"
        "cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(tf.clip_by_value(pred, 1e-10, 1.0)), axis=1))\n",
    )
    lookalikes = (
        # the log of a sigmoid, of a clipped softmax, log1p, and the log of data
        "import torch\nimport torch.nn as nn\nhead = nn.Linear(8, 1)\nx, y = torch.randn(16, 8), torch.rand(16, 1)\n"
        "p = torch.sigmoid(head(x))\nloss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()\n",
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nnet = nn.Linear(8, 3)\n"
        "p = F.softmax(net(torch.randn(4, 8)), dim=1).clamp(min=1e-7)\nnll = -torch.log(p).mean()\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(8, 1)\nz = torch.log1p(torch.relu(net(torch.randn(4, 8))))\n",
        "import numpy as np\nimport tensorflow as tf\nprices = tf.constant(np.random.rand(100, 1) + 1.0)\nreturns = tf.math.log(prices)\n",
        # a log-variance head: the log of exp() of a linear output is fine, a softplus scale plus an epsilon too
        "import torch\nimport torch.nn as nn\nhead = nn.Linear(8, 1)\nsigma = nn.functional.softplus(head(torch.randn(4, 8))) + 1e-6\nnll = torch.log(sigma).mean()\n",
        # an epsilon after a sigmoid or a ReLU keeps the log finite; 1 - tanh lies in (0, 2)
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\nW = tf.Variable(tf.random_normal([784, 784]))\n"
        "y = tf.nn.sigmoid(tf.matmul(x, W))\nh = tf.nn.relu(tf.matmul(x, W))\n"
        "loss = -tf.reduce_sum(x * tf.log(y + 1e-10) + tf.log(h + 1e-8) + tf.log(1 - tf.tanh(tf.matmul(x, W)) + 1e-10), 1)\n",
    )

    def on_method_call(self, ctx, ev):
        if ev.method != "log":
            return
        r = ev.receiver
        if not isinstance(r, Tensor) or r.param or not (r.requires_grad is True or (r.requires_grad is None and _hand_layer(r))):
            return
        act = r.activation
        if act in NOT_PROBABILITIES and (r.models or act != "linear"):
            what = "the raw output of a layer (no activation)" if act == "linear" else f"a {act} output"
        elif act is not None and act.endswith("+") and act[:-1] in SIGNED and (r.models or act != "linear+"):
            base = "the raw output of a layer" if act == "linear+" else f"a {act[:-1]} output"
            what = f"{base} plus a small constant"
        elif r.activation is None and r.node is not None and _affine(r.node):
            what = "an affine map of the weights (matmul plus bias, no activation)"
        else:
            return
        done = ctx.__dict__.setdefault("_tl309_done", set())
        if id(ev.node) in done:
            return
        done.add(id(ev.node))
        name = f"`{r.name}` ({what})" if r.name else what
        shifted = act is not None and act.endswith("+")
        made = (r.origin if _hand_layer(r) else None) if shifted else r.node  # the add is not where the value was made
        line = ctx.line(made)
        where = f", made at line {line}" if line and line != ctx.line(ev.node) else ""
        ctx.report(self, ev.node,
                   f"log of {name}{where}: it is not a probability, so it is negative or 0 for many inputs and the log is "
                   f"NaN or -inf; apply softmax/sigmoid first, or use a loss that takes logits",
                   related=[(made, "the value is computed here")] if made is not None and made is not ev.node else [])

    def on_function(self, ctx, ev):
        if isinstance(ev.node, cst.FunctionDef) and _may_nudge(ctx):
            self._scan(ctx, scope_calls(ctx, ev.func.chunk, ev.node), ev.node)

    def on_module(self, ctx, ev):
        if _may_nudge(ctx):
            calls = [c for part in per_chunk_index(  # kept with each chunk's tree
                ctx, ("log calls",), lambda i: _log_calls(scope_calls(ctx, i, ctx.chunks[i].module))) for c in part]
            self._scan(ctx, calls, ctx.chunks[0].module if ctx.chunks else None)

    def _scan(self, ctx, calls, scope):
        """`tf.log(y + 1e-10)` where `y = tf.tanh(tf.matmul(h, W) + b)` (or the affine map): the
        epsilon guards against 0, not against the negative half of a tanh or linear output. Read
        off the code, so it holds when the weights come from a helper the analysis cannot see."""
        for node in _log_calls(calls):
            name = _nudged_name(node.args[0].value)
            value = sole_value(ctx, scope, name) if name is not None else None
            what = _unbounded_layer(value) if value is not None else None
            if what is None:
                continue
            done = ctx.__dict__.setdefault("_tl309_done", set())
            stmt = parents(ctx).statement(node)
            if id(node) in done or id(stmt) in done:
                continue  # one finding per statement: `log(1 - y + eps)` next to it is the same mistake
            done.update((id(node), id(stmt)))
            ctx.report(self, node,
                       f"log of `{name}` plus a small constant, where `{name}` is {what} (line {ctx.line(value)}): "
                       f"the constant keeps the log away from 0 but the value is negative for many inputs, so the "
                       f"log is NaN; apply a sigmoid/softmax instead, or use a loss that takes logits",
                       related=[(value, "the value is computed here")])


def _log_calls(calls) -> list:
    """The calls of a `log` function of a module (`tf.log(x)`, `torch.log(x)`) with a positional argument."""
    # (an attribute's dotted text always ends in `.` and its name: no need to build it)
    return [node for node in calls if node.args and node.args[0].keyword is None
            and type(node.func) is cst.Attribute and node.func.attr.value == "log"]
