import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._graph_ops import reaching_value
from ._training import parents
from ._trees import calls_named

_LIBRARIES = ("numpy.", "torch.", "tensorflow.", "keras.")
_AXIS_KEYWORDS = ("axis", "dim", "reduction_indices")


def _last(env, call) -> str | None:
    """The function a call names: `reduce_sum` for `tf.reduce_sum(...)` (read through the
    imports), `sum` for the builtin, `.sum` for a tensor method."""
    if type(call) is not cst.Call:
        return None
    q = imported_qualname(env, call.func)
    if q is not None:
        return q.rpartition(".")[2] if q.startswith(_LIBRARIES) else None
    if type(call.func) is cst.Name:
        return call.func.value
    if type(call.func) is cst.Attribute:
        return "." + call.func.attr.value
    return None


def _regularization(env, node) -> bool:
    """The model's regularization losses, added up: `sum(model.losses)`, `tf.add_n(model.losses)`,
    `tf.losses.get_regularization_loss()`, `tf.add_n(tf.get_collection(REGULARIZATION_LOSSES))`."""
    last = _last(env, node)
    if last == "get_regularization_loss":
        return True
    if last not in ("sum", "add_n", "reduce_sum") or not node.args or node.args[0].keyword is not None:
        return False
    listed = node.args[0].value
    if type(listed) is cst.Attribute and listed.attr.value == "losses":
        return True
    inner = _last(env, listed)
    return inner == "get_regularization_losses" or inner == "get_collection" and bool(listed.args) \
        and "REGULARIZATION_LOSSES" in dotted(listed.args[0].value).upper()


def _total(env, node) -> bool:
    """A sum over the whole batch: `tf.reduce_sum(x)`, `torch.sum(x)`, `x.sum()`, with no axis."""
    last = _last(env, node)
    if last not in ("reduce_sum", ".sum") and not (last == "sum" and imported_qualname(env, node.func) is not None):
        return False
    if any(a.keyword is not None and a.keyword.value in _AXIS_KEYWORDS for a in node.args):
        return False
    positional = [a for a in node.args if a.keyword is None]
    return len(positional) == (0 if last == ".sum" else 1)


def _divisor(node, name):
    """`N` when `node` divides the value of `name` by it: `name / N`, `name * (1. / N)`,
    `(1 / N) * name`."""
    if type(node) is not cst.BinaryOperation:
        return None
    if type(node.operator) is cst.Divide and _is(node.left, name):
        return node.right
    if type(node.operator) is cst.Multiply:
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if _is(a, name) and type(b) is cst.BinaryOperation and type(b.operator) is cst.Divide \
                    and isinstance(b.left, (cst.Integer, cst.Float)) and float(b.left.value) == 1:
                return b.right
    return None


def _is(node, name) -> bool:
    return type(node) is cst.Name and node.value == name if isinstance(name, str) else node is name


class RegularizationDividedByBatch(Rule):
    """
    ## What it does
    Finds the model's regularization losses (`sum(model.losses)`, `tf.add_n(model.losses)`,
    `tf.losses.get_regularization_loss()`) added to a loss summed over the batch, with the
    total then divided by the batch size:
    `loss = tf.reduce_sum(loss_object(y, pred)); loss += sum(model.losses); loss = loss * (1. / batch_size)`,
    or `(tf.reduce_sum(per_example) + sum(model.losses)) / batch_size` in one expression.

    ## Why is this bad?
    The division turns the summed loss into a mean over the examples, which is right for the
    data term, but the regularization is one term for the whole model, not a sum over
    examples: dividing it too makes the weight decay batch-size times weaker than the
    regularizers say (128 times with a batch of 128), and its strength changes with the batch
    size. The model overfits as if it were barely regularized.

    ## Example
    ```python
    loss = tf.reduce_sum(loss_object(label, predictions))
    loss += sum(model.losses)
    loss = loss * (1. / batch_size)
    ```

    ## Use instead
    ```python
    loss = tf.reduce_sum(loss_object(label, predictions)) * (1. / batch_size)
    loss += sum(model.losses)
    ```

    ## Fix safety
    There is no automatic fix: under a distribution strategy the regularization is divided by
    the number of replicas instead (`tf.nn.scale_regularization_loss`).
    """

    code = "TL451"
    triggers = (".losses", "REGULARIZATION_LOSSES", "regularization_loss")
    name = "regularization-divided-by-batch"
    severity = Severity.WARNING
    summary = "Regularization losses added to a summed batch loss before it is divided by the batch size: the decay is that many times weaker."
    failing = (
        "import tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(10, kernel_regularizer='l2')])\n"
        "loss_object = tf.keras.losses.SparseCategoricalCrossentropy(reduction='none')\n"
        "optimizer = tf.keras.optimizers.SGD(0.1)\n\ndef train_step(image, label, batch_size):\n"
        "    with tf.GradientTape() as tape:\n        predictions = model(image, training=True)\n"
        "        loss = tf.reduce_sum(loss_object(label, predictions))\n        loss += sum(model.losses)\n"
        "        loss = loss * (1. / batch_size)  # TL451\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n",
    )
    passing = (
        "import tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(10, kernel_regularizer='l2')])\n"
        "loss_object = tf.keras.losses.SparseCategoricalCrossentropy(reduction='none')\n"
        "optimizer = tf.keras.optimizers.SGD(0.1)\n\ndef train_step(image, label, batch_size):\n"
        "    with tf.GradientTape() as tape:\n        predictions = model(image, training=True)\n"
        "        loss = tf.reduce_sum(loss_object(label, predictions)) * (1. / batch_size)\n"
        "        loss += sum(model.losses)\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n",
    )
    lookalikes = (
        # a mean loss plus the regularization; a summed loss divided before the regularization is added
        "import tensorflow as tf\n\ndef step(model, x, y, n):\n    a = tf.reduce_mean(tf.square(model(x) - y)) + sum(model.losses)\n"
        "    b = tf.reduce_sum(tf.square(model(x) - y)) / n\n    b += sum(model.losses)\n    return a, b\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "sum" not in text or not any(w in text for w in (".losses", "REGULARIZATION_LOSSES", "regularization_loss")):
            return
        env = module_names(ctx)
        par = None
        for call in calls_named(ctx, ("get_regularization_loss", "sum", "add_n", "reduce_sum")):
            if not _regularization(env, call):
                continue
            par = par or parents(ctx)
            found = self._divided_sum(ctx, env, par, call)
            if found is None:
                continue
            where, total, divisor = found
            ctx.report(self, where,
                       f"`{ctx.source(call).strip()}` is added to `{ctx.source(total).strip()}`, a loss summed over the "
                       f"batch, before the total is divided by `{ctx.source(divisor).strip()}`: the regularization is "
                       f"divided by the batch size too, so the weight decay is that many times weaker than its "
                       f"regularizers say; divide only the summed loss",
                       related=[(total, "the loss is summed over the batch here"),
                                (call, "the regularization losses are added here")])

    @staticmethod
    def _divided_sum(ctx, env, par, reg):
        """(node to report, the summed loss, the divisor) when the regularization `reg` goes into
        a batch sum that is then divided: in one expression, or over three statements of a block."""
        up = par.parent.get(reg)
        if type(up) is cst.BinaryOperation and type(up.operator) is cst.Add:  # (sum + reg) / n in one expression
            other = up.left if up.right is reg else up.right
            outer = par.parent.get(up)
            divisor = _divisor(outer, up)
            if _total(env, other) and divisor is not None:
                return outer, other, divisor
        stmt = par.statement(reg)
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        if type(small) is cst.AugAssign and type(small.operator) is cst.AddAssign and small.value is reg \
                and type(small.target) is cst.Name:
            name = small.target.value
        elif type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name \
                and small.value is up and type(up) is cst.BinaryOperation and type(up.operator) is cst.Add \
                and any(_is(side, small.targets[0].target.value) for side in (up.left, up.right)):
            name = small.targets[0].target.value
        else:
            return None
        before = reaching_value(ctx, reg, name)
        if before is None or not _total(env, before):
            return None
        block = par.parent.get(stmt)
        body = list(getattr(block, "body", ()))
        index = next((i for i, s in enumerate(body) if s is stmt), None)
        if index is None or index + 1 >= len(body) or not isinstance(body[index + 1], cst.SimpleStatementLine):
            return None
        nxt = body[index + 1].body[0]
        if type(nxt) is cst.AugAssign and type(nxt.target) is cst.Name and nxt.target.value == name:
            op = type(nxt.operator)
            if op is cst.DivideAssign:
                return nxt, before, nxt.value
            if op is cst.MultiplyAssign and type(nxt.value) is cst.BinaryOperation \
                    and type(nxt.value.operator) is cst.Divide and isinstance(nxt.value.left, (cst.Integer, cst.Float)) \
                    and float(nxt.value.left.value) == 1:
                return nxt, before, nxt.value.right
            return None
        if type(nxt) is cst.Assign and len(nxt.targets) == 1:
            divisor = _divisor(nxt.value, name)
            if divisor is not None:
                return nxt, before, divisor
        return None
