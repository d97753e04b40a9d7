from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Layer, Tensor

from ._chains import expand, layer_chain, note_call

# layers that zero (or multiply by noise) random elements of their input while training
_DROPOUT = {
    "keras": ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "AlphaDropout"),
    "torch": ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"),
}
# layers whose weights make the model's output scores
_WEIGHTED = {
    "keras": ("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
              "SeparableConv1D", "SeparableConv2D", "EinsumDense"),
    "torch": ("Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
              "ConvTranspose3d"),
}
# layers that only apply the output's function, element by element or over the class axis
_OUTPUT_FUNCTIONS = {
    "keras": ("Activation", "Softmax", "ReLU", "LeakyReLU", "ELU", "PReLU"),
    "torch": ("Softmax", "LogSoftmax", "Sigmoid", "Tanh", "ReLU", "Softplus", "Identity"),
}
_CALLS = "TL315 calls"  # the layer calls noted for layer_chain


def _rate(layer):
    """The drop rate of a dropout layer when it is a known number, else None."""
    v = layer.facts.get("rate", layer.facts.get("p"))
    v = v.value if isinstance(v, Const) else v
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def dropout_after_output(layers):
    """(dropout layer, output layer) when the model's last weighted layer is followed by a
    dropout layer with only the output's function (softmax, sigmoid, ...) around it; else None."""
    dropout = None
    for layer in reversed(layers or ()):
        if not isinstance(layer, Layer) or layer.fw not in _DROPOUT:
            return None
        short = layer.short
        if short in _DROPOUT[layer.fw]:
            rate = _rate(layer)
            if rate is None and layer.fw == "keras" and "rate" not in layer.facts:
                return None  # Keras requires the rate: not read, so not known
            if rate == 0:
                return None  # drops nothing
            dropout = dropout or layer
            continue
        if short in _OUTPUT_FUNCTIONS[layer.fw]:
            continue
        if short in _WEIGHTED[layer.fw]:
            return (dropout, layer) if dropout is not None else None
        return None
    return None


class DropoutOnOutput(Rule):
    """
    ## What it does
    Finds a trained model whose last weighted layer (the `Dense`/`Linear`/convolution that makes
    the output scores) is followed by a dropout layer, with at most the output's own activation
    (softmax, sigmoid, ...) before or after it: `Dense(10)`, `Dropout(0.5)`,
    `Activation("softmax")`. The model is one that is compiled, fitted or whose output goes into
    a loss; a block that ends in dropout and feeds further layers is left alone.

    ## Why is this bad?
    While training, dropout zeroes a random half of the class scores (or predictions) and
    doubles the rest, so every step the loss compares the targets with a randomly damaged
    output: a zeroed logit moves its class's probability towards uniform whatever the input
    says, and a zeroed regression output is simply wrong. The layers before can only learn to
    make scores that survive the noise, the training loss stays high and noisy, and the
    model at inference (dropout off) is not the one the loss measured. Dropout belongs on the
    hidden features, before the output layer.

    ## Example
    ```python
    model = keras.Sequential([
        keras.Input((784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
        keras.layers.Dropout(0.5),
        keras.layers.Activation("softmax"),
    ])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.Input((784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])
    ```

    ## Fix safety
    There is no automatic fix: the dropout moves before the output layer, where its rate may
    need tuning again.
    """

    code = "TL315"
    name = "dropout-on-output"
    severity = Severity.WARNING
    summary = "Dropout after the model's output layer randomly zeroes the scores or predictions the loss is computed on."
    failing = (
        "from keras.models import Sequential\nfrom keras.layers import Dense, Dropout, Activation\n"
        "model = Sequential()\nmodel.add(Dense(64, activation='relu', input_dim=20))\nmodel.add(Dense(10))\n"
        "model.add(Dropout(0.5))  # TL315\nmodel.add(Activation('softmax'))\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([\n    tf.keras.Input(shape=(20,)),\n"
        "    tf.keras.layers.Dense(64, activation='relu'),\n    tf.keras.layers.Dense(1, activation='sigmoid'),\n"
        "    tf.keras.layers.Dropout(0.2),  # TL315\n])\nmodel.compile(loss='binary_crossentropy', optimizer='adam')\n",
        "import keras\ninputs = keras.Input(shape=(32,))\nh = keras.layers.Dense(64, activation='relu')(inputs)\n"
        "logits = keras.layers.Dense(5)(h)\nlogits = keras.layers.Dropout(0.3)(logits)  # TL315\n"
        "probs = keras.layers.Softmax()(logits)\nmodel = keras.Model(inputs, probs)\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3), nn.Dropout(0.5))  # TL315\n"
        "x = torch.randn(8, 20)\ny = torch.randint(0, 3, (8,))\nloss = nn.CrossEntropyLoss()(model(x), y)\n",
    )
    passing = (
        "from keras.models import Sequential\nfrom keras.layers import Dense, Dropout, Activation\n"
        "model = Sequential()\nmodel.add(Dense(64, activation='relu', input_dim=20))\nmodel.add(Dropout(0.5))\n"
        "model.add(Dense(10))\nmodel.add(Activation('softmax'))\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\n",
    )
    lookalikes = (
        # a hidden block that ends in dropout, used inside the trained model
        "import keras\nblock = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dropout(0.5)])\n"
        "inputs = keras.Input(shape=(32,))\nout = keras.layers.Dense(3, activation='softmax')(block(inputs))\n"
        "model = keras.Model(inputs, out)\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\n",
        "import torch\nimport torch.nn as nn\nhidden = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.5))\n"
        "head = nn.Linear(64, 3)\nx = torch.randn(8, 20)\nloss = nn.CrossEntropyLoss()(head(hidden(x)), torch.randint(0, 3, (8,)))\n",
        # a rate of 0 drops nothing; dropout after pooling, before the output layer
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input(shape=(20,)), tf.keras.layers.Dense(10),\n"
        "    tf.keras.layers.Dropout(0.0), tf.keras.layers.Softmax()])\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input(shape=(28, 28, 1)), tf.keras.layers.Conv2D(8, 3),\n"
        "    tf.keras.layers.Dropout(0.25), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\n",
        # a sequential model never trained as a whole (a feature block)
        "import keras\nfeatures = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(16), keras.layers.Dropout(0.5)])\n",
    )

    def _check(self, ctx, layers):
        found = dropout_after_output(layers)
        if found is None:
            return
        dropout, output = found
        node = ctx.marked_map("TL315 sites").get(id(dropout), dropout.node)
        if node is None:
            return
        line = ctx.line(ctx.marked_map("TL315 sites").get(id(output), output.node))
        where = f" (line {line})" if line else ""
        ctx.report(self, node,
                   f"{dropout.short} comes after the output layer {output.short}{where}: while training it randomly zeroes "
                   f"the scores the loss is computed on; put the dropout before the output layer",
                   related=[(output.node, "the output layer")] if output.node is not None else [])

    def _model(self, ctx, model):
        if isinstance(model, Container) and model.kind == "keras.Model" and isinstance(model.outputs, Tensor):
            self._check(ctx, layer_chain(ctx, model.outputs, _CALLS, partial=True))
        elif isinstance(model, Container):
            self._check(ctx, expand(model))

    def on_layer_call(self, ctx, ev):
        if note_call(ctx, ev, _CALLS) and isinstance(ev.layer, Layer):
            ctx.mark("TL315 sites", (id(ev.layer), ev.node))

    def on_compile(self, ctx, ev):
        self._model(ctx, ev.model)

    def on_fit(self, ctx, ev):
        if ev.method in ("fit", "train_on_batch"):
            self._model(ctx, ev.model)

    def on_loss_call(self, ctx, ev):
        if ev.fw == "torch" and ev.args:
            self._check(ctx, layer_chain(ctx, ev.args[0], _CALLS, partial=True))
