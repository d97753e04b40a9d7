import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, keyword_arg, module_names
from ._losses import last_binding, loss_spec
from ._training import parents

# the keyword each Keras / TensorFlow categorical cross-entropy gives its target and its prediction
_TARGET_KEYS = ("y_true", "target")
_PRED_KEYS = ("y_pred", "output")


def _argument(call, index: int, keys: tuple):
    """The expression `call` passes at position `index` or by one of `keys`."""
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in positional[: index + 1]):
        return None
    if len(positional) > index:
        return positional[index].value
    for key in keys:
        arg = keyword_arg(call, key)
        if arg is not None:
            return arg.value
    return None


def _numeric(node) -> bool:
    if isinstance(node, cst.UnaryOperation):
        return _numeric(node.expression)
    return isinstance(node, (cst.Integer, cst.Float))


def _factors(ctx, env, expr, scope, line: int, depth: int = 0) -> list:
    """The expressions `expr` is a product of (`a * b * c`, `tf.multiply(a, b)`), following a
    plain name to the one value its last assignment before `line` gives it (in either branch of an
    `if` the name is left alone)."""
    if depth > 4:
        return [expr]
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        return (_factors(ctx, env, expr.left, scope, line, depth + 1)
                + _factors(ctx, env, expr.right, scope, line, depth + 1))
    if isinstance(expr, cst.Call) and len(expr.args) == 2 and all(a.keyword is None and not a.star for a in expr.args):
        q = imported_qualname(env, expr.func)
        if q is not None and q.rpartition(".")[2] == "multiply":
            return (_factors(ctx, env, expr.args[0].value, scope, line, depth + 1)
                    + _factors(ctx, env, expr.args[1].value, scope, line, depth + 1))
    if isinstance(expr, cst.Name) and scope is not None:
        values, at, extra = last_binding(ctx, scope, expr.value, line)
        if len(values) == 1 and not extra:
            value = values[0][0]
            if isinstance(value, cst.BinaryOperation) or isinstance(value, cst.Call):
                inner = _factors(ctx, env, value, scope, at, depth + 1)
                if len(inner) > 1:
                    return inner
    return [expr]


def _names(node) -> set:
    found = set()

    class _V(cst.CSTVisitor):
        def visit_Name(self, n):
            found.add(n.value)

    node.visit(_V())
    return found


def _reads(ctx, node, names: set, scope, line: int, depth: int = 0) -> bool:
    """Whether `node` reads one of `names`, directly or through the last assignment of a name it reads."""
    if not names or depth > 3:
        return False
    read = _names(node)
    if read & names:
        return True
    if scope is None:
        return False
    for name in read:
        values, at, _ = last_binding(ctx, scope, name, line)
        if any(_reads(ctx, v, names, scope, at, depth + 1) for v, _ in values):
            return True
    return False


def _logits_flag(ev, call) -> bool:
    """Whether the loss may take logits: `from_logits=` given and not literally False (on the
    call or on the loss object), or a third positional argument (the functions' `from_logits`)."""
    flag = ev.loss.facts.get("from_logits", False)
    if flag is not False and flag is not None:
        return True
    arg = keyword_arg(call, "from_logits")
    if arg is not None and not (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
        return True
    return len([a for a in call.args if a.keyword is None]) > 2


class MaskedPredictionRenormalized(Rule):
    """
    ## What it does
    Finds a categorical cross-entropy on probabilities (`categorical_crossentropy`,
    `K.categorical_crossentropy`, `keras.ops.categorical_crossentropy`, `CategoricalCrossentropy()`,
    the categorical focal loss; not `from_logits=True`) whose
    prediction argument is multiplied by a mask, where the mask also multiplies the target or is
    made from it: `categorical_crossentropy(y_true * mask, y_pred * mask)`, with
    `mask = 1 - y_true[..., 0:1]` or `K.cast(K.not_equal(y_true, -1), "float32")`.

    ## Why is this bad?
    The loss first divides the prediction by its sum over the classes. A row the mask zeroes
    becomes 0 / 0: the loss and every gradient are NaN from the first masked position on. A
    mask taken elementwise from one-hot targets keeps only the true class, which the division
    scales back to 1, so the loss is 0 whatever the model predicts and nothing is learned. The
    mask belongs on the per-position loss (`categorical_crossentropy(y_true, y_pred) * mask`),
    not inside it. Binary and sparse cross-entropies do not divide by the sum and are not this
    finding.

    ## Example
    ```python
    def masked_categorical_crossentropy(gt, pr):
        mask = 1 - gt[:, :, 0:1]
        return categorical_crossentropy(gt * mask, pr * mask)
    ```

    ## Use instead
    ```python
    def masked_categorical_crossentropy(gt, pr):
        mask = 1 - gt[:, :, 0]
        return categorical_crossentropy(gt, pr) * mask
    ```

    ## Fix safety
    There is no automatic fix: the mask's shape changes when it moves onto the per-position loss,
    and how the masked loss is averaged is the program's choice.
    """

    code = "TL228"
    name = "masked-prediction-renormalized"
    severity = Severity.WARNING
    summary = ("A categorical cross-entropy given a masked prediction: it divides each row by its sum, so a "
               "masked row is NaN and a mask from one-hot targets makes the loss 0.")
    triggers = ("rossentropy",)
    failing = (
        "from keras.losses import categorical_crossentropy\n\n"
        "def masked_categorical_crossentropy(gt, pr):\n    mask = 1 - gt[:, :, 0:1]\n"
        "    return categorical_crossentropy(gt * mask, pr * mask)  # TL228\n",
        "from tensorflow.keras import backend as K\n\n"
        "def masked_loss(y_true, y_pred):\n    mask = K.cast(K.not_equal(y_true, -1), K.floatx())\n"
        "    return K.categorical_crossentropy(y_true, y_pred * mask)  # TL228\n",
    )
    passing = (
        "from keras.losses import categorical_crossentropy\n\n"
        "def masked_categorical_crossentropy(gt, pr):\n    mask = 1 - gt[:, :, 0]\n"
        "    return categorical_crossentropy(gt, pr) * mask\n",
    )
    lookalikes = (
        # binary and sparse cross-entropies do not renormalize the prediction
        "from tensorflow.keras import backend as K\n\n"
        "def masked_bce(y_true, y_pred):\n    mask = K.cast(K.not_equal(y_true, -1), K.floatx())\n"
        "    return K.binary_crossentropy(y_true * mask, y_pred * mask)\n",
        # logits: a masked row is a uniform softmax, not 0 / 0
        "import tensorflow as tf\n\n"
        "def masked_logits_loss(y_true, logits, mask):\n"
        "    return tf.keras.losses.categorical_crossentropy(y_true * mask, logits * mask, from_logits=True)\n",
        # a constant scale of the prediction, and a weight on the target alone
        "from tensorflow.keras import backend as K\n\n"
        "def weighted(y_true, y_pred, weights):\n"
        "    return K.categorical_crossentropy(y_true * weights, y_pred) + K.categorical_crossentropy(y_true, y_pred * 2.0)\n",
    )

    def on_loss_call(self, ctx, ev):
        if "rossentropy" not in ctx.text or ev.fw != "keras":
            return
        spec = loss_spec(ev.loss)
        if spec is None or spec.kind != "categorical":
            return
        call = ev.node
        if not isinstance(call, cst.Call) or _logits_flag(ev, call):
            return
        target = _argument(call, 0, _TARGET_KEYS)
        pred = _argument(call, 1, _PRED_KEYS)
        if target is None or pred is None:
            return
        env = module_names(ctx)
        scope = parents(ctx).scope(call)
        line = ctx.line(call) or 0
        pred_factors = _factors(ctx, env, pred, scope, line)
        if len(pred_factors) < 2:
            return
        target_factors = _factors(ctx, env, target, scope, line)
        target_texts = {ctx.source(f) for f in target_factors} if len(target_factors) > 1 else set()
        target_names = {f.value for f in target_factors if isinstance(f, cst.Name)}
        for factor in pred_factors:
            if _numeric(factor):
                continue
            text = ctx.source(factor)
            if text in target_texts:
                how = "the same mask multiplies the target"
            elif _reads(ctx, factor, target_names, scope, line) and not _reads(
                    ctx, factor, {f.value for f in pred_factors if isinstance(f, cst.Name) and f is not factor}, scope, line):
                how = "the mask is made from the target"
            else:
                continue
            ctx.report(self, call,
                       f"the prediction is multiplied by `{text}` before the categorical cross-entropy, which divides "
                       f"each row by its sum ({how}): a row the mask zeroes is 0/0 and makes the loss NaN, and a "
                       f"mask that keeps only the true class makes it 0. Multiply the per-position loss by the "
                       f"mask instead",
                       related=[(factor, "the mask")])
            return
