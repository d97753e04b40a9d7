import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import ANY, shape_text

from ._common import imported_qualname, module_names, scope_roots, text_fact
from ._gradient_norm_parts import gradient_source, is_one, module_call, norm_call, reduction, squared
from ._reaching import called_name, scope_bindings
from ._training import parents

_SQRT = frozenset({"sqrt"})


def _axes(node):
    """The literal axes of a reduction's axis argument, or None."""
    if isinstance(node, cst.Integer):
        return (int(node.value),)
    if isinstance(node, (cst.List, cst.Tuple)) and node.elements:
        out = []
        for e in node.elements:
            v = e.value
            if isinstance(v, cst.UnaryOperation) and isinstance(v.operator, cst.Minus) and isinstance(v.expression, cst.Integer):
                out.append(-int(v.expression.value))
            elif isinstance(v, cst.Integer):
                out.append(int(v.value))
            else:
                return None
        return tuple(out)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return (-int(node.expression.value),)
    return None


def _compared_to_one(ctx, p, scope, call) -> bool:
    """Whether the reduction's result (or its square root) has 1 subtracted: `(norm - 1) ** 2`,
    directly or through the name it is assigned to."""
    node = call
    parent = p.parent.get(node)
    for _ in range(3):  # `sqrt(sum + 1e-12)`, `sqrt(sum) + eps`
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add) and parent.left is node:
            node, parent = parent, p.parent.get(parent)
        elif isinstance(parent, cst.Arg) and isinstance(p.parent.get(parent), cst.Call) and called_name(p.parent.get(parent)) in _SQRT:
            node = p.parent.get(parent)
            parent = p.parent.get(node)
        elif (isinstance(parent, cst.Attribute) and parent.attr.value in _SQRT
              and isinstance(p.parent.get(parent), cst.Call)):  # `g.pow(2).sum(1).sqrt()`
            node = p.parent.get(parent)
            parent = p.parent.get(node)
        else:
            break
    if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Subtract) and parent.left is node:
        return is_one(parent.right)
    target = None
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        target = parent.targets[0].target.value
    if target is None or scope is None:
        return False
    roots = scope_roots(ctx, scope) if isinstance(scope, cst.Module) else [scope]  # every chunk of the module
    for n in (d for root in roots for d in descendants(root)):
        if (isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Subtract) and is_one(n.right)
                and isinstance(n.left, (cst.Name, cst.Call))):
            left = n.left
            if isinstance(left, cst.Call) and called_name(left) in _SQRT and left.args:
                left = left.args[0].value
            if isinstance(left, cst.Name) and left.value == target and (ctx.line(n) or 0) > (ctx.line(call) or 0):
                return True
    return False


class GradientNormPartialAxes(Rule):
    """
    ## What it does
    Finds a gradient penalty whose gradient norm sums the squared gradient of image-like inputs
    (rank 3 or more) over some of the axes after the batch axis only, and then compares the norm
    with 1: `tf.sqrt(tf.reduce_sum(tf.square(g), axis=[1]))` for gradients of shape
    `(batch, height, width, channels)`, then `(slopes - 1.) ** 2`. In PyTorch the gradient of
    `torch.autograd.grad(out, x)[0]` has the shape of `x`, and the norm is also read from the
    method `g.norm(2, dim=1)` (`g.norm(2, 1)`: the order comes before the dim) and the functions
    `torch.norm(g, 2, dim=1)`, `torch.linalg.norm(g, dim=1)` and `torch.linalg.vector_norm(g,
    dim=(1, 2))`.

    ## Why is this bad?
    The penalty of WGAN-GP and its relatives holds the norm of the critic's gradient with
    respect to each whole input sample near 1. Summing one axis only gives one norm per row (or
    per pixel and channel) instead of one per sample: the penalty pushes each part of an image's
    gradient towards norm 1, a different and much stronger constraint. Nothing fails; the critic
    is trained on another objective.

    ## Example
    ```python
    gradients = tf.gradients(d_hat, [x_hat])[0]   # shape (batch, 28, 28, 1)
    slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1]))
    penalty = tf.reduce_mean((slopes - 1.) ** 2)
    ```

    ## Use instead
    ```python
    slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))
    ```

    ## Fix safety
    There is no automatic fix: which axes belong to a sample depends on the data.
    """

    code = "TL427"
    name = "gradient-norm-partial-axes"
    severity = Severity.WARNING
    summary = "A gradient penalty's norm sums only some of a sample's axes of an image-like gradient."
    failing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\nz = tf.placeholder(tf.float32, [None, 64])\n"
        "def critic(v):\n    return tf.layers.dense(tf.layers.flatten(v), 1)\n"
        "def generator(v):\n    return tf.reshape(tf.layers.dense(v, 784), [-1, 28, 28, 1])\n"
        "fake = generator(z)\nalpha = tf.random_uniform([tf.shape(x)[0], 1, 1, 1])\n"
        "x_hat = x + alpha * (fake - x)\ngrads = tf.gradients(critic(x_hat), [x_hat])[0]\n"
        "slopes = tf.sqrt(tf.reduce_sum(tf.square(grads), reduction_indices=[1]))  # TL427\n"
        "penalty = tf.reduce_mean((slopes - 1.) ** 2)\n",
    )
    passing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\nz = tf.placeholder(tf.float32, [None, 64])\n"
        "def critic(v):\n    return tf.layers.dense(tf.layers.flatten(v), 1)\n"
        "def generator(v):\n    return tf.reshape(tf.layers.dense(v, 784), [-1, 28, 28, 1])\n"
        "fake = generator(z)\nalpha = tf.random_uniform([tf.shape(x)[0], 1, 1, 1])\n"
        "x_hat = x + alpha * (fake - x)\ngrads = tf.gradients(critic(x_hat), [x_hat])[0]\n"
        "slopes = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))\n"
        "penalty = tf.reduce_mean((slopes - 1.) ** 2)\n",
    )
    lookalikes = (
        # flat samples: axis 1 is the whole sample; a per-row sum that is not a penalty
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "def critic(v):\n    return tf.layers.dense(v, 1)\n"
        "grads = tf.gradients(critic(x), [x])[0]\n"
        "slopes = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1]))\npenalty = tf.reduce_mean((slopes - 1.) ** 2)\n"
        "img = tf.placeholder(tf.float32, [None, 28, 28, 1])\ng2 = tf.gradients(critic(tf.layers.flatten(img)), [img])[0]\n"
        "row_energy = tf.reduce_sum(tf.square(g2), axis=[1])\n",
    )

    def on_reduce(self, ctx, ev):
        call = ev.node
        if not isinstance(call, cst.Call) or not text_fact(ctx, "TL427", lambda text: "grad" in text):
            return
        if ev.op == "norm":  # `g.norm(2, dim=1)`, `torch.norm(g, 2, 1)`, `torch.linalg.vector_norm(g, dim=1)`
            parts = norm_call(call)
            if parts is not None:
                self._check(ctx, call, getattr(ev.value, "shape", None), *parts)
            return
        env = module_names(ctx)
        function_form = imported_qualname(env, call.func) is not None or module_call(call)
        x, axis = reduction(call, function_form)
        g = squared(x) if x is not None else None
        if g is not None:
            self._check(ctx, call, getattr(ev.value, "shape", None), g, axis)

    def _check(self, ctx, call, shape, g, axis):
        """Report `call`, which sums the square of the gradient `g` (of `shape`) over `axis`."""
        if not shape:
            return
        exact = shape[0] is not ANY
        rank = len(shape) if exact else len(shape) - 1
        if rank < 3:
            return
        axes = _axes(axis) if axis is not None else None
        if axes is None:
            return
        if exact:
            axes = tuple(a % rank if -rank <= a < rank else a for a in axes)
        if any(a <= 0 or a >= rank and exact for a in axes):
            return  # the batch axis, a negative axis of an unknown rank, or an axis out of range
        missing = [a for a in range(1, rank) if a not in axes]
        if not missing:
            return
        p = parents(ctx)
        scope, binds = scope_bindings(ctx, p, call)
        source = gradient_source(ctx, p, binds, g)
        if source is None or not _compared_to_one(ctx, p, scope, call):
            return
        ctx.report(self, call,
                   f"the gradient norm sums axes {list(axes)} only of a gradient of rank {'' if exact else 'at least '}{rank} "
                   f"(shape [{shape_text(shape)}]), leaving axes {missing} apart: one norm per part of each sample, "
                   f"not one per sample, and the penalty holds each part's norm near 1; sum over all axes after the batch "
                   f"axis ({list(range(1, rank)) if exact else 'axis=[1, 2, ..., -1]'}) or flatten the gradient per sample first",
                   related=[(source, "the gradient is taken here")])

