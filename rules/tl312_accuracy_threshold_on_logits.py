import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Const, Metric, MutableList, Ref, Seq

from ._losses import keras_output

ACCURACY = ("accuracy", "acc")  # Keras picks binary accuracy for them on a one-unit output
BINARY_ACCURACY = ("binary_accuracy", "BinaryAccuracy")


def _threshold_half(metric, units) -> str | None:
    """How the metric thresholds the output at 0.5 (a sentence), or None when it does not (or
    when that is not known)."""
    if isinstance(metric, Const) and isinstance(metric.value, str):
        name = metric.value
        if name.lower() in ACCURACY:
            return f"'{name}' on a one-unit output is binary accuracy, which thresholds at 0.5" if units == 1 else None
        if name in BINARY_ACCURACY:
            return f"'{name}' thresholds at 0.5"
        return None
    if isinstance(metric, Ref) and metric.qualname == "keras.metrics.binary_accuracy":
        return "binary_accuracy thresholds at 0.5"
    if isinstance(metric, Metric) and metric.kind == "keras.metrics.BinaryAccuracy":
        t = metric.facts.get("threshold")
        if isinstance(t, (int, float)) and not isinstance(t, bool) and t == 0.5:
            return "BinaryAccuracy thresholds at 0.5 by default"
    return None


def _element_node(metrics_node, i: int, n: int):
    """The syntax node of the i-th of n metrics in a literal list, or the whole argument."""
    if isinstance(metrics_node, (cst.List, cst.Tuple)) and len(metrics_node.elements) == n:
        el = metrics_node.elements[i]
        if not isinstance(el, cst.StarredElement):
            return el.value
    return metrics_node


class AccuracyThresholdOnLogits(Rule):
    """
    ## What it does
    Finds a Keras model compiled with a binary cross-entropy that takes logits
    (`BinaryCrossentropy(from_logits=True)`) and an accuracy metric that thresholds the output
    at 0.5 as if it were a probability: `metrics=['accuracy']` on a one-unit output (Keras
    resolves it to binary accuracy), `'binary_accuracy'`, `keras.metrics.binary_accuracy`, or
    `BinaryAccuracy()` without `threshold=`.

    ## Why is this bad?
    With `from_logits=True` the model outputs a logit: the predicted class is positive when the
    logit is above 0, not above 0.5. Binary accuracy at its default threshold counts every
    logit between 0 and 0.5 (probabilities between 0.5 and 0.62) as the negative class, so the
    reported training and validation accuracy is wrong, and so is everything chosen by it
    (early stopping, checkpoints monitoring `val_accuracy`, model comparisons). No error is
    raised.

    ## Example
    ```python
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    ```

    ## Use instead
    ```python
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
    ```

    ## Fix safety
    There is no automatic fix.

    ## References
    - [keras.metrics.BinaryAccuracy](https://keras.io/api/metrics/accuracy_metrics/#binaryaccuracy-class)
    """

    code = "TL312"
    name = "accuracy-threshold-on-logits"
    severity = Severity.WARNING
    summary = "A binary accuracy metric thresholds at 0.5 the logits of a model trained with from_logits=True."
    failing = (
        "import keras\nmodel = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=['accuracy'])  # TL312\n",
        "import tensorflow as tf\ninputs = tf.keras.Input(shape=(8,))\nlogits = tf.keras.layers.Dense(4)(inputs)\nmodel = tf.keras.Model(inputs, logits)\nmodel.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),\n              metrics=[tf.keras.metrics.BinaryAccuracy()])  # TL312\n",
    )
    passing = (
        "import keras\nmodel = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])\n",
    )
    lookalikes = (
        # a sigmoid output: its probabilities are rightly thresholded at 0.5
        "import keras\nmodel = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n",
        # several logits with 'accuracy': Keras picks categorical accuracy (an argmax)
        "import keras\nmodel = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])\nmodel.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=['accuracy'])\n",
    )

    def on_compile(self, ctx, ev):
        if ev.metrics is None:
            return
        kind, from_logits = loss_kind(ev.loss)
        if kind != "binary" or from_logits is not True:
            return
        out = keras_output(ev.model)
        if out is not None and out[1] not in (None, "linear"):
            return  # an activation ends the model: the loss setting is wrong (TL304), not the metric
        units = out[0] if out is not None else None
        metrics = ev.metrics
        items = list(metrics.items) if isinstance(metrics, (Seq, MutableList)) else [metrics]
        for i, m in enumerate(items):
            why = _threshold_half(m, units)
            if why is None:
                continue
            at = _element_node(ev.metrics_node, i, len(items)) if isinstance(metrics, (Seq, MutableList)) else ev.metrics_node
            ctx.report(self, at or ev.node,
                       f"the loss takes the model's output as logits (from_logits=True) but {why}: a logit is "
                       f"positive above 0, so outputs between 0 and 0.5 are counted as the wrong class; "
                       f"use keras.metrics.BinaryAccuracy(threshold=0.0)",
                       related=[(ev.loss_node, "the loss with from_logits=True")] if ev.loss_node is not None else [])
            return
