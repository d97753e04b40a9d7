import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Container, FeedDict, Tensor, shape_list

from ._training import parents, unpack_target


def _fed_rows(ctx, feed) -> tuple | None:
    """(n, placeholder names) when every placeholder this run feeds leaves its first axis open
    (`None`) and gets a value of n rows; None when a feed is not known or the sizes differ."""
    if not isinstance(feed, FeedDict) or not feed.pairs:
        return None
    rows, names = set(), []
    for key, value, _, _ in feed.pairs:
        if not isinstance(key, Tensor) or key.origin is None or key.node is not key.origin:
            return None  # a fed intermediate tensor, not a placeholder
        declared = ctx.placeholders.get(id(key.origin))
        if declared is None or declared.rank is None or declared.rank < 1 or declared.shape[0] is not None:
            return None
        if not isinstance(value, Tensor) or not known_int(value.dim(0)):
            return None
        rows.add(value.dim(0))
        names.append(key.name or "a placeholder")
    return (rows.pop(), names) if len(rows) == 1 else None


class SingleFetchUnpacked(Rule):
    """
    ## What it does
    Finds a TF1 graph run that fetches one tensor (`sess.run(t, ...)`, `t.eval(...)`) and
    unpacks the result into several names (`a, b = sess.run(t, feed_dict=...)`), where the
    tensor's shape shows that the unpacking cannot work: a scalar, a first axis of known size
    other than the number of names, or a first axis left open like the placeholders' it is fed
    from while the run feeds a batch of another size. The Keras form too: `loss, acc =
    model.evaluate(x, y)` of a one-output model compiled without `metrics`, which returns the
    loss alone.

    ## Why is this bad?
    `sess.run` of one tensor returns one NumPy array (or a NumPy scalar), not a tuple. Unpacking
    a scalar raises `TypeError: cannot unpack non-iterable`; unpacking an array splits it along
    its first axis and raises `ValueError: too many values to unpack` unless that axis happens to
    have exactly as many rows as there are names. The author usually meant to fetch a list
    (`sess.run([loss, train_op])`) or a single value (`samples = sess.run(generator_out)`).

    ## Example
    ```python
    gen_samples, _ = sess.run(generator(input_z, reuse=True), feed_dict={input_z: sample_z})
    ```

    ## Use instead
    ```python
    gen_samples = sess.run(generator(input_z, reuse=True), feed_dict={input_z: sample_z})
    ```

    ## Fix safety
    There is no automatic fix: either the fetch list or the names are wrong.
    """

    code = "TL213"
    name = "single-fetch-unpacked"
    severity = Severity.ERROR
    summary = "The one value a TF1 run fetches (or a Keras evaluate returns) is unpacked into several names."
    failing = (
        "import numpy as np\nimport tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "loss = tf.reduce_mean(tf.square(x))\nwith tf.Session() as sess:\n"
        "    loss_value, _ = sess.run(loss, feed_dict={x: np.zeros((8, 4))})  # TL213\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\n"
        "loss = tf.reduce_mean(tf.square(x))\nstep = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "with tf.Session() as sess:\n    loss_value, _ = sess.run([loss, step], feed_dict={x: np.zeros((8, 4))})\n",
    )
    lookalikes = (
        # a tensor of two rows unpacked into two names
        "import tensorflow as tf\n\npair = tf.stack([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])])\n"
        "with tf.Session() as sess:\n    first, second = sess.run(pair)\n",
        # the batch fed has as many rows as there are names
        "import numpy as np\nimport tensorflow as tf\n\nz = tf.placeholder(tf.float32, [None, 3])\nout = tf.tanh(z)\n"
        "with tf.Session() as sess:\n    a, b = sess.run(out, feed_dict={z: np.zeros((2, 3))})\n",
    )

    def on_fit(self, ctx, ev):
        """`loss, acc = model.evaluate(x, y)` of a one-output Keras model compiled without metrics:
        evaluate returns the loss alone, one number."""
        model = ev.model
        if ev.method not in ("evaluate", "test_on_batch") or not isinstance(model, Container):
            return
        if not (model.kind == "keras.Sequential" or model.kind == "keras.Model" and isinstance(model.outputs, Tensor)):
            return
        compiled = model.compile_node
        if not isinstance(compiled, cst.Call) or len([a for a in compiled.args if a.keyword is None]) > 3 or any(
                a.keyword is not None and a.keyword.value in ("metrics", "weighted_metrics") or a.star for a in compiled.args):
            return
        if any(a.keyword is not None and a.keyword.value == "return_dict" or a.star for a in ev.node.args):
            return
        target = self._unpacked(ctx, ev.node)
        if target is None:
            return
        ctx.report(self, target,
                   f"`{ev.method}` of a one-output model compiled without metrics (line {ctx.line(compiled)}) returns "
                   f"the loss alone, one number, unpacked here into {len(target.elements)} names (TypeError: cannot "
                   f"unpack a float); add `metrics=[...]` to `compile` or assign the one value",
                   related=[(compiled, "compiled without metrics")])

    @staticmethod
    def _unpacked(ctx, call):
        """The tuple target of `a, b = call` (no starred name)."""
        return unpack_target(parents(ctx), call)

    def on_fetch(self, ctx, ev):
        t = ev.fetches
        if not isinstance(t, Tensor) or t.rank is None or isinstance(ev.fetch_node, (cst.List, cst.Tuple, cst.Dict)):
            return
        target = self._unpacked(ctx, ev.node)
        if target is None:
            return
        k = len(target.elements)
        what = f"`{ctx.source(ev.fetch_node)}`" if ev.fetch_node is not None else "the fetched tensor"
        if len(what) > 60:
            what = "the fetched tensor"
        shape = shape_list(t.shape)
        if t.rank == 0:
            why = "it is a scalar: its value is one number, which cannot be unpacked (TypeError)"
        elif known_int(t.dim(0)) and t.dim(0) != k:
            why = f"its value is one array, and unpacking splits its first axis of {t.dim(0)} rows (ValueError)"
        elif t.dim(0) is None:
            fed = _fed_rows(ctx, ev.feed)
            if fed is None or fed[0] == k:
                return
            n, names = fed
            fed_names = ", ".join(f"`{x}`" for x in names[:3])
            why = (f"its value is one array whose first axis is left open like that of what this run feeds "
                   f"({fed_names}, {n} rows), so unpacking splits {n} rows (ValueError)")
        else:
            return
        ctx.report(self, target,
                   f"{what} is one tensor of shape {shape}, unpacked into {k} names: {why}; fetch a list "
                   f"(`sess.run([a, b])`) or assign the one value",
                   related=[(ev.node, "the run that fetches one tensor")])
