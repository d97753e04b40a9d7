import math

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Const, Tensor

from ._common import text_fact
from ._training import parents

# draws of a normal sample: the position and keyword of their standard deviation (None: always 1)
_NORMAL = {"random_normal": (2, "stddev"), "random.normal": (2, "stddev"), "truncated_normal": (2, "stddev"),
           "random.truncated_normal": (2, "stddev"), "randn": (None, None)}
_WRAPPERS = ("Variable", "Parameter")  # tf.Variable(initial_value), nn.Parameter(data)
_SATURATING = ("sigmoid", "tanh")
_ADDS = ("add", "bias_add")  # tf.add(x @ w, b), tf.nn.bias_add(...), torch.add(...)
# Var(pre-activation) = std**2 * fan_in * E[x**2]; a sigmoid output is >= 0.5 for half the units
# whose own pre-activation is symmetric at initialization, so E[x**2] >= 0.125. Past a standard
# deviation of 4 the typical unit sits where the sigmoid's slope is under a tenth of its peak.
_SIGMOID_SQUARE = 0.125
_SATURATED_STD = 4.0


def _std(draw: cst.Call):
    """The standard deviation a normal draw was given: 1.0 by default, a literal, else None."""
    name = dotted(draw.func)
    key = next((k for k in _NORMAL if name == k or name.endswith("." + k)), None)
    if key is None:
        return None
    pos, kw = _NORMAL[key]
    if kw is None:
        return 1.0
    arg = next((a.value for a in draw.args if a.keyword is not None and a.keyword.value == kw), None)
    if arg is None and len(draw.args) > pos and all(a.keyword is None and not a.star for a in draw.args[:pos + 1]):
        arg = draw.args[pos].value
    if arg is None:
        return None if any(a.star for a in draw.args) else 1.0
    if isinstance(arg, (cst.Integer, cst.Float)):
        return float(arg.evaluated_value)
    return None


def _drawn(w: Tensor):
    """(the draw, its standard deviation) when `w` is a variable made directly from a normal draw:
    `tf.Variable(tf.random_normal(shape))`, `nn.Parameter(torch.randn(n, m))`."""
    made, draw = w.node, w.origin
    if not isinstance(made, cst.Call) or not isinstance(draw, cst.Call) or not made.args:
        return None
    if not dotted(made.func).endswith(_WRAPPERS) or made.args[0].value is not draw:
        return None  # scaled, clipped or otherwise changed on its way into the variable
    std = _std(draw)
    return None if std is None else (draw, std)


def _consumer(p, node):
    """The sigmoid/tanh call that takes the product `node` directly, through a bias added by `+`,
    `tf.add` or `bias_add` (None when the product goes anywhere else first)."""
    for a in p.ancestors(node):
        if isinstance(a, (cst.Arg, cst.Element)):
            continue
        if isinstance(a, cst.BinaryOperation) and isinstance(a.operator, (cst.Add, cst.Subtract)):
            continue
        if isinstance(a, cst.Call):
            name = dotted(a.func).rpartition(".")[2]
            if name in _ADDS:
                continue
            return a if name in _SATURATING else None
        return None
    return None


class SaturatingWeightInit(Rule):
    """
    ## What it does
    Finds hand-made weights drawn from a normal distribution whose standard deviation is large
    for their fan-in (`tf.Variable(tf.random_normal([256, 128]))`, standard deviation 1.0;
    `nn.Parameter(torch.randn(256, 128))`), multiplied by the output of a sigmoid and passed,
    with at most a bias added, to a sigmoid or tanh.

    ## Why is this bad?
    The pre-activation of a unit is a sum over its fan-in: with weights of standard deviation
    `s` and inputs that are sigmoid outputs (half of them at least 0.5 at initialization), its
    standard deviation is at least `s * sqrt(fan_in / 8)`: 5.7 for 256 inputs and `s = 1`. Most
    units then start deep in the flat tails of the sigmoid or tanh, where the gradient is a few
    hundredths of its peak, and the network learns slowly or not at all. Scaling the draw by the
    fan-in (Glorot / Xavier: `stddev = sqrt(1 / fan_in)` or so) keeps the pre-activations near 1.

    ## Example
    ```python
    w2 = tf.Variable(tf.random_normal([256, 128]))
    layer_2 = tf.nn.sigmoid(tf.add(tf.matmul(layer_1, w2), b2))   # layer_1 = tf.nn.sigmoid(...)
    ```

    ## Use instead
    ```python
    w2 = tf.Variable(tf.truncated_normal([256, 128], stddev=0.1))
    # or: tf.get_variable('w2', [256, 128], initializer=tf.glorot_uniform_initializer())
    ```

    ## Fix safety
    There is no automatic fix: the scale is the program's choice (0.1, `sqrt(1 / fan_in)`, an
    initializer).
    """

    code = "TL314"
    name = "saturating-weight-init"
    severity = Severity.WARNING
    summary = "Weights drawn with a standard deviation too large for their fan-in feed a sigmoid or tanh: its units start saturated."
    failing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "w1 = tf.Variable(tf.truncated_normal([784, 256], stddev=0.03))\n"
        "h1 = tf.nn.sigmoid(tf.matmul(x, w1))\n"
        "w2 = tf.Variable(tf.random_normal([256, 128]))  # TL314\n"
        "h2 = tf.nn.sigmoid(tf.matmul(h1, w2) + tf.Variable(tf.zeros([128])))\n",
    )
    passing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "w1 = tf.Variable(tf.truncated_normal([784, 256], stddev=0.03))\n"
        "h1 = tf.nn.sigmoid(tf.matmul(x, w1))\n"
        "w2 = tf.Variable(tf.random_normal([256, 128], stddev=0.1))\n"
        "h2 = tf.nn.sigmoid(tf.matmul(h1, w2) + tf.Variable(tf.zeros([128])))\n",
    )
    lookalikes = (
        # the product feeds a ReLU, which does not saturate
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([784, 256]))))\n"
        "w2 = tf.Variable(tf.random_normal([256, 128]))\nh2 = tf.nn.relu(tf.matmul(h1, w2))\n",
        # the draw is scaled before it becomes the variable
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([784, 256]))))\n"
        "w2 = tf.Variable(tf.random_normal([256, 128]) * 0.05)\nh2 = tf.nn.sigmoid(tf.matmul(h1, w2))\n",
        # the input's scale is not known: placeholder data may be tiny
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "w1 = tf.Variable(tf.random_normal([784, 256]))\nh1 = tf.nn.sigmoid(tf.matmul(x, w1))\n",
        # a small fan-in: unit weights are fine
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "h1 = tf.nn.sigmoid(tf.matmul(x, tf.Variable(tf.zeros([4, 16]))))\n"
        "w2 = tf.Variable(tf.random_normal([16, 1]))\nh2 = tf.nn.sigmoid(tf.matmul(h1, w2))\n",
    )

    def on_matmul(self, ctx, ev):
        x = ev.receiver
        w = ev.args[0] if ev.args else None
        if not isinstance(x, Tensor) or not isinstance(w, Tensor) or x.activation != "sigmoid" or not w.param:
            return
        if not text_fact(ctx, "tl314 saturating", lambda t: "sigmoid" in t or "tanh" in t):
            return
        drawn = _drawn(w)
        if drawn is None:
            return
        draw, std = drawn
        flag = ev.kwargs.get("transpose_b")
        if flag is not None and not isinstance(flag, Const):
            return  # which axis is the fan-in is not known
        fan_in = w.dim(1) if flag is not None and flag.value is True else w.dim(0)
        if not isinstance(fan_in, int) or isinstance(fan_in, bool) or fan_in <= 0:
            return
        spread = std * math.sqrt(fan_in * _SIGMOID_SQUARE)
        if spread < _SATURATED_STD:
            return
        act = _consumer(parents(ctx), ev.node)
        if act is None:
            return
        which = dotted(act.func).rpartition(".")[2]
        ctx.report(self, w.node,
                   f"weights drawn with standard deviation {std:g} for a fan-in of {fan_in}, multiplied by a sigmoid "
                   f"output and passed to `{which}` (line {ctx.line(act)}): the pre-activation's standard deviation "
                   f"is at least {spread:.1f}, so most units start saturated and learn slowly; scale the draw "
                   f"by the fan-in (stddev about {1 / math.sqrt(fan_in):.2g}) or use a Glorot initializer",
                   related=[(ev.node, "the product"), (act, f"the {which}")])

