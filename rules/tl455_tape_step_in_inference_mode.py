from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Container

from ._common import text_fact

# Keras layers that compute something else in training than in inference
_DROPOUTS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                       "GaussianDropout", "GaussianNoise"})
_NORMS = frozenset({"BatchNormalization"})
_CALLS = "TL455 calls"

_MODEL = ("import tensorflow as tf\n"
          "model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(32, activation='relu'),\n"
          "                             tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])\n"
          "optimizer = tf.keras.optimizers.Adam()\nx, y = tf.random.normal((32, 8)), tf.random.normal((32, 1))\n")


def _training_layer(model, depth=0):
    """The first layer of a Keras Sequential model (nested models included) that behaves
    differently in training: a dropout or noise layer of a rate that is not known to be 0, or a
    batch normalization the program does not freeze. None when there is none, or when a layer
    is not known."""
    if depth > 8:
        return None
    for layer in model.layers:
        if isinstance(layer, Container):
            found = _training_layer(layer, depth + 1)
            if found is not None:
                return found
            continue
        kind = getattr(layer, "kind", "")
        short = kind.rpartition(".")[2]
        facts = getattr(layer, "facts", None) or {}
        if not kind.startswith("keras."):
            continue
        if short in _DROPOUTS and facts.get("rate", facts.get("stddev")) not in (0, 0.0):
            return layer
        if short in _NORMS and facts.get("trainable", True) is not False:
            return layer
    return None


def _training_given(node) -> bool:
    """The call passes the training flag (a keyword, positionally, or inside `**kwargs`)."""
    positional = sum(1 for a in node.args if a.keyword is None and not a.star)
    return positional >= 2 or any(a.star for a in node.args) or any(
        a.keyword is not None and a.keyword.value == "training" for a in node.args)


class TapeStepInInferenceMode(Rule):
    """
    ## What it does
    Finds a Keras model with a `Dropout` (or another dropout or noise layer) or a
    `BatchNormalization` that a custom training step calls without `training=True` inside the
    `tf.GradientTape` block whose gradient it then takes with respect to that model's
    `trainable_variables`:
    `with tf.GradientTape() as tape: pred = model(x)` followed by
    `tape.gradient(loss, model.trainable_variables)`.

    ## Why is this bad?
    Outside `fit`, a Keras model called without a training flag runs in inference mode: dropout
    does nothing and batch normalization normalizes with its moving statistics, which are never
    updated. The custom loop trains a network without its regularization, and batch
    normalization with the statistics it started with, so the model evaluated later is not the
    one the gradients were computed for. Nothing warns; the model just generalizes worse or
    diverges between training and inference.

    The rule stays silent when the call passes a training flag (any value, `training=False` to
    keep a frozen batch normalization in inference mode included), when the gradient is taken
    for another model (a GAN's generator step through its discriminator), when the model's
    layers are not all known (a subclassed model, an application model), when the dropout rate
    is 0 or the batch normalization is built with `trainable=False`, and when the program sets
    the global learning phase.

    ## Example
    ```python
    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_object(labels, classifier(images))
        variables = classifier.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    ```

    ## Use instead
    ```python
            loss = loss_object(labels, classifier(images, training=True))
    ```

    ## Fix safety
    There is no automatic fix: the author may mean the call to run in inference mode.
    """

    code = "TL455"
    name = "tape-step-in-inference-mode"
    severity = Severity.WARNING
    summary = ("A Keras model with Dropout or BatchNormalization is called without training=True in the GradientTape "
               "step that trains it: the step runs those layers in inference mode.")
    failing = (
        _MODEL + "with tf.GradientTape() as tape:\n    pred = model(x)  # TL455\n"
        "    loss = tf.reduce_mean(tf.square(y - pred))\n"
        "optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))\n",
    )
    passing = (
        _MODEL + "with tf.GradientTape() as tape:\n    pred = model(x, training=True)\n"
        "    loss = tf.reduce_mean(tf.square(y - pred))\n"
        "optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))\n",
    )
    lookalikes = (
        # the gradient is taken for another model: the called one is only evaluated
        _MODEL + "head = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(8)])\n"
        "with tf.GradientTape() as tape:\n    pred = model(head(x))\n    loss = tf.reduce_mean(tf.square(y - pred))\n"
        "grads = tape.gradient(loss, head.trainable_variables)\n",
        # the flag passed positionally
        _MODEL + "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(y - model(x, True)))\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method != "__call__" or not ctx.tapes or not isinstance(ev.model, Container):
            return
        if not ev.model.kind.startswith("keras.") or _training_given(ev.node):
            return
        layer = _training_layer(ev.model)
        if layer is None:
            return
        ctx.mark(_CALLS, (tuple(ctx.tapes), id(ev.model), ev.node, layer.node, layer.kind.rpartition(".")[2]))

    def on_tape_gradient(self, ctx, ev):
        model = getattr(ev.sources, "model", None)
        if not isinstance(model, Container) or text_fact(ctx, "learning phase set", _sets_learning_phase):
            return
        for tapes, model_id, node, layer_node, short in ctx.marked(_CALLS):
            if model_id != id(model) or id(ev.tape) not in tapes:
                continue
            where = f" (line {ctx.line(layer_node)})" if layer_node is not None and ctx.line(layer_node) else ""
            ctx.report(self, node,
                       f"the model has a {short} layer{where} and is called without training=True inside the GradientTape "
                       f"block whose gradient trains it (line {ctx.line(ev.node)}): outside fit() Keras then runs "
                       f"{short} in inference mode, so this step trains the network without it; pass training=True",
                       related=[(ev.node, "the gradient for this model's variables")]
                       + ([(layer_node, f"{short} made here")] if layer_node is not None else []))


def _sets_learning_phase(text: str) -> bool:
    return "set_learning_phase" in text or "learning_phase_scope" in text

