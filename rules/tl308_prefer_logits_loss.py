from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Layer


def output_activation(model: Container):
    """The activation of a Keras model's last layer, when every layer is a known one."""
    if not model.layers or not all(isinstance(l, Layer) for l in model.layers):
        return None
    for layer in reversed(model.layers):
        act = layer.facts.get("activation")
        if layer.short == "Activation" and isinstance(act, str) and act.lower() == "linear":
            continue  # the identity
        if isinstance(act, str):
            return act.lower()
        if layer.short in ("Dropout",):
            continue
        return "linear" if layer.short == "Dense" else None
    return None


class PreferLogitsLoss(Rule):
    """
    ## What it does
    Finds Keras models whose last layer applies `sigmoid` or `softmax` and that are compiled
    with a probability-space cross-entropy (`'binary_crossentropy'`,
    `'categorical_crossentropy'`, ... with `from_logits=False`).

    ## Why is this bad?
    How stable it is depends on the backend. tf.keras, and Keras 3 on TensorFlow, recover the
    logits from the final sigmoid/softmax and compute the loss from them, so training there is
    as stable as with logits. Keras 3 on JAX or PyTorch does not: it clips the probabilities to
    [1e-7, 1 - 1e-7], so the loss saturates and the gradient vanishes for confidently wrong
    outputs. A linear output layer with `from_logits=True` is stable on every backend and does
    not rely on the recovery (which also stops working as soon as anything follows the
    activation).

    ## Example
    ```python
    model = keras.Sequential([..., keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy")
    ```

    ## Use instead
    ```python
    model = keras.Sequential([..., keras.layers.Dense(1)])
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
    ```

    ## Fix safety
    There is no automatic fix: predictions then need an explicit sigmoid/softmax.
    """

    code = "TL308"
    name = "prefer-logits-loss"
    severity = Severity.INFO
    default = False
    summary = "Sigmoid/softmax output with a probability-space cross-entropy; prefer logits."
    failing = (
        "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(8, activation='relu', input_shape=(4,)), keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')  # TL308\n",
    )
    passing = (
        "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(8, activation='relu', input_shape=(4,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n",
    )
    lookalikes = (
        "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='mse')\n",
    )

    def on_compile(self, ctx, ev):
        model = ev.model
        if not isinstance(model, Container) or model.kind != "keras.Sequential":
            return
        kind, logits = loss_kind(ev.loss)
        if kind not in ("binary", "categorical", "sparse_categorical") or logits is not False:
            return
        act = output_activation(model)
        if act not in ("sigmoid", "softmax"):
            return
        ctx.report(self, ev.loss_node or ev.node,
                   f"the model ends in {act} and the loss takes probabilities: only the TensorFlow backend recovers the logits for the loss, "
                   "Keras 3 on JAX or PyTorch clips the probabilities; a linear output with `from_logits=True` is stable on every backend",
                   related=[(model.layers[-1].node, "output layer")])
