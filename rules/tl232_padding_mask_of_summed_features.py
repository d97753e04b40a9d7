import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_named

_LIBRARIES = ("numpy.", "torch.", "tensorflow.", "keras.", "jax.numpy.")
_ZERO_TESTS = frozenset({"not_equal", "equal", "greater", "ne", "eq", "gt"})


def _last(env, call) -> str | None:
    """`sign` for `tf.sign(x)` / `torch.sign(x)` / `np.sign(x)` (read through the imports), or
    for the tensor method `x.sign()`; `abs` also for the builtin."""
    if type(call) is not cst.Call:
        return None
    func = call.func
    q = imported_qualname(env, func)
    if q is not None:
        return q.rpartition(".")[2] if q.startswith(_LIBRARIES) else None
    if type(func) is cst.Name and func.value == "abs":
        return "abs"
    if type(func) is cst.Attribute:
        return "." + func.attr.value  # a method of the value before the dot
    return None


def _operand(env, call):
    """The value a unary op of a library or a tensor method works on."""
    if _last(env, call).startswith("."):
        return call.func.value
    first = call.args[0] if call.args else None
    return first.value if first is not None and first.keyword is None and not first.star else None


def _is_sum(env, node) -> bool:
    last = _last(env, node)
    return last in ("reduce_sum", "sum", ".sum")


def _is_abs(env, node) -> bool:
    last = _last(env, node)
    return last in ("abs", ".abs", "absolute")


def _operand_is_call(call) -> bool:
    """Whether the value `_operand` may give for `call` is a call: the value before the dot of
    a method, or the first argument. A sum is a call, so no other call can take the absolute
    value of one; read from the syntax alone, before the imports are looked up."""
    func = call.func
    if type(func) is cst.Attribute and type(func.value) is cst.Call:
        return True
    first = call.args[0] if call.args else None
    return first is not None and first.keyword is None and not first.star and type(first.value) is cst.Call


_ABS = ("abs", "absolute")  # the callees `_is_abs` accepts, by their last name (`_trees.calls_named`)


def _zero(node) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.value) == 0


class PaddingMaskOfSummedFeatures(Rule):
    """
    ## What it does
    Finds a padding mask taken as the sign of the absolute value of a sum of features,
    `tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))`, or that absolute value tested against 0
    (`tf.not_equal(tf.abs(tf.reduce_sum(x, -1)), 0)`, `x.sum(-1).abs() > 0`). The absolute
    value says the features can be negative; taken after the sum, it comes too late.

    ## Why is this bad?
    A real position whose features sum to 0 (positive and negative features cancelling, as
    embeddings and normalized activations do) gets a mask of 0 and is treated as padding: the
    attention never looks at it and its outputs are zeroed, at random positions that change
    with the weights. The absolute values are to be summed, `sign(sum(abs(x)))`, which is 0
    only where every feature is 0.

    ## Example
    ```python
    key_masks = tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))
    ```

    ## Use instead
    ```python
    key_masks = tf.sign(tf.reduce_sum(tf.abs(keys), axis=-1))
    ```

    ## Fix safety
    There is no automatic fix: moving the absolute value inside the sum changes which positions
    are masked, and the mask may have been meant for features that are never negative.
    """

    code = "TL232"
    triggers = ("abs",)
    name = "padding-mask-of-summed-features"
    severity = Severity.WARNING
    summary = "A padding mask from the absolute value of a sum of features: positions whose features cancel are masked."
    failing = (
        "import tensorflow as tf\n\ndef attend(queries, keys):\n    outputs = tf.matmul(queries, tf.transpose(keys, [0, 2, 1]))\n"
        "    key_masks = tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))  # TL232\n"
        "    key_masks = tf.tile(tf.expand_dims(key_masks, 1), [1, tf.shape(queries)[1], 1])\n"
        "    paddings = tf.ones_like(outputs) * (-2 ** 32 + 1)\n"
        "    return tf.where(tf.equal(key_masks, 0), paddings, outputs)\n",
        "import torch\n\ndef key_padding(keys):\n    return keys.sum(-1).abs() > 0  # TL232\n",
    )
    passing = (
        "import tensorflow as tf\n\ndef attend(queries, keys):\n    outputs = tf.matmul(queries, tf.transpose(keys, [0, 2, 1]))\n"
        "    key_masks = tf.sign(tf.reduce_sum(tf.abs(keys), axis=-1))\n"
        "    key_masks = tf.tile(tf.expand_dims(key_masks, 1), [1, tf.shape(queries)[1], 1])\n"
        "    paddings = tf.ones_like(outputs) * (-2 ** 32 + 1)\n"
        "    return tf.where(tf.equal(key_masks, 0), paddings, outputs)\n",
    )
    lookalikes = (
        # the magnitude of a sum used as a value, not tested against 0
        "import numpy as np\nimport torch\n\ndef drift(x):\n    return np.abs(np.sum(x, axis=1)).mean()\n\n"
        "def total(g):\n    return torch.abs(g.sum(dim=0)) / g.shape[0]\n",
        # the sign of a sum (signed on purpose) and a zero test of a sum of absolute values
        "import tensorflow as tf\n\ndef masks(x):\n    direction = tf.sign(tf.reduce_sum(x, axis=-1))\n"
        "    present = tf.not_equal(tf.reduce_sum(tf.abs(x), axis=-1), 0)\n    return direction, present\n",
    )

    def on_module(self, ctx, ev):
        if not all(w in ctx.text for w in ("abs", "sum")):
            return
        env = module_names(ctx)
        par = None
        for call in calls_named(ctx, _ABS):
            if not _operand_is_call(call) or not _is_abs(env, call):
                continue
            inner = _operand(env, call)
            if inner is None or not _is_sum(env, inner):
                continue
            par = par or parents(ctx)
            test = self._zero_test(env, par, call)
            if test is None:
                continue
            ctx.report(self, test,
                       f"`{ctx.source(test).strip()}` takes the absolute value after summing the features, so a real "
                       f"position whose features sum to 0 counts as padding; sum the absolute values instead "
                       f"(the sum of `abs(x)` is 0 only where every feature is 0)",
                       related=[(inner, "the features are summed here, before the absolute value")])

    @staticmethod
    def _zero_test(env, par, call):
        """The expression that turns `call` (the absolute value of a sum) into a mask: its sign,
        or a comparison of it with 0."""
        up = par.parent.get(call)
        if type(up) is cst.Arg:
            outer = par.parent.get(up)
            last = _last(env, outer)
            if last == "sign" and outer.args[0] is up:
                return outer
            if last in _ZERO_TESTS and len(outer.args) == 2 and any(_zero(a.value) for a in outer.args):
                return outer
            return None
        if type(up) is cst.Attribute and up.value is call:
            outer = par.parent.get(up)
            if type(outer) is cst.Call and outer.func is up and (
                    up.attr.value == "sign" or up.attr.value in _ZERO_TESTS and any(_zero(a.value) for a in outer.args)):
                return outer
            return None
        if type(up) is cst.Comparison and len(up.comparisons) == 1:
            other = up.comparisons[0].comparator if up.left is call else up.left
            op = up.comparisons[0].operator
            toward_zero = cst.GreaterThan if up.left is call else cst.LessThan  # `abs(s) > 0`, `0 < abs(s)`
            if _zero(other) and isinstance(op, (cst.Equal, cst.NotEqual, toward_zero)):
                return up
        return None
