import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import MutableList, Seq, Tensor

from ._common import text_fact
from ._training import parents


def _keras_instance(v) -> bool:
    cls = getattr(v, "cls", None)
    return cls is not None and cls.kind in ("keras.layer", "keras.model")


def unwatched_constant(s) -> bool:
    """A TensorFlow or NumPy value that is neither a variable nor computed from one."""
    return isinstance(s, Tensor) and s.fw in ("tf", "np") and not s.param and s.requires_grad is not True and not s.models


def gradient_sources(v):
    if isinstance(v, Tensor):
        return [v]
    if isinstance(v, (Seq, MutableList)):
        return [x for x in v.items if isinstance(x, Tensor)]
    return []


def _assigned_in(block, name: str, before: int, ctx) -> bool:
    from tensorlint.dataflow import descendants, store_names

    for n in descendants(block):
        if isinstance(n, cst.AssignTarget) and name in store_names(n.target) and (ctx.line(n) or 0) < before:
            return True
    return False


def _computed_before(ctx, target, tape):
    """(name, line) of a model output assigned before `tape`'s block opened that the expression
    computing `target` inside the block reads (and the block does not assign again first)."""
    from tensorlint.dataflow import descendants

    outside: dict = {}
    for name, stmt in ctx.marked("TL405 outside"):
        outside.setdefault(name, []).append(stmt)
    opened = ctx.line(tape.node) or 0
    at = ctx.line(target.node) or 0
    if not outside or not opened:
        return None
    p = parents(ctx)
    scope = p.scope(tape.node)
    module_level = isinstance(scope, cst.Module)  # (each chunk of the file is a module of its own)
    for n in descendants(target.node):
        if not isinstance(n, cst.Name) or n.value not in outside:
            continue
        # the model output the name holds as the tape opens: its last assignment before the
        # block, in the block's own function (or at module level), and no other assignment after it
        lines = [line for line in (ctx.line(s) or 0 for s in outside[n.value]
                                   if (isinstance(p.scope(s), cst.Module) if module_level else p.scope(s) is scope)) if line < opened]
        if lines and not _assigned_in(tape.node, n.value, at, ctx) and not _stored_between(
                [c.module for c in ctx.chunks] if module_level else [scope], n.value, max(lines), opened, ctx):
            return n.value, max(lines)
    return None


def _stored_between(scopes, name: str, after: int, before: int, ctx) -> bool:
    """Whether `scopes` (not their nested functions and classes) store `name` on a line between
    `after` and `before` (both excluded): `y = tf.constant(...)` after `y = model(x)`."""
    from tensorlint.dataflow import descendants, store_names

    for n in (n for scope in scopes for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))):
        if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For)):
            target = getattr(n, "target", None)
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            target = n.asname.name
        else:
            continue
        if target is not None and name in store_names(target) and after < (ctx.line(n) or 0) < before:
            return True
    return False


def _assigned_last_inside(ctx, call, tape) -> bool:
    """The target argument of `tape.gradient(name, ...)` is a name whose last assignment before
    the call, in the function (or module) holding the call, sits inside the tape's block: the
    program computes it while the tape records, whatever value the analysis carried for it."""
    from tensorlint.dataflow import descendants, store_names

    args = getattr(call, "args", ())
    if not args or not isinstance(args[0].value, cst.Name) or tape.node is None:
        return False
    name, at, p = args[0].value.value, ctx.line(call) or 0, parents(ctx)
    scope = p.scope(call)
    if scope is None or not at:
        return False
    last, last_line = None, -1
    for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.WithItem, cst.For)):
            target = n.asname.name if isinstance(n, cst.WithItem) and n.asname else getattr(n, "target", None)
            line = ctx.line(n) or 0
            if target is not None and name in store_names(target) and last_line <= line < at:
                last, last_line = n, line
    return last is not None and p.inside(last, tape.node)


def _block(ctx, tape) -> str:
    """How a message names the tape's block (its line needs positions: only when reporting)."""
    line = ctx.line(tape.node)
    return f"the `with tf.GradientTape()` block at line {line}" if line else "the tape's block"


class GradientTapeMisuse(Rule):
    """
    ## What it does
    Finds `tape.gradient(target, sources)` calls that return `None`:
    - the target (or the model output it is computed from) was computed outside the
      `with tf.GradientTape()` block, so the tape never recorded it;
    - a source is a constant tensor (`tf.constant`, a NumPy array, `tf.random.*`) that the tape
      does not watch (`tape.watch(x)` was not called, it is not a `tf.Variable`);
    - a value was turned into NumPy with `.numpy()` inside the block and the target was
      computed from it: the tape cannot follow NumPy code.

    ## Why is this bad?
    TensorFlow returns `None` gradients without raising; `optimizer.apply_gradients` then fails
    with "No gradients provided for any variable", or a saliency map is silently `None`.

    ## Example
    ```python
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
    loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    ```

    ## Use instead
    ```python
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL405"
    name = "gradient-tape-misuse"
    severity = Severity.ERROR
    summary = "`tape.gradient` on values the tape did not record or watch."
    failing = (
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "x, y = tf.random.normal((32, 8)), tf.random.normal((32, 1))\nwith tf.GradientTape() as tape:\n    pred = model(x, training=True)\n"
        "loss = tf.reduce_mean(tf.square(y - pred))\ngrads = tape.gradient(loss, model.trainable_variables)  # TL405\n",
        "import numpy as np\nimport tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])\n"
        "image = tf.constant(np.random.rand(1, 4).astype('float32'))\nwith tf.GradientTape() as tape:\n"
        "    top = tf.reduce_max(model(image)[0])\nsaliency = tape.gradient(top, image)  # TL405\n",
        "import numpy as np\nimport tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])\n"
        "x, y = tf.random.normal((8, 4)), np.zeros((8, 1), dtype='float32')\nwith tf.GradientTape() as tape:\n"
        "    pred = model(x).numpy()  # TL405\n    loss = tf.reduce_mean((pred - y) ** 2)\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n",
        # the forward pass ran before the tape opened, only the loss inside it
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "opt = tf.keras.optimizers.Adam()\nx, y = tf.random.normal((32, 8)), tf.random.normal((32, 1))\n"
        "pred = model(x, training=True)\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(y - pred))\n"
        "grads = tape.gradient(loss, model.trainable_variables)  # TL405\n",
        "import keras\nimport tensorflow as tf\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
        "        self.hidden = keras.layers.Dense(16, activation='relu')\n        self.out = keras.layers.Dense(3)\n\n"
        "    def call(self, x):\n        return self.out(self.hidden(x))\n\nnet = Net()\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n\n"
        "def train_step(x, y):\n    logits = net(x)\n    with tf.GradientTape() as tape:\n        loss = loss_fn(y, logits)\n"
        "    return tape.gradient(loss, net.trainable_variables)  # TL405\n\ngrads = train_step(tf.random.normal((4, 5)), tf.constant([0, 1, 2, 0]))\n",
    )
    passing = (
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "x, y = tf.random.normal((32, 8)), tf.random.normal((32, 1))\nwith tf.GradientTape() as tape:\n    pred = model(x, training=True)\n"
        "    loss = tf.reduce_mean(tf.square(y - pred))\ngrads = tape.gradient(loss, model.trainable_variables)\n",
    )
    lookalikes = (
        "import numpy as np\nimport tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])\n"
        "image = tf.constant(np.random.rand(1, 4).astype('float32'))\nwith tf.GradientTape() as tape:\n    tape.watch(image)\n"
        "    top = tf.reduce_max(model(image)[0])\nsaliency = tape.gradient(top, image)\n",
        "import tensorflow as tf\nw = tf.Variable(tf.random.normal((3, 1)))\nx = tf.random.normal((5, 3))\n"
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(x @ w)\n    print(loss.numpy())\ng = tape.gradient(loss, w)\n",
        # an output computed before the tape and watched, and one computed again inside the block
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\nx = tf.random.normal((4, 8))\n"
        "pred = model(x)\nwith tf.GradientTape() as tape:\n    tape.watch(pred)\n    score = tf.reduce_sum(pred ** 2)\ng = tape.gradient(score, pred)\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\nx, y = tf.random.normal((4, 8)), tf.ones((4, 1))\n"
        "pred = model(x)\nprint(pred.shape)\nwith tf.GradientTape() as tape:\n    pred = model(x, training=True)\n    loss = tf.reduce_mean((pred - y) ** 2)\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method == "__call__":
            self._outside(ctx, ev.node)

    def on_layer_call(self, ctx, ev):
        if getattr(ev.layer, "fw", None) in ("tf", "keras") or _keras_instance(ev.layer):
            self._outside(ctx, ev.node)

    def _outside(self, ctx, node):
        """Remember `name = model(x)` run while no tape records."""
        if ctx.tapes or not text_fact(ctx, "GradientTape", lambda text: "GradientTape" in text):  # no tape anywhere: nothing to compare with
            return
        stmt = parents(ctx).statement(node)
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
            small = stmt.body[0]
            if small.value is node and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                ctx.mark("TL405 outside", (small.targets[0].target.value, stmt))  # lines when needed

    def on_method_call(self, ctx, ev):
        t = ev.receiver
        if ev.method == "numpy" and isinstance(t, Tensor) and t.fw == "tf" and t.requires_grad is True and ctx.tapes:
            first = ctx.marked_map("TL405 numpy")
            for tape in ctx.tapes:  # (ids of the tapes recording; kept for the chunks an edit does not run again)
                if tape not in first:
                    ctx.mark("TL405 numpy", (tape, ev.node))

    def on_tape_gradient(self, ctx, ev):
        tape, target = ev.tape, ev.target
        if not isinstance(target, Tensor):
            return
        if target.fw == "np" or target.requires_grad is False:
            numpy_call = ctx.marked_map("TL405 numpy").get(id(tape))
            if numpy_call is not None:
                ctx.report(self, numpy_call,
                           f".numpy() inside {_block(ctx, tape)} leaves TensorFlow: the tape cannot follow the computation after it, "
                           f"so tape.gradient (line {ctx.line(ev.node)}) returns None",
                           related=[(ev.node, "gradient taken here")])
                return
            if target.fw == "np" or tape.__dict__.get("watched"):
                return
            self._constant_sources(ctx, ev)  # a TensorFlow value of constants only: were the sources watched?
            return
        if (target.fw == "tf" and target.requires_grad is True and tape.node is not None and id(tape) not in target.tapes
                and target.node is not None and not parents(ctx).inside(target.node, tape.node)
                and not _assigned_last_inside(ctx, ev.node, tape)):
            who = f"`{target.name}`" if target.name else "the target"
            ctx.report(self, ev.node,
                       f"{who} is computed after {_block(ctx, tape)} closed: the tape did not record it, so every gradient is None",
                       related=[(tape.node, "the tape records only inside this block")] + ([(target.node, "computed here")] if target.node is not None else []))
            return
        if tape.__dict__.get("watched"):
            return
        if (target.fw == "tf" and target.requires_grad is True and tape.node is not None and id(tape) not in target.tapes
                and not target.param and target.node is not None and parents(ctx).inside(target.node, tape.node)):
            early = _computed_before(ctx, target, tape)
            if early is not None:
                who = f"`{target.name}`" if target.name else "the target"
                ctx.report(self, ev.node,
                           f"{who} is computed inside {_block(ctx, tape)} from `{early[0]}`, the model output computed at line {early[1]} "
                           f"before the tape opened: the tape did not record the forward pass, so the model's gradients are None",
                           related=[(tape.node, "the tape records only inside this block"), (target.node, "the loss is computed here")])
                return
        self._constant_sources(ctx, ev)

    def _constant_sources(self, ctx, ev):
        for s in gradient_sources(ev.sources):
            if unwatched_constant(s):
                who = f"`{s.name}`" if s.name else "a constant tensor"
                ctx.report(self, ev.node,
                           f"gradient with respect to {who}, a constant the tape does not watch: the result is None; call "
                           f"tape.watch({s.name or 'x'}) inside the block or make it a tf.Variable",
                           related=[(s.origin, "made here")] if s.origin is not None else [])
                return
