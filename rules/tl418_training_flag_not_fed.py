import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk
from ._graph_ops import names_in, reaching_value, tf_aliases

# graph layers whose behaviour a training flag switches: (path after `tf.`, mode keyword)
_MODED = {("layers", "dropout"): "training", ("layers", "batch_normalization"): "training",
          ("contrib", "layers", "dropout"): "is_training", ("contrib", "layers", "batch_norm"): "is_training"}
_DEPTH = 40  # names followed back from the loss


def _moded_flag(call: cst.Call, aliases) -> str | None:
    """The name passed as the mode of a dropout or batch normalization layer (`training=flag`)."""
    head, _, rest = dotted(call.func).partition(".")
    if head not in aliases:
        return None
    if rest.startswith("compat.v1."):
        rest = rest[len("compat.v1."):]
    keyword = _MODED.get(tuple(rest.split(".")))
    for a in call.args if keyword else ():
        if a.keyword is not None and a.keyword.value == keyword and isinstance(a.value, cst.Name):
            return a.value.value
    return None


def _false_default(value) -> bool:
    """`tf.placeholder_with_default(False, ...)`: a flag that is False unless a run feeds it."""
    return (isinstance(value, cst.Call) and dotted(value.func).endswith("placeholder_with_default") and value.args
            and value.args[0].keyword is None and isinstance(value.args[0].value, cst.Name)
            and value.args[0].value.value == "False")


def _train_op(value) -> bool:
    return (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in ("minimize", "apply_gradients"))


def _feed(ctx, call: cst.Call):
    """The keys of the run's feed dict when it is a dict literal (or a name bound to one) with plain
    name keys; None when the feeds cannot be read."""
    value = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "feed_dict"), None)
    if value is None and len(call.args) > 1 and call.args[1].keyword is None:
        value = call.args[1].value
    if isinstance(value, cst.Name):
        value = reaching_value(ctx, call, value.value)
    if not isinstance(value, cst.Dict):
        return None
    keys = set()
    for e in value.elements:
        if not isinstance(e, cst.DictElement):
            return None  # **other: unknown keys
        keys |= names_in(e.key)
    return keys


class TrainingFlagNotFed(Rule):
    """
    ## What it does
    Finds a TF1 training run that never switches dropout or batch normalization into training
    mode: the layers take their mode from `flag = tf.placeholder_with_default(False, ...)`
    (`tf.layers.dropout(h, rate, training=flag)`, `tf.layers.batch_normalization(h,
    training=flag)`), the loss that the run's train op minimizes is computed from them, and the
    `feed_dict` of the run that executes the train op does not feed `flag`.

    ## Why is this bad?
    The flag keeps its default, False, in that run: dropout drops nothing and batch normalization
    normalizes with its moving statistics while the model trains. The model trains without the
    regularization it was written with, and nothing reports it.

    ## Example
    ```python
    training = tf.placeholder_with_default(False, shape=())
    h = tf.layers.dropout(h, 0.5, training=training)
    ...
    sess.run(train_op, feed_dict={X: X_batch, y: y_batch})
    ```

    ## Use instead
    ```python
    sess.run(train_op, feed_dict={X: X_batch, y: y_batch, training: True})
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL418"
    triggers = ("placeholder_with_default",)
    name = "training-flag-not-fed"
    severity = Severity.WARNING
    summary = "A TF1 train op runs without feeding the training flag of its dropout/batch norm: they stay in inference mode."
    failing = (
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.int64, [None])\n"
        "training = tf.placeholder_with_default(False, shape=(), name='training')\n"
        "hidden = tf.layers.dense(X, 300, activation=tf.nn.relu)\n"
        "hidden_drop = tf.layers.dropout(hidden, 0.5, training=training)\nlogits = tf.layers.dense(hidden_drop, 10)\n"
        "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
        "training_op = tf.train.MomentumOptimizer(0.01, momentum=0.9).minimize(loss)\n\nwith tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n    for step in range(100):\n"
        "        sess.run(training_op, feed_dict={X: None, y: None})  # TL418\n",
    )
    passing = (
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.int64, [None])\n"
        "training = tf.placeholder_with_default(False, shape=(), name='training')\n"
        "hidden_drop = tf.layers.dropout(tf.layers.dense(X, 300), 0.5, training=training)\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(y, tf.layers.dense(hidden_drop, 10))\n"
        "training_op = tf.train.AdamOptimizer().minimize(loss)\n\nwith tf.Session() as sess:\n"
        "    for step in range(100):\n        sess.run(training_op, feed_dict={X: None, y: None, training: True})\n",
    )
    lookalikes = (
        # the flag only serves evaluation runs; the train op's loss does not read the dropout
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 4])\n"
        "training = tf.placeholder_with_default(False, shape=())\nlogits = tf.layers.dense(X, 3)\n"
        "probe = tf.layers.dropout(logits, 0.5, training=training)\nloss = tf.reduce_mean(tf.square(logits))\n"
        "train_op = tf.train.AdamOptimizer().minimize(loss)\nsess = tf.Session()\n"
        "sess.run(train_op, feed_dict={X: None})\n",
        # feeds built elsewhere: cannot be read
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 4])\n"
        "training = tf.placeholder_with_default(False, shape=())\n"
        "h = tf.layers.dropout(tf.layers.dense(X, 3), 0.5, training=training)\ntrain_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h))\n"
        "sess = tf.Session()\nfeeds = make_feeds(X, training)\nsess.run(train_op, feed_dict=feeds)\n",
    )

    def on_module(self, ctx, ev):
        aliases = tf_aliases(ctx)
        if not aliases or "placeholder_with_default" not in ctx.text or ".run(" not in ctx.text:
            return
        for calls in per_chunk(ctx, ("run calls",), _run_calls):
            for call in calls:
                self._check_run(ctx, call, aliases)

    def _check_run(self, ctx, call, aliases):
        op_name = _fetched_train_op(ctx, call)
        if op_name is None:
            return
        op = reaching_value(ctx, call, op_name, into_with=True)
        if not _train_op(op) or not op.args:
            return
        keys = _feed(ctx, call)
        if keys is None:
            return
        layer = _moded_layer(ctx, op, op.args[0].value, aliases)
        if layer is None:
            return
        node, flag = layer
        if flag in keys or not _false_default(reaching_value(ctx, call, flag, into_with=True)):
            return
        ctx.report(self, call,
                   f"this run executes the train op `{op_name}` without feeding `{flag}`, which keeps its default "
                   f"False: the dropout/batch normalization of the model run in inference mode while it trains; "
                   f"add `{flag}: True` to the feed_dict",
                   related=[(node, f"mode taken from `{flag}`")])


def _run_calls(module) -> list:
    """The `<x>.run(...)` calls of a chunk, in source order."""
    return [call for call in descendants(module)
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "run"]


def _fetched_train_op(ctx, call: cst.Call) -> str | None:
    """The name of the op a run executes: `sess.run(op, ...)`, `sess.run([op, loss], ...)` or
    `op.run(feed_dict=...)`."""
    receiver = call.func.value
    if isinstance(receiver, cst.Name) and _train_op(reaching_value(ctx, call, receiver.value, into_with=True)):
        return receiver.value
    if not call.args or call.args[0].keyword is not None:
        return None
    fetches = call.args[0].value
    items = [e.value for e in fetches.elements] if isinstance(fetches, (cst.List, cst.Tuple)) else [fetches]
    for item in items:
        if isinstance(item, cst.Name) and _train_op(reaching_value(ctx, call, item.value, into_with=True)):
            return item.value
    return None


def _moded_layer(ctx, op, loss, aliases):
    """(layer call, flag name) of a dropout/batch normalization whose output the loss is computed
    from, found by following the names the loss reads back to their bindings."""
    seen = set()
    todo = [(op, loss)]
    while todo and len(seen) < _DEPTH:
        at, expr = todo.pop()
        for n in [expr, *descendants(expr)] if not isinstance(expr, cst.Name) else ():
            if isinstance(n, cst.Call):
                flag = _moded_flag(n, aliases)
                if flag is not None:
                    return n, flag
        for name in sorted(names_in(expr)):
            if name in seen:
                continue
            seen.add(name)
            value = reaching_value(ctx, at, name, into_with=True)
            if value is not None:
                todo.append((value, value))
    return None
