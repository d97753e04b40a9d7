import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk
from ._graph_ops import tf_aliases
from ._training import parents

_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)

# graph-mode batch normalization that puts its moving-statistics updates in the UPDATE_OPS collection
_BN = {("layers", "batch_normalization"): ("training", False),
       ("contrib", "layers", "batch_norm"): ("is_training", True)}
# the ways a program runs or hands on the collection, or builds a train op that runs it itself
_RUNS_UPDATES = ("update_ops", "create_train_op", "optimize_loss", ".updates", "updates_collections")
# a TF1 graph executes only inside a session or an estimator
_GRAPH_RUN = ("Session(", "MonitoredSession(", "MonitoredTrainingSession(", "estimator")


def _bn_call(call: cst.Call, aliases):
    """(mode keyword, its default) when `call` is `tf.layers.batch_normalization` or
    `tf.contrib.layers.batch_norm`, as written with `tf.compat.v1.` or without."""
    head, _, rest = dotted(call.func).partition(".")
    if head not in aliases:
        return None
    if rest.startswith("compat.v1."):
        rest = rest[len("compat.v1."):]
    return _BN.get(tuple(rest.split(".")))


def _trains(call: cst.Call, keyword: str, default: bool) -> bool:
    """Whether the call may run in training mode: its mode argument is not the constant False."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return not (isinstance(a.value, cst.Name) and a.value.value == "False")
    return default


def _always_trains(call: cst.Call, keyword: str, _default: bool) -> bool:
    """Whether the call is written to run in training mode whatever happens: its mode argument
    is the constant True. Such a layer normalizes with the batch's statistics every time and
    never reads its moving ones. (A mode left at its default is not a choice the program wrote.)"""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return isinstance(a.value, cst.Name) and a.value.value == "True"
    return False


def _train_op(call: cst.Call) -> bool:
    f = call.func
    return isinstance(f, cst.Attribute) and f.attr.value in ("minimize", "apply_gradients")


class BatchNormUpdatesNotRun(Rule):
    """
    ## What it does
    Finds a TF1 graph trained with batch normalization whose moving statistics are never updated:
    the network uses `tf.layers.batch_normalization(..., training=...)` or
    `tf.contrib.layers.batch_norm` (with its updates in the default collection), the train op is
    built by `optimizer.minimize(...)` or `apply_gradients(...)`, and nothing in the program ever
    reads the `UPDATE_OPS` collection (no `tf.control_dependencies(tf.get_collection(
    tf.GraphKeys.UPDATE_OPS))`, no fetch or group of the update ops, no `updates_collections=None`,
    no `create_train_op` / `optimize_loss` that runs them). Also the collection read from the
    wrong graph: a function (or module) that makes `g = tf.Graph()`, builds the model under
    `with g.as_default():` and calls `tf.get_collection(tf.GraphKeys.UPDATE_OPS)` after leaving
    that block gets the default graph's collection, an empty list.

    ## Why is this bad?
    In graph mode these layers only add the assignments of `moving_mean` and `moving_variance` to
    the `UPDATE_OPS` collection; running the train op does not run them. The moving statistics
    stay at their initial values (mean 0, variance 1), so the trained model is right while
    `training=True` and wrong as soon as it is evaluated or served with `training=False`.
    A program whose every batch normalization is built with `training=True` (pix2pix keeps batch
    statistics at test time by design) never reads the moving statistics: it is not reported.

    ## Example
    ```python
    h = tf.layers.batch_normalization(h, training=is_training)
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    ```

    ## Use instead
    ```python
    h = tf.layers.batch_normalization(h, training=is_training)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    ```

    ## Fix safety
    There is no automatic fix: which train ops should wait for the updates is for the author to say.
    """

    code = "TL417"
    triggers = ("batch_norm",)
    name = "batchnorm-updates-not-run"
    severity = Severity.WARNING
    summary = "Batch normalization in a TF1 graph whose UPDATE_OPS are never run: the moving statistics never change."
    failing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.int64, [None])\n"
        "training = tf.placeholder_with_default(False, shape=())\nh = tf.layers.dense(x, 128)\n"
        "h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))\nlogits = tf.layers.dense(h, 10)\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(y, logits)\n"
        "train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)  # TL417\n\nwith tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n",
        "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n\ndef net(x, is_training):\n"
        "    h = tf.contrib.layers.batch_norm(tf.layers.conv2d(x, 32, 3), is_training=is_training)\n"
        "    return tf.layers.dense(tf.layers.flatten(h), 10)\n\n"
        "images = tf.placeholder(tf.float32, [None, 28, 28, 1])\nlabels = tf.placeholder(tf.int32, [None])\n"
        "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=net(images, True)))\n"
        "opt = tf.train.MomentumOptimizer(0.01, 0.9)\ngrads = opt.compute_gradients(loss)\n"
        "step = opt.apply_gradients(grads)  # TL417\nsess = tf.Session()\n",
    )
    passing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.int64, [None])\n"
        "training = tf.placeholder_with_default(False, shape=())\n"
        "h = tf.nn.relu(tf.layers.batch_normalization(tf.layers.dense(x, 128), training=training))\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(y, tf.layers.dense(h, 10))\n"
        "with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):\n"
        "    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)\n\nwith tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n",
    )
    lookalikes = (
        # always in training mode, at test time too: the moving statistics are never read
        "import tensorflow.compat.v1 as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "def bn(h):\n    return tf.layers.batch_normalization(h, axis=1, momentum=0.1, training=True)\n"
        "h = tf.nn.relu(bn(tf.layers.dense(x, 8)))\nloss = tf.reduce_mean(tf.square(tf.layers.dense(h, 1)))\n"
        "train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)\nwith tf.Session() as sess:\n    sess.run(train_op, {x: [[0.0] * 4]})\n",
        # the updates fetched next to the train op
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\ntraining = tf.placeholder(tf.bool)\n"
        "h = tf.layers.batch_normalization(tf.layers.dense(x, 8), training=training)\nloss = tf.reduce_mean(tf.square(h))\n"
        "train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "extra = tf.get_collection(tf.GraphKeys.UPDATE_OPS)\nwith tf.Session() as sess:\n"
        "    sess.run([train_op, extra], feed_dict={training: True})\n",
        # contrib batch_norm updating in place
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "h = tf.contrib.layers.batch_norm(tf.layers.dense(x, 8), updates_collections=None, is_training=True)\n"
        "train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))\nsess = tf.Session()\n",
        # inference-mode batch normalization: no updates to run
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "h = tf.layers.batch_normalization(tf.layers.dense(x, 8), training=False)\n"
        "train_op = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h ** 2))\nsess = tf.Session()\n",
        # eager TF2: Keras layers update their statistics themselves
        "import tensorflow as tf\n\nbn = tf.keras.layers.BatchNormalization()\nopt = tf.keras.optimizers.Adam()\n"
        "x = tf.random.normal([8, 4])\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_mean(bn(x, training=True) ** 2)\n"
        "opt.apply_gradients(zip(tape.gradient(loss, bn.trainable_variables), bn.trainable_variables))\n",
    )

    def on_module(self, ctx, ev):
        aliases = tf_aliases(ctx)
        if not aliases or "batch_norm" not in ctx.text:
            return
        text = ctx.text
        if "UPDATE_OPS" in text and "as_default" in text:
            self._collection_of_other_graph(ctx, aliases)
        if any(w in text.lower() for w in _RUNS_UPDATES) or not any(w in text for w in _GRAPH_RUN):
            return
        # per chunk, kept with its tree: the batch normalizations that may train, the train ops
        found = per_chunk(ctx, ("norms and train ops", aliases), lambda m: _norms_and_train_ops(m, aliases))
        norms = [c for part, _ in found for c in part]
        if not norms or all(_always_trains(c, *_bn_call(c, aliases)) for c in norms):
            return  # (every one always in training mode: the moving statistics are never read)
        first = norms[0]
        for call in (c for _, ops in found for c in ops):
            ctx.report(self, call,
                       f"this train op does not run the UPDATE_OPS collection, and the program never does: the "
                       f"moving mean and variance of the {len(norms)} batch normalization layer(s) stay at their "
                       f"initial values, so the model is wrong with training=False; build it under "
                       f"`tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))`",
                       related=[(first, "batch normalization in training mode")])


    def _collection_of_other_graph(self, ctx, aliases):
        """`tf.get_collection(UPDATE_OPS)` outside the `with g.as_default():` block of a graph `g`
        that the same function (or module) made and built the model in: the collection read is
        the default graph's, empty, and the updates never run."""
        p = None
        for calls in per_chunk(ctx, ("tl417 get_collection calls",), _collection_calls):
            for call in calls:
                if "UPDATE_OPS" not in ctx.source(call):
                    continue
                p = p or parents(ctx)
                if any(isinstance(a, cst.With) and _as_default(a) for a in p.ancestors(call)):
                    continue
                scope = p.scope(call)
                if scope is None or isinstance(scope, cst.Lambda):
                    continue
                if isinstance(scope, cst.FunctionDef):
                    found = [_graphs_and_blocks(scope.body)]
                else:  # the module: every chunk, each tree's part kept across edits
                    found = per_chunk(ctx, ("tl417 graphs and blocks",), _graphs_and_blocks)
                graphs = {target for made, _ in found for head, target in made if head in aliases} - {""}
                built = [w for _, blocks in found for w in blocks if _as_default(w) in graphs
                         and ctx.line(w) < ctx.line(call)]
                if built:
                    graph = _as_default(built[-1])
                    ctx.report(self, call,
                               f"this reads UPDATE_OPS of the default graph, but the model was built in `{graph}` "
                               f"(`with {graph}.as_default():`, line {ctx.line(built[-1])}), and this call is outside "
                               f"that block: the list holds none of its batch-norm updates, so the moving statistics "
                               f"never change; read the collection inside the block",
                               related=[(built[-1], f"the model is built in `{graph}` here")])


def _norms_and_train_ops(module, aliases) -> tuple:
    calls = _all_calls(module)
    return ([c for c in calls if (bn := _bn_call(c, aliases)) is not None and _trains(c, *bn)],
            [c for c in calls if _train_op(c)])


def _collection_calls(module) -> list:
    """The calls `...get_collection(...)` of the tree, in source order."""
    return [c for c in _all_calls(module) if dotted(c.func).endswith("get_collection")]


def _graphs_and_blocks(body) -> tuple:
    """In the own code of `body` (nested definitions left out): (the head of the callee, the
    target) of each assignment of a `...Graph(...)` call, and the `with g.as_default():` blocks,
    in source order."""
    made, blocks = [], []
    for n in descendants(body, prune=_OWN):
        if isinstance(n, cst.Assign) and isinstance(n.value, cst.Call) and dotted(n.value.func).rsplit(".", 1)[-1] == "Graph":
            made.extend((dotted(n.value.func).split(".")[0], dotted(t.target)) for t in n.targets)
        elif isinstance(n, cst.With) and _as_default(n) is not None:
            blocks.append(n)
    return made, blocks


def _as_default(with_node) -> str | None:
    """`g` of `with g.as_default():` (also `self._graph`)."""
    for item in with_node.items:
        value = item.item
        if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "as_default" and dotted(value.func.value)):
            return dotted(value.func.value)
    return None


def _all_calls(module) -> list:
    """Every call of the chunk, nested functions and classes included, in source order."""
    return [n for n in descendants(module) if isinstance(n, cst.Call)]
