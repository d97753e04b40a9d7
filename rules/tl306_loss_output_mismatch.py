from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Tensor, shape_list

from ._losses import keras_output, pred_label, pred_target

NAMES = {"categorical": "categorical cross-entropy", "sparse_categorical": "sparse categorical cross-entropy",
         "binary": "binary cross-entropy"}


def mismatch(kind, units, activation) -> str | None:
    """Why a cross-entropy of this kind cannot train an output of `units` units, or None."""
    if units == 1 and kind == "categorical":
        return "a class distribution over 1 unit is always 1, so the loss is always 0 and nothing is learned"
    if units == 1 and kind == "sparse_categorical":
        return "with 1 unit the only valid class index is 0; any other label is out of range"
    if kind == "binary" and activation == "softmax" and isinstance(units, int) and units > 1:
        return (f"the {units} softmax outputs are one distribution over classes, but binary cross-entropy scores "
                f"each as an independent yes/no; use categorical cross-entropy")
    return None


class LossOutputMismatch(Rule):
    """
    ## What it does
    Finds a cross-entropy that does not fit the model's output layer: categorical
    cross-entropy on a single output unit, sparse categorical cross-entropy on a single unit,
    binary cross-entropy on a multi-unit softmax output (Keras `compile`, Keras loss objects,
    and PyTorch `CrossEntropyLoss`/`NLLLoss` on one output column).

    ## Why is this bad?
    With one unit, the softmax inside categorical cross-entropy is always 1 and the loss is
    always 0: the model trains without error and learns nothing. Sparse categorical
    cross-entropy on one unit fails for every label other than 0 (`Received a label value of 1
    which is outside the valid range of [0, 1)`; PyTorch: `Target 1 is out of bounds`). Binary
    cross-entropy on a softmax over several classes optimizes the wrong objective (and in Keras
    2 silently switched the `accuracy` metric to binary accuracy).

    ## Example
    ```python
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    ```

    ## Use instead
    ```python
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
    ```

    ## Fix safety
    There is no automatic fix: either the loss or the number of output units is wrong.
    """

    code = "TL306"
    name = "loss-output-mismatch"
    severity = Severity.ERROR
    summary = "Loss incompatible with the output layer (categorical/sparse CE on 1 unit, binary CE on a multi-unit softmax)."
    failing = (
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))  # TL306\n",
        "from tensorflow.keras.layers import Dense, Input\nfrom tensorflow.keras.models import Sequential\nmodel = Sequential()\nmodel.add(Input(shape=(4,)))\nmodel.add(Dense(3, activation='softmax'))\nmodel.compile(loss='binary_crossentropy', optimizer='adam')  # TL306\n",
        "import tensorflow as tf\ninputs = tf.keras.Input(shape=(7,))\nlogit = tf.keras.layers.Dense(1)(inputs)\nmodel = tf.keras.Model(inputs=inputs, outputs=logit)\nmodel.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy')  # TL306\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 1))\nloss = nn.CrossEntropyLoss()(net(torch.randn(4, 8)), torch.randint(0, 2, (4,)))  # TL306\n",
    )
    passing = (
        "import keras\nmodel = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n",
    )
    lookalikes = (
        # sigmoid multi-label outputs with binary cross-entropy are right
        "from tensorflow import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='sigmoid')])\nmodel.compile(loss='binary_crossentropy', optimizer='adam')\n",
        "from tensorflow import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\nmodel.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n",
        # a per-pixel class map: dim 1 is the class axis with 4 classes
        "import torch\nimport torch.nn as nn\nseg = nn.Conv2d(3, 4, 1)\nloss = nn.CrossEntropyLoss()(seg(torch.randn(2, 3, 8, 8)), torch.randint(0, 4, (2, 8, 8)))\n",
    )

    def on_compile(self, ctx, ev):
        kind, _ = loss_kind(ev.loss)
        if kind not in NAMES:
            return
        out = keras_output(ev.model)
        if out is None:
            return
        units, act, layer_node = out
        why = mismatch(kind, units, act)
        if why is None:
            return
        ctx.report(self, ev.loss_node or ev.node, f"{NAMES[kind]} on an output layer of {units} unit{'s' if units != 1 else ''}: {why}",
                   related=[(layer_node, "output layer")] if layer_node is not None else [])

    def on_loss_call(self, ctx, ev):
        pred, _ = pred_target(ev)
        if not isinstance(pred, Tensor) or pred.rank is None:
            return
        if ev.fw == "torch":
            if getattr(ev.loss, "kind", None) not in ("torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss") or pred.rank != 2 or pred.dim(1) != 1:
                return
            why = "a single class column: the softmax over it is always 1, so the loss is 0 (or a target of 1 is out of bounds)"
            ctx.report(self, ev.node, f"{ev.loss.short} on {pred_label(ctx, pred)} of shape {shape_list(pred.shape)}: {why}")
            return
        kind, _ = loss_kind(ev.loss)
        if kind not in ("categorical", "sparse_categorical") or pred.dim(-1) != 1:
            return
        why = mismatch(kind, 1, pred.activation)
        ctx.report(self, ev.node, f"{ev.loss.short} on {pred_label(ctx, pred)} of shape {shape_list(pred.shape)}: {why}")
