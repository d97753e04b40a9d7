"""TL448: `zip` of TF1 variable lists of different lengths (a target-network update that stops at
the shorter list). The variables each scope holds are counted by running the graph-building code
of the function that takes the lists, through the functions and methods of the file it calls,
with the variable scopes they open; anything not modeled leaves the counts unknown."""
import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._graph_ops import tf_aliases
from ._training import parents
from ._trees import calls_where
from ._variable_counts import UnknownCount, VariableCount, file_definitions, makes_variables, module_words, zip_of_lists

# an actor of 4 variables and a critic of 5, each built as an eval and a target network
_ACTOR_CRITIC = (
    "import tensorflow as tf\n\n\ndef actor(s, trainable):\n    h = tf.layers.dense(s, 30, tf.nn.relu, trainable=trainable)\n"
    "    return tf.layers.dense(h, 1, tf.nn.tanh, trainable=trainable)\n\n\n"
    "def critic(s, a, trainable):\n    w = tf.get_variable('w', [3, 30], trainable=trainable)\n"
    "    net = tf.nn.relu(tf.matmul(s, w) + tf.layers.dense(a, 30, trainable=trainable))\n"
    "    return tf.layers.dense(net, 1, trainable=trainable)\n\n\n"
    "def build(s, s_):\n    with tf.variable_scope('Actor'):\n        with tf.variable_scope('eval'):\n"
    "            a = actor(s, True)\n        with tf.variable_scope('target'):\n            a_ = actor(s_, False)\n"
    "    with tf.variable_scope('Critic'):\n        with tf.variable_scope('eval'):\n            q = critic(s, a, True)\n"
    "        with tf.variable_scope('target'):\n            q_ = critic(s_, a_, False)\n"
    "    ae = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Actor/eval')\n"
    "    at = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Actor/target')\n"
    "    ce = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Critic/eval')\n"
    "    ct = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Critic/target')\n"
)


class ZipTruncatesVariableLists(Rule):
    """
    ## What it does
    Finds a `zip` over TF1 variable lists that hold different numbers of variables, typically
    a soft target-network update that zips the actor's and the critic's lists together:
    `zip(self.at_params, self.ae_params, self.ct_params, self.ce_params)`. The lists are
    collections read with a known scope (`tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES,
    scope='Critic/eval')`, `tf.trainable_variables(scope=...)`), the collection key and the
    scope written as literals or as names bound to them (in the function, or once in the whole
    file); a list is followed through the names, `self` attributes, dict entries
    (`params['target']`) and list items it is stored in, and through `+` and `+=`; the variables of each scope
    are counted by following the code that builds the graph before the `zip`: the functions
    and methods of the file it calls, the `tf.variable_scope` blocks they open (with a literal
    name or a parameter given one), `tf.get_variable`, `tf.Variable` and the `tf.layers`
    functions with weights. Anything else that may make variables (a loop, a branch, a reused
    scope, an RNN cell, a Keras layer, a call outside the file) leaves the counts unknown, and
    so do variables made anywhere the count did not reach, and a list or a name rebound where
    the count does not follow it (in a branch or a loop, under a computed key).

    ## Why is this bad?
    `zip` stops at its shortest argument without a word: the variables past the shorter
    list's length are never paired, so their target copies are never updated (or never
    copied at all) and stay at their initial values while the other pairs move.

    ## Example
    ```python
    soft_replace = [[tf.assign(ta, (1 - TAU) * ta + TAU * ea), tf.assign(tc, (1 - TAU) * tc + TAU * ec)]
                    for ta, ea, tc, ec in zip(at_params, ae_params, ct_params, ce_params)]
    ```

    ## Use instead
    ```python
    soft_replace = [tf.assign(t, (1 - TAU) * t + TAU * e)
                    for t, e in zip(at_params + ct_params, ae_params + ce_params)]
    ```

    ## Fix safety
    There is no automatic fix: which variables belong together is for the author to say.
    """

    code = "TL448"
    triggers = ("variable_scope",)
    name = "zip-truncates-variable-lists"
    severity = Severity.WARNING
    summary = "A zip of TF1 variable lists of different lengths: the variables past the shortest list are never paired."
    failing = (_ACTOR_CRITIC + "    return [[tf.assign(ta, ea), tf.assign(tc, ec)] for ta, ea, tc, ec in zip(at, ae, ct, ce)]  # TL448\n",)
    passing = (_ACTOR_CRITIC + "    return [tf.assign(t, e) for t, e in zip(at + ct, ae + ce)]\n",)
    lookalikes = (
        # the eval and target networks of one agent, built alike: the lists have the same length
        "import tensorflow as tf\n\ndef net(s, trainable):\n    h = tf.layers.dense(s, 20, trainable=trainable)\n"
        "    return tf.layers.dense(h, 2, trainable=trainable)\n\n"
        "def build(s, s_):\n    with tf.variable_scope('eval_net'):\n        q = net(s, True)\n"
        "    with tf.variable_scope('target_net'):\n        q_ = net(s_, False)\n"
        "    e = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='eval_net')\n"
        "    t = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='target_net')\n"
        "    return [tf.assign(a, b) for a, b in zip(t, e)]\n",
        # a layer count that depends on a loop: not counted
        "import tensorflow as tf\n\ndef build(s, sizes):\n    with tf.variable_scope('a'):\n        h = s\n"
        "        for n in sizes:\n            h = tf.layers.dense(h, n)\n    with tf.variable_scope('b'):\n"
        "        g = tf.layers.dense(s, 4)\n    return list(zip(tf.trainable_variables(scope='a'), tf.trainable_variables(scope='b')))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "zip(" not in text or "variable_scope" not in text or not any(
                w in text for w in ("get_collection", "global_variables(", "trainable_variables(")):
            return
        tf = tf_aliases(ctx)
        if not tf:
            return
        makers = None
        par = definitions = words = module_body = None
        for call in calls_where(ctx, ("TL448 zips",), zip_of_lists):
            if makers is None:  # (each chunk's calls filtered once per tree)
                makers = calls_where(ctx, ("TL448 makers", tf), lambda c: makes_variables(c, tf))
            par = par or parents(ctx)
            scope = next((a for a in par.ancestors(call) if isinstance(a, (cst.FunctionDef, cst.Module))), None)
            if scope is None:
                continue
            cls = next((a for a in par.ancestors(scope) if isinstance(a, cst.ClassDef)), None) \
                if isinstance(scope, cst.FunctionDef) else None
            definitions = definitions or file_definitions(ctx)
            words = module_words(ctx, tf) if words is None else words
            count = VariableCount(ctx, tf, call, definitions, words)
            # module level: the statements of every chunk of the file, in order (an analysis in
            # chunks gives each top-level statement a module of its own)
            if isinstance(scope, cst.FunctionDef):
                body = scope.body.body
            else:
                body = module_body = module_body or [stmt for chunk in ctx.chunks for stmt in chunk.module.body]
            try:
                count.block(body, "", {}, id(cls) if cls is not None else None, 0)
            except (UnknownCount, RecursionError):
                continue
            lengths = count.result
            if not lengths or None in lengths or len(set(lengths)) < 2:
                continue
            if any(id(m) not in count.visited for m in makers):
                continue  # variables made where the count did not reach may belong to these scopes
            short = min(lengths)
            longer = [(ctx.source(a.value).strip(), n) for a, n in zip(call.args, lengths) if n > short]
            listed = ", ".join(f"`{text}` ({n})" for text, n in longer)
            ctx.report(self, call,
                       f"`zip` stops at the shortest list, {short} variables, but {listed} "
                       f"hold{'s' if len(longer) == 1 else ''} more: the variables past the first {short} are never "
                       f"paired, so their copies are never updated")
