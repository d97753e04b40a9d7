import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk
from ._graph_ops import tf_aliases

# TensorFlow calls that add nodes to the default graph (the path after `tf.`)
_OP_FAMILIES = ("nn.", "layers.", "math.", "losses.", "image.", "metrics.")
_OPS = frozenset({
    "argmax", "argmin", "equal", "not_equal", "greater", "less", "cast", "reduce_sum", "reduce_mean", "reduce_max",
    "reduce_min", "reduce_prod", "matmul", "add", "subtract", "multiply", "divide", "square", "sqrt", "exp", "log",
    "reshape", "concat", "stack", "one_hot", "constant", "Variable", "placeholder", "assign", "assign_add", "sigmoid",
    "tanh", "softmax", "abs", "maximum", "minimum", "count_nonzero",
    "convert_to_tensor", "gradients", "transpose", "squeeze",
    "expand_dims", "where", "gather", "tile", "zeros", "ones", "random_normal", "random_uniform", "truncated_normal",
    # initializers are left out: re-initializing the same graph per restart adds one op per restart, bounded
})
# a loop that starts a new graph (or a new session on one) on each pass does not grow one graph
_FRESH = ("reset_default_graph", "Graph", "reset_graph")


def _graph_call(call: cst.Call, aliases) -> bool:
    head, _, rest = dotted(call.func).partition(".")
    if head not in aliases or not rest:
        return False
    if rest.startswith("compat.v1."):
        rest = rest[len("compat.v1."):]
    if rest in _OPS or (rest.startswith("train.") and rest.endswith("Optimizer")):
        return True
    return rest.startswith(_OP_FAMILIES) and rest.rsplit(".", 1)[-1][:1].islower()


def _session_names(module, aliases) -> set:
    """Names bound to a TF1 session: `sess = tf.Session()`, `with tf.Session() as sess`."""
    out = set()
    for n in descendants(module):
        value, target = None, None
        if isinstance(n, cst.Assign) and len(n.targets) == 1:
            value, target = n.value, n.targets[0].target
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            value, target = n.item, n.asname.name
        if isinstance(value, cst.Call) and isinstance(target, cst.Name):
            path = dotted(value.func)
            if path.split(".")[0] in aliases and path.endswith(("Session", "InteractiveSession")):
                out.add(target.value)
    return out


def _loop_calls(module) -> list:
    """(loop, the calls of its body's own code) for every loop of a chunk, in source order."""
    return [(loop, [n for n in descendants(loop.body, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
                    if isinstance(n, cst.Call)])
            for loop in statements_of(module, (cst.For, cst.While))]


class GraphGrowsInSessionLoop(Rule):
    """
    ## What it does
    Finds TensorFlow ops built inside a loop that also runs a TF1 session: `tf.nn.softmax`,
    `tf.equal`, `tf.argmax`, `tf.reduce_sum`, `tf.Variable`, an optimizer... created on every
    pass of a loop that calls `sess.run(...)`, with no `tf.reset_default_graph()` or new
    `tf.Graph()` in the loop.

    ## Why is this bad?
    In graph mode each call adds new nodes to the default graph; nothing removes them. The graph
    grows with every iteration, each `sess.run` gets slower, memory climbs until the process
    dies, and a graph saved by a `Saver` or written for TensorBoard fills with copies. A loop
    with few passes (one assign per variable, one optimizer per pretrained layer) only adds that
    many copies: harmless, though building the ops once is still the cleaner graph. A loop over a
    literal list, tuple or set of at most 8 items (`for squared in [True, False]:`) is not
    reported: each pass builds the graph of one setting the program tries.

    ## Example
    ```python
    for i in range(n_batches):
        logits_batch = sess.run(logits, feed_dict={X: X_batch})
        preds = tf.nn.softmax(logits_batch)
        total += sess.run(tf.reduce_sum(tf.cast(tf.equal(tf.argmax(preds, 1), tf.argmax(Y_batch, 1)), tf.float32)))
    ```

    ## Use instead
    ```python
    correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(tf.nn.softmax(logits), 1), tf.argmax(Y, 1)), tf.float32))
    for i in range(n_batches):
        total += sess.run(correct, feed_dict={X: X_batch, Y: Y_batch})
    ```

    ## Fix safety
    There is no automatic fix: the ops must be built once, before the loop.
    """

    code = "TL419"
    triggers = ("Session",)
    name = "graph-grows-in-session-loop"
    severity = Severity.WARNING
    summary = "TensorFlow ops built on every pass of a loop that runs a TF1 session: the graph grows with every pass."
    failing = (
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 784])\nlogits = tf.layers.dense(X, 10)\n"
        "with tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n    for batch in range(100):\n"
        "        out = sess.run(logits, feed_dict={X: None})\n        preds = tf.nn.softmax(out)  # TL419\n",
    )
    passing = (
        "import tensorflow as tf\n\nX = tf.placeholder(tf.float32, [None, 784])\npreds = tf.nn.softmax(tf.layers.dense(X, 10))\n"
        "with tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n    for batch in range(100):\n"
        "        out = sess.run(preds, feed_dict={X: None})\n",
    )
    lookalikes = (
        # one graph per setting tried, in a loop over a literal of two items
        "import numpy as np\nimport tensorflow.compat.v1 as tf\n\nx = tf.constant(np.ones((4, 3), np.float32))\n"
        "with tf.Session() as sess:\n    for squared in [True, False]:\n"
        "        d = tf.reduce_sum(tf.square(x), 1) if squared else tf.norm(x, axis=1)\n"
        "        g = sess.run(tf.gradients(d, x))\n",
        # layers built in a loop before any session runs
        "import tensorflow as tf\n\nh = tf.placeholder(tf.float32, [None, 8])\nfor width in (64, 32):\n"
        "    h = tf.layers.dense(h, width, activation=tf.nn.relu)\nsess = tf.Session()\n"
        "sess.run(tf.global_variables_initializer())\n",
        # a fresh graph per hyperparameter
        "import tensorflow as tf\n\nfor lr in (0.1, 0.01):\n    tf.reset_default_graph()\n"
        "    x = tf.Variable(1.0)\n    step = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(x))\n"
        "    with tf.Session() as sess:\n        sess.run(tf.global_variables_initializer())\n        sess.run(step)\n",
        # eager TF2: no session, ops run at once
        "import tensorflow as tf\n\nx = tf.random.normal([8, 4])\nfor i in range(10):\n"
        "    probs = tf.nn.softmax(x)\n    print(tf.reduce_sum(probs))\n",
    )

    def on_module(self, ctx, ev):
        aliases = tf_aliases(ctx)
        if not aliases or "Session" not in ctx.text:
            return
        # the sessions of the whole file (a loop may run one bound in an earlier statement)
        sessions = set().union(*per_chunk(ctx, ("session names", aliases), lambda m: _session_names(m, aliases)))
        if sessions:
            for loops in per_chunk(ctx, ("loops and their calls",), _loop_calls):
                self._scan(ctx, loops, aliases, sessions)

    def _scan(self, ctx, loops, aliases, sessions):
        reported = set()
        for loop, calls in loops:
            if _few_passes(loop) or not any(_runs(c, sessions) for c in calls):
                continue
            if any(dotted(c.func).rsplit(".", 1)[-1] in _FRESH or dotted(c.func).endswith("Session") for c in calls):
                continue
            for c in calls:
                if id(c) in reported or not _graph_call(c, aliases) or _inside_graph_call(c, calls, aliases):
                    continue
                reported.add(id(c))
                ctx.report(self, c,
                           f"`{dotted(c.func)}` adds new nodes to the graph on every pass of this loop, which runs "
                           f"the session: the graph grows with every pass and each run gets slower; build the op once, "
                           f"before the loop, and feed it",
                           related=[(loop, "the loop that runs the session")])


_FEW = 8


def _few_passes(loop) -> bool:
    """A `for` over a literal of at most a few items (`for squared in [True, False]`): the ops it
    builds are that many copies, one graph per setting the program tries."""
    if not isinstance(loop, cst.For) or not isinstance(loop.iter, (cst.List, cst.Tuple, cst.Set)):
        return False
    items = loop.iter.elements
    return len(items) <= _FEW and not any(isinstance(e, cst.StarredElement) for e in items)


def _runs(call: cst.Call, sessions) -> bool:
    f = call.func
    return (isinstance(f, cst.Attribute) and f.attr.value == "run" and isinstance(f.value, cst.Name)
            and f.value.value in sessions)


def _inside_graph_call(call, calls, aliases) -> bool:
    """Whether `call` is an argument of another graph call of the loop (reported once, outermost)."""
    return any(other is not call and _graph_call(other, aliases) and any(n is call for n in descendants(other))
               for other in calls)
