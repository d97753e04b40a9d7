import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names, text_fact
from ._reaching import call_argument, called_name, reaching, scope_bindings
from ._training import parents
from ._gradient_norm_parts import gradient_source, is_one, module_call, norm_call, reduction, squared

_RESHAPES = frozenset({"view", "reshape", "flatten"})  # `g.view(n, -1)`, `tf.reshape(g, [n, -1])`, `g.flatten(1)`


def _strip_reshape(node):
    """The tensor a per-sample flattening reshapes (`g.view(g.size(0), -1)`, `tf.reshape(g, [-1, d])`,
    `g.flatten(1)`), or `node` itself."""
    if isinstance(node, cst.Call) and called_name(node) in _RESHAPES:
        if module_call(node):
            return call_argument(node, 0, "tensor") or call_argument(node, 0, "input") or node
        if isinstance(node.func, cst.Attribute):
            return node.func.value
    return node


def _gradient(ctx, p, binds, node, depth=0):
    """Whether `node` is the gradient of a gradient call (`tf.gradients(y, [x])[0]`,
    `autograd.grad(...)[0]`, `tape.gradient(y, x)`), directly, reshaped per sample or through a name."""
    node = _strip_reshape(node)
    if isinstance(node, cst.Name) and depth < 3 and binds is not None:
        value = reaching(ctx, p, binds, node.value, node)
        if value is not None and _strip_reshape(value) is not value:
            return _gradient(ctx, p, binds, value, depth + 1)
    return gradient_source(ctx, p, binds, node) is not None


def _gradient_norm(ctx, p, binds, node, depth=0) -> bool:
    """Whether `node` is a per-sample norm of a gradient: `tf.sqrt(tf.reduce_sum(tf.square(g), axis))`
    (an epsilon added inside or outside the root), `tf.norm(g, axis=1)`, `g.norm(2, dim=1)`,
    `torch.norm(g, 2, dim=1)`, `torch.linalg.vector_norm(g, dim=1)`, directly or through a name."""
    if depth > 4:
        return False
    if isinstance(node, cst.Name):
        if binds is None:
            return False
        value = reaching(ctx, p, binds, node.value, node)
        return value is not None and _gradient_norm(ctx, p, binds, value, depth + 1)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):  # `sqrt(s) + 1e-12`
        return _gradient_norm(ctx, p, binds, node.left, depth + 1)
    if not isinstance(node, cst.Call):
        return False
    name = called_name(node)
    if name == "sqrt":
        inner = node.args[0].value if module_call(node) and node.args else (
            node.func.value if isinstance(node.func, cst.Attribute) and not node.args else None)
        if isinstance(inner, cst.BinaryOperation) and isinstance(inner.operator, cst.Add):  # `sqrt(s + 1e-12)`
            inner = inner.left
        if not isinstance(inner, cst.Call) or called_name(inner) not in ("reduce_sum", "sum"):
            return False
        function_form = module_call(inner) or imported_qualname(module_names(ctx), inner.func) is not None
        x, axis = reduction(inner, function_form)
        g = squared(x) if x is not None else None
        return g is not None and axis is not None and _gradient(ctx, p, binds, g)
    if name in ("norm", "vector_norm"):
        parts = norm_call(node)
        if parts is None and module_call(node):  # `tf.norm(g, axis=1)`: the Euclidean norm unless `ord` says otherwise
            order = call_argument(node, 1, "ord")
            axis = call_argument(node, 2, "axis")
            if axis is not None and (order is None or isinstance(order, (cst.Integer, cst.Float)) and float(order.value) == 2.0
                                     or isinstance(order, cst.SimpleString) and order.value[1:-1] == "euclidean"):
                parts = (call_argument(node, 0, "tensor"), axis)
        return parts is not None and parts[0] is not None and _gradient(ctx, p, binds, parts[0])
    return False


def _squared_around(p, node):
    """The expression that squares `node` (`node ** 2`, `tf.square(node)`, `node.pow(2)`,
    `tf.pow(node, 2)`), or None."""
    parent = p.parent.get(node)
    if isinstance(parent, cst.Arg):
        call = p.parent.get(parent)
        return call if isinstance(call, cst.Call) and squared(call) is node else None
    if isinstance(parent, cst.Attribute):  # `m.pow(2)`
        call = p.parent.get(parent)
        return call if isinstance(call, cst.Call) and squared(call) is node else None
    if isinstance(parent, cst.BinaryOperation) and squared(parent) is node:
        return parent
    return None


class GradientPenaltySquareOfMean(Rule):
    """
    ## What it does
    Finds a gradient penalty that squares the batch mean of the gradient norm's distance from 1
    instead of averaging the squared distances: `tf.reduce_mean(slopes - 1.) ** 2`,
    `torch.mean(grad_norm - 1) ** 2`, `((g.norm(2, dim=1) - 1).mean()) ** 2`, or
    `(tf.reduce_mean(slopes) - 1.) ** 2`, where the norm is taken per sample of the gradient of
    a critic with respect to its input (`tf.gradients`, `torch.autograd.grad`,
    `GradientTape.gradient`).

    ## Why is this bad?
    The penalty of WGAN-GP holds each sample's gradient norm near 1: the mean of `(norm - 1)^2`
    over the batch. The square of the mean lets samples whose norms lie above 1 cancel those
    below it, so a critic with gradient norms of 0 and 2 pays no penalty at all; the
    constraint that makes the critic Lipschitz is lost and training can diverge. Nothing fails.

    ## Example
    ```python
    grad = tf.gradients(critic(x_hat), [x_hat])[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=1))
    penalty = lam * tf.reduce_mean(slopes - 1.) ** 2
    ```

    ## Use instead
    ```python
    penalty = lam * tf.reduce_mean((slopes - 1.) ** 2)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL468"
    name = "gradient-penalty-square-of-mean"
    severity = Severity.WARNING
    summary = "A gradient penalty squares the batch mean of (norm - 1) instead of averaging its squares."
    failing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "def critic(v):\n    return tf.layers.dense(v, 1)\n"
        "grad = tf.gradients(critic(x), [x])[0]\n"
        "slopes = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=1))\n"
        "penalty = 10. * tf.reduce_mean(slopes - 1.) ** 2  # TL468\n",
        "import torch\nimport torch.nn as nn\nfrom torch import autograd\n\nD = nn.Linear(8, 1)\n"
        "x = torch.randn(16, 8, requires_grad=True)\nout = D(x)\n"
        "g = autograd.grad(out, x, grad_outputs=torch.ones_like(out), create_graph=True)[0]\n"
        "penalty = torch.mean(g.norm(2, dim=1) - 1) ** 2  # TL468\n",
    )
    passing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "def critic(v):\n    return tf.layers.dense(v, 1)\n"
        "grad = tf.gradients(critic(x), [x])[0]\n"
        "slopes = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=1))\n"
        "penalty = 10. * tf.reduce_mean((slopes - 1.) ** 2)\n",
    )
    lookalikes = (
        # the mean of a value that is not a gradient norm, squared (a batch statistic held at 1)
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "scale = tf.sqrt(tf.reduce_sum(tf.square(x), axis=1))\n"
        "reg = tf.reduce_mean(scale - 1.) ** 2\n",
    )

    def on_reduce(self, ctx, ev):
        call = ev.node
        if ev.op != "mean" or not isinstance(call, cst.Call) or not text_fact(ctx, "TL468", lambda text: "grad" in text):
            return
        function_form = module_call(call) or imported_qualname(module_names(ctx), call.func) is not None
        x, axis = reduction(call, function_form)
        if x is None or axis is not None:
            return  # a mean over some axes only is not the batch mean
        p = parents(ctx)
        if isinstance(x, cst.BinaryOperation) and isinstance(x.operator, cst.Subtract) and is_one(x.right):
            norm, squared = x.left, _squared_around(p, call)  # `mean(norm - 1) ** 2`
        else:
            parent = p.parent.get(call)  # `(mean(norm) - 1) ** 2`
            if not (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Subtract)
                    and parent.left is call and is_one(parent.right)):
                return
            norm, squared = x, _squared_around(p, parent)
        if squared is None:
            return
        _, binds = scope_bindings(ctx, p, call)
        if not _gradient_norm(ctx, p, binds, norm):
            return
        ctx.report(self, squared,
                   "the gradient penalty squares the batch mean of the gradient norm's distance from 1, so norms above "
                   "and below 1 cancel and the critic's per-sample gradient norm is not held near 1; average the "
                   "squares instead: mean((norm - 1) ** 2)",
                   related=[(call, "the mean over the batch is taken here, before the square")])
