import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.lineage import branch_reading
from tensorlint.rule import Rule
from tensorlint.values import FeedDict, GraphOp, KeyedDict, MutableList, Seq, Tensor

from ._training import parents
from ._trees import per_chunk, text_matches

# text that reads graph tensors or attributes the syntax does not show
# (patterns that begin with a literal, searched per chunk text: see `_trees.text_matches`)
_DYNAMIC = tuple(re.compile(p) for p in (
    r"get_tensor_by_name", r"get_operation_by_name", r"get_collection\(\s*['\"]", r"getattr(?<![\w.]getattr)\s*\(",
    r"locals(?<![\w.]locals)\s*\(", r"vars(?<![\w.]vars)\s*\(", r"__dict__"))
_EMPTY = cst.Module([])


def _training_ops(v, out: list) -> list:
    """The records of the training ops (`optimizer.minimize(loss)`) among what a run fetches
    (one, or a list, tuple or dict of them): a target exists only where a loss is trained; a run
    that only predicts (a nearest-neighbour vote through `argmax`) has no target branch."""
    if isinstance(v, GraphOp):
        if v.lineage is not None:
            out.append(v.lineage)
    elif isinstance(v, (Seq, MutableList)):
        for x in v.items:
            _training_ops(x, out)
    elif isinstance(v, KeyedDict):
        for x in v.items.values():
            _training_ops(x, out)
    return out


def _binding(ctx, call):
    """(kind, name) of the single target a placeholder call is assigned to: ("name", "x") for
    `x = tf.placeholder(...)`, ("attr", "s_") for `self.s_ = tf.placeholder(...)`."""
    stmt = parents(ctx).parent.get(call)
    if not isinstance(stmt, cst.Assign) or stmt.value is not call or len(stmt.targets) != 1:
        return None
    target = stmt.targets[0].target
    if isinstance(target, cst.Name):
        return ("name", target.value, target)
    if isinstance(target, cst.Attribute):
        return ("attr", target.attr.value, target)
    return None


def _never_read(ctx, call) -> bool:
    """The placeholder made by `call` is bound to a name or attribute that the file uses nowhere
    but as a dict key (a feed): no op of the program can read it. Any other use of that name or
    attribute name, on any object, counts as a read."""
    cache = ctx.__dict__.setdefault("_tl445_unread", {})
    got = cache.get(id(call))
    if got is None:
        got = cache[id(call)] = _unread(ctx, call)
    return got


def _unread(ctx, call) -> bool:
    bound = _binding(ctx, call)
    if bound is None or text_matches(ctx, _DYNAMIC):
        return False
    kind, name, target = bound
    fed = False
    for keys, names, attrs in per_chunk(ctx, ("TL445 uses",), _uses):
        for n in (attrs if kind == "attr" else names).get(name, ()):
            if n is target or (kind == "name" and n is getattr(target, "value", None)):
                continue
            if id(n) not in keys:
                return False
            fed = True
    return fed


def _uses(module) -> tuple:
    """A chunk's dict keys (ids), and its Name and Attribute nodes by name: one walk per chunk
    tree, kept across a document's edits, whatever number of placeholders ask."""
    keys, names, attrs = set(), {}, {}
    for n in descendants(module):
        if isinstance(n, cst.DictElement):
            keys.add(id(n.key))
        elif isinstance(n, cst.Attribute):
            attrs.setdefault(n.attr.value, []).append(n)
        elif isinstance(n, cst.Name):
            names.setdefault(n.value, []).append(n)
    return keys, names, attrs


def _declared(call) -> tuple:
    """A placeholder's declaration, less its name: dtype and shape as written."""
    return tuple((a.keyword.value if a.keyword else i, _EMPTY.code_for_node(a.value))
                 for i, a in enumerate(call.args) if not (a.keyword and a.keyword.value == "name"))


class TargetReadsOtherPlaceholder(Rule):
    """
    ## What it does
    Finds a TF1 target branch built on the wrong input: a run that trains (it fetches an
    optimizer's `minimize` op) feeds two placeholders declared alike (`s` and `s_`, the current
    and the next state); one of them is used nowhere in the program but as a feed key, and the
    other is read by a branch that the trained loss reads only through `tf.stop_gradient` (a
    bootstrapped target such as DQN's `max_a Q(s', a)`). A run that only predicts has no target:
    a nearest-neighbour vote that gathers the training labels by `top_k` indices while the test
    labels are fed beside them is not reported. The
    analysis records what each graph tensor is computed from; the branch is the op that reads the
    placeholder on a path that crosses the cut.

    ## Why is this bad?
    The target is computed from the current state instead of the next one, and the next states
    the program feeds are ignored: the TD target is `r + gamma * max Q(s)`, the network learns to
    predict its own values plus rewards, and the agent does not learn the task. Nothing fails.

    ## Example
    ```python
    s = tf.placeholder(tf.float32, [None, n_features])
    s_ = tf.placeholder(tf.float32, [None, n_features])
    q_eval = tf.layers.dense(s, n_actions)
    q_next = tf.layers.dense(s, n_actions)      # the target net on the current state
    q_target = tf.stop_gradient(r + 0.9 * tf.reduce_max(q_next, axis=1))
    ...
    sess.run(train_op, feed_dict={s: b_s, s_: b_s_, a: b_a, r: b_r})
    ```

    ## Use instead
    ```python
    q_next = tf.layers.dense(s_, n_actions)
    ```

    ## Fix safety
    There is no automatic fix: which input the branch should read is the program's.
    """

    code = "TL445"
    name = "target-reads-other-placeholder"
    severity = Severity.ERROR
    summary = ("A TF1 target branch (read only through tf.stop_gradient) reads a placeholder while another, declared "
               "alike and fed in the same run, is used by no op.")
    failing = (
        "import tensorflow.compat.v1 as tf\nimport numpy as np\n"
        "s = tf.placeholder(tf.float32, [None, 4])\ns_ = tf.placeholder(tf.float32, [None, 4])\n"
        "r = tf.placeholder(tf.float32, [None])\na = tf.placeholder(tf.int32, [None])\n"
        "q_eval = tf.layers.dense(s, 2, name='eval')\n"
        "q_next = tf.layers.dense(s, 2, name='target')  # TL445\n"
        "q_target = tf.stop_gradient(r + 0.9 * tf.reduce_max(q_next, axis=1))\n"
        "q_a = tf.reduce_sum(q_eval * tf.one_hot(a, 2), axis=1)\nloss = tf.reduce_mean(tf.square(q_target - q_a))\n"
        "train = tf.train.AdamOptimizer().minimize(loss)\nsess = tf.Session()\nb = np.zeros((8, 4))\n"
        "sess.run([train, loss], feed_dict={s: b, s_: b, a: np.zeros(8), r: np.zeros(8)})\n",
    )
    passing = (
        "import tensorflow.compat.v1 as tf\nimport numpy as np\n"
        "s = tf.placeholder(tf.float32, [None, 4])\ns_ = tf.placeholder(tf.float32, [None, 4])\n"
        "r = tf.placeholder(tf.float32, [None])\na = tf.placeholder(tf.int32, [None])\n"
        "q_eval = tf.layers.dense(s, 2, name='eval')\nq_next = tf.layers.dense(s_, 2, name='target')\n"
        "q_target = tf.stop_gradient(r + 0.9 * tf.reduce_max(q_next, axis=1))\n"
        "q_a = tf.reduce_sum(q_eval * tf.one_hot(a, 2), axis=1)\nloss = tf.reduce_mean(tf.square(q_target - q_a))\n"
        "train = tf.train.AdamOptimizer().minimize(loss)\nsess = tf.Session()\nb = np.zeros((8, 4))\n"
        "sess.run([train, loss], feed_dict={s: b, s_: b, a: np.zeros(8), r: np.zeros(8)})\n",
    )
    lookalikes = (
        # the next state is read by another op (a double-DQN action choice), the target on the current one
        "import tensorflow.compat.v1 as tf\nimport numpy as np\n"
        "s = tf.placeholder(tf.float32, [None, 4])\ns_ = tf.placeholder(tf.float32, [None, 4])\n"
        "q_eval = tf.layers.dense(s, 2, name='eval')\nbest = tf.argmax(tf.layers.dense(s_, 2, name='eval2'), 1)\n"
        "q_target = tf.stop_gradient(tf.reduce_max(tf.layers.dense(s, 2, name='target'), axis=1))\n"
        "loss = tf.reduce_mean(tf.square(q_target - tf.reduce_max(q_eval, 1)))\n"
        "train = tf.train.AdamOptimizer().minimize(loss)\nsess = tf.Session()\nb = np.zeros((8, 4))\n"
        "sess.run(train, feed_dict={s: b, s_: b})\n",
        # an unused placeholder declared otherwise (a keep probability left from an earlier version)
        "import tensorflow.compat.v1 as tf\nimport numpy as np\n"
        "x = tf.placeholder(tf.float32, [None, 4])\nkeep_prob = tf.placeholder(tf.float32)\n"
        "pred = tf.layers.dense(x, 1)\ntarget = tf.stop_gradient(tf.layers.dense(x, 1, name='t'))\n"
        "train = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(target - pred)))\n"
        "sess = tf.Session()\nsess.run(train, feed_dict={x: np.zeros((8, 4)), keep_prob: 0.5})\n",
        # a nearest-neighbour vote: nothing is trained; the test labels are fed and left unread
        "import tensorflow.compat.v1 as tf\nimport numpy as np\n"
        "x_tr = tf.placeholder(tf.float32, [None, 4])\nx_te = tf.placeholder(tf.float32, [None, 4])\n"
        "y_tr = tf.placeholder(tf.float32, [None, 3])\ny_te = tf.placeholder(tf.float32, [None, 3])\n"
        "dist = tf.reduce_sum(tf.abs(x_tr - tf.expand_dims(x_te, 1)), axis=2)\n"
        "_, idx = tf.nn.top_k(-dist, k=2)\nvote = tf.argmax(tf.reduce_sum(tf.gather(y_tr, idx), axis=1), axis=1)\n"
        "sess = tf.Session()\nb = np.zeros((8, 4))\n"
        "pred = sess.run(vote, feed_dict={x_tr: b, x_te: b, y_tr: np.zeros((8, 3)), y_te: np.zeros((8, 3))})\n",
    )

    def on_fetch(self, ctx, ev):
        feed = ev.feed
        if not isinstance(feed, FeedDict):
            return
        keys = [k for k, *_ in feed.pairs if isinstance(k, Tensor) and k.lineage is not None
                and k.lineage.source == "placeholder" and isinstance(k.lineage.node, cst.Call)]
        if len(keys) < 2:
            return
        fetched = _training_ops(ev.fetches, [])
        if not fetched:
            return
        unread = [k for k in keys if _never_read(ctx, k.lineage.node)]
        for u in unread:
            alike = [k for k in keys if k not in unread and k.lineage is not u.lineage
                     and _declared(k.lineage.node) == _declared(u.lineage.node)]
            for twin in alike:
                for f in fetched:
                    site = branch_reading(f, twin.lineage)
                    if site is not None:
                        self._report(ctx, site, twin, u, ev.node)
                        return

    def _report(self, ctx, site, read, unread, run):
        bound_read, bound_unread = _binding(ctx, read.lineage.node), _binding(ctx, unread.lineage.node)
        name_read = _EMPTY.code_for_node(bound_read[2]) if bound_read else "a placeholder"
        name_unread = _EMPTY.code_for_node(bound_unread[2]) if bound_unread else "another"
        run_line = ctx.line(run)
        in_run = f"the run at line {run_line}" if run_line else "the same run"
        message = (f"this branch reaches the trained loss only through tf.stop_gradient (a target) and reads "
                   f"`{name_read}`, while `{name_unread}`, declared alike and fed in {in_run}, is used by no op: the fed "
                   f"values are ignored; the target branch probably meant `{name_unread}`")
        ctx.report(self, site, message, related=[(unread.lineage.node, f"`{name_unread}` is declared here")])
