from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Layer, Tensor

from ._chains import expand, layer_chain, note_call

# layers that compute an affine map of their input when they apply no activation
_AFFINE = {
    "keras": ("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
              "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D"),
    "torch": ("Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "LazyLinear",
              "LazyConv1d", "LazyConv2d", "LazyConv3d"),
}
# layers whose output is a linear function of their input (batch statistics aside): they keep a stack linear
_LINEAR = {
    "keras": ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "Flatten",
              "Reshape", "BatchNormalization", "InputLayer", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
              "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "ZeroPadding2D", "Permute",
              "RepeatVector", "ActivityRegularization"),
    "torch": ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "Flatten", "Unflatten", "Identity",
              "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "AdaptiveAvgPool1d",
              "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d"),
}
# pooling keeps a nonnegative input nonnegative
_POOL = ("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "MaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
         "GlobalMaxPooling3D", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d")
_CLIPPING = ("relu", "relu6")
_OUTPUT_ACTS = ("Softmax", "LogSoftmax", "Sigmoid")
_CALLS = "TL311 calls"  # the layer calls noted for layer_chain


def _activation(layer):
    """The activation a Keras layer applies: a lower-case name, "linear" when none, None when unknown."""
    if layer.fw != "keras":
        return "linear"
    act = layer.facts.get("activation")
    if act is None or (isinstance(act, Const) and act.value is None):
        return "linear"
    return act.lower() if isinstance(act, str) else None


def _kind(layer) -> str:
    """affine | linear | output | clip | pool | other, for one framework layer."""
    if not isinstance(layer, Layer) or layer.fw not in _AFFINE:
        return "other"
    short = layer.short
    if short in _AFFINE[layer.fw]:
        act = _activation(layer)
        return "affine" if act == "linear" else ("clip-affine" if act in _CLIPPING else "other")
    if short in _LINEAR[layer.fw]:
        return "linear"
    if short == "Activation":
        act = _activation(layer)
        return "linear" if act == "linear" else ("softmax" if act == "softmax" else ("clip" if act in _CLIPPING else "other"))
    if short in ("ReLU", "ReLU6"):
        return "clip"
    if short in _POOL:
        return "pool"
    if short == "Softmax":
        return "softmax"
    if short in _OUTPUT_ACTS:
        return "output"
    return "other"


_TORCH_ACTS = ("Softmax", "LogSoftmax", "Sigmoid", "Tanh", "ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Softplus",
               "Hardtanh", "Hardsigmoid", "Mish", "SELU", "PReLU")


def _output_activation(layer) -> bool:
    """Whether `layer` is an activation layer whose function is known (a model's output function)."""
    if not isinstance(layer, Layer):
        return False
    if layer.fw == "keras":
        return layer.short in ("Softmax", "ReLU", "LeakyReLU", "PReLU", "ELU") or (
            layer.short == "Activation" and _activation(layer) is not None)
    return layer.fw == "torch" and layer.short in _TORCH_ACTS


def _linear_model(layers):
    """The affine layers of a model whose layers (first to last) apply no nonlinearity before
    the output's own activation, when there are two or more of them; else None."""
    body = list(layers)
    while body and _kind(body[-1]) == "linear":
        body.pop()  # a dropout/flatten after the output
    if body and _output_activation(body[-1]):
        body.pop()  # the output's own activation
    while body and _kind(body[-1]) == "linear":
        body.pop()
    if not body:
        return None
    last = body[-1]
    if isinstance(last, Layer) and last.short in _AFFINE.get(last.fw, ()) and _activation(last) is not None:
        head = body[:-1]  # the last affine layer may apply the output activation itself
        affine = [l for l in head if _kind(l) == "affine"] + [last]
    else:
        return None
    if not all(_kind(l) in ("affine", "linear") for l in head):
        return None
    return affine if len(affine) >= 2 and _no_bottleneck(affine) else None


def _width(layer, key):
    """A layer's output ("out") or input ("in") width (units, features or channels) when known."""
    from tensorlint.frameworks.shapes import known_int

    names = {"out": ("units", "filters", "out_features", "out_channels"), "in": ("in_features", "in_channels")}[key]
    for name in names:
        v = layer.facts.get(name)
        v = v.value if isinstance(v, Const) else v
        if known_int(v) and not isinstance(v, bool):
            return v
    return None


def _no_bottleneck(affine) -> bool:
    """Whether the stack is known not to narrow below both its input and its output width. A
    linear stack with a narrower hidden layer computes a low-rank map, which can be the point
    (PCA by a linear autoencoder, word2vec's two matrices, a factorized layer); without one it
    computes nothing a single layer could not."""
    hidden = [_width(l, "out") for l in affine[:-1]]
    if not hidden or any(h is None for h in hidden):
        return False
    narrowest = min(hidden)
    out, into = _width(affine[-1], "out"), _width(affine[0], "in")
    return (out is not None and narrowest >= out) or (into is not None and narrowest >= into)


# fully connected layers: two of them in a row without a nonlinearity are one layer
_FULLY_CONNECTED = ("Dense", "Linear", "LazyLinear")


def _hidden_stack(layers):
    """Two or more fully connected layers without activation in a row (dropout, batch
    normalization and the like between them) that an activation layer follows before more
    layers: hidden layers meant to be nonlinear whose activation was applied only once; else
    None. A stack at the model's end (a linear head) is not this."""
    run, affine = [], []
    for i, layer in enumerate(layers):
        k = _kind(layer)
        if k == "affine" and layer.short in _FULLY_CONNECTED:
            run.append(layer)
            affine.append(layer)
            continue
        if k == "linear" and affine:
            run.append(layer)
            continue
        if len(affine) >= 2 and i + 1 < len(layers) and (k == "clip" or (
                _output_activation(layer) and _activation(layer) not in (None, "linear"))) \
                and _no_bottleneck(affine):
            return affine
        run, affine = [], []
    return None


def _clipped_scores(layers):
    """The layer whose ReLU clips the class scores when `layers` ends in a softmax; else None."""
    if not layers or _kind(layers[-1]) != "softmax":
        return None
    for layer in reversed(layers[:-1]):
        k = _kind(layer)
        if k in ("linear", "pool"):
            continue
        return layer if k in ("clip", "clip-affine") else None
    return None


class MissingNonlinearity(Rule):
    """
    ## What it does
    Finds networks whose nonlinearity is missing where the model needs it:
    - a model whose path from input to output goes through two or more affine layers (Keras
      `Dense`/`Conv*` without activation, torch `nn.Linear`/`nn.Conv*`) with nothing nonlinear
      between them: dropout, batch normalization, flattening and average pooling are linear too.
      Only the output's own activation (a softmax or sigmoid on the last layer) may follow. A stack
      whose hidden layer is narrower than both its input and its output is left alone: that is a
      low-rank map, often the point (a linear autoencoder, word2vec), and so is a stack whose
      widths are not known;
    - inside a model with nonlinear layers, two or more fully connected layers (`Dense`,
      `nn.Linear`) without activation in a row, followed by an activation layer and then more
      layers: hidden layers whose activation is applied only once, after the last of them (an
      activation added after a loop that adds the hidden layers instead of inside it). Two
      linear layers at the model's end, before its output activation, are a linear head and
      are left alone, and so are convolutions and narrower (bottleneck) hidden layers;
    - a ReLU on the layer that produces the class scores right before a softmax (a final
      `Dense`/`Conv2D` with `activation="relu"`, or a `ReLU` layer, followed only by pooling,
      flattening or dropout and then the softmax).

    The rule reads the layers the model's data actually flows through: a Keras or torch
    `Sequential`, a Keras functional model, and a torch module whose `forward` calls its layers
    one after another. An activation applied anywhere on the way (`F.relu`, `torch.tanh`,
    `x.clamp`, a `LeakyReLU` layer, max pooling) keeps it silent.

    ## Why is this bad?
    A composition of affine maps is one affine map: `W2 (W1 x + b1) + b2 = W x + b`. The extra
    layers add parameters and no capacity, so the network is a linear (or logistic) regression
    and cannot fit anything nonlinear, such as XOR or a polynomial. A ReLU before a softmax
    clips every negative class score to 0: those classes become indistinguishable and get no
    gradient, and training often stalls at chance level.

    ## Example
    ```python
    model = Sequential([Input((784,)), Dense(30), Dense(10, activation="softmax")])
    ```

    ## Use instead
    ```python
    model = Sequential([Input((784,)), Dense(30, activation="relu"), Dense(10, activation="softmax")])
    ```

    ## Fix safety
    There is no automatic fix: which activation belongs where is for the author to say.
    """

    code = "TL311"
    name = "missing-nonlinearity"
    severity = Severity.WARNING
    summary = "Affine layers stacked without a nonlinearity collapse to one linear map, or a ReLU clips the class scores before a softmax."
    failing = (
        "from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential()\n"
        "model.add(Dense(30, input_shape=(784,)))  # TL311\nmodel.add(Dense(10, activation='softmax'))\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n",
        "import tensorflow as tf\ninputs = tf.keras.Input((13,))\nh = tf.keras.layers.Dense(64)(inputs)  # TL311\n"
        "h = tf.keras.layers.Dropout(0.2)(h)\nout = tf.keras.layers.Dense(1)(h)\nmodel = tf.keras.Model(inputs, out)\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.Linear(64, 3))  # TL311\n"
        "x, y = torch.randn(8, 20), torch.randint(0, 3, (8,))\nloss = nn.CrossEntropyLoss()(model(x), y)\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(10, 32)\n        self.fc2 = nn.Linear(32, 1)\n\n    def forward(self, x):\n"
        "        h = self.fc1(x)  # TL311\n        return self.fc2(h)\n\nnet = Net()\n"
        "loss = nn.MSELoss()(net(torch.randn(4, 10)), torch.randn(4, 1))\n",
        "from keras.models import Model\nfrom keras.layers import Input, Conv2D, GlobalAveragePooling2D, Activation\n"
        "inp = Input((32, 32, 3))\nx = Conv2D(32, 3, activation='relu')(inp)\nx = Conv2D(10, 1, activation='relu')(x)  # TL311\n"
        "x = GlobalAveragePooling2D()(x)\nx = Activation('softmax')(x)\nmodel = Model(inp, x)\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(64, activation='relu'),\n"
        "    tf.keras.layers.Dense(5, activation='relu'),  # TL311\n    tf.keras.layers.Softmax()])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\n",
    )
    passing = (
        "from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential()\n"
        "model.add(Dense(30, input_shape=(784,), activation='relu'))\nmodel.add(Dense(10, activation='softmax'))\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n",
    )
    lookalikes = (
        # the activation is applied functionally in forward
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc1 = nn.Linear(10, 32)\n        self.fc2 = nn.Linear(32, 1)\n\n    def forward(self, x):\n"
        "        return self.fc2(F.relu(self.fc1(x)))\n\nnet = Net()\nloss = nn.MSELoss()(net(torch.randn(4, 10)), torch.randn(4, 1))\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(10, 32)\n        self.fc2 = nn.Linear(32, 1)\n\n    def forward(self, x):\n"
        "        h = self.fc1(x).clamp(min=0)\n        return self.fc2(h)\n\nnet = Net()\nloss = nn.MSELoss()(net(torch.randn(4, 10)), torch.randn(4, 1))\n",
        # a LeakyReLU layer after a Dense without activation
        "from keras.models import Sequential\nfrom keras.layers import Dense, LeakyReLU\nmodel = Sequential()\n"
        "model.add(Dense(64, input_shape=(8,)))\nmodel.add(LeakyReLU())\nmodel.add(Dense(1))\nmodel.compile(optimizer='adam', loss='mse')\n",
        # a linear projection after an embedding, and a linear head after nonlinear hidden layers
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Embedding(100, 16), nn.Linear(16, 4))\n"
        "out = model(torch.randint(0, 100, (2, 5)))\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(64, activation='tanh'),\n"
        "    tf.keras.layers.Dense(16), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\n",
        # one affine layer: logistic regression on purpose
        "import torch.nn as nn\nimport torch\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))\nout = model(torch.randn(2, 1, 28, 28))\n",
        # ReLU hidden layer, softmax output without ReLU
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(64, activation='relu'),\n"
        "    tf.keras.layers.Dense(5), tf.keras.layers.Softmax()])\n",
    )

    def _report_linear(self, ctx, affine, hidden=False):
        sites = ctx.marked_map("TL311 sites")
        nodes = [sites.get(id(l), l.node) for l in affine]
        if not affine or nodes[0] is None:
            return
        key = id(nodes[0])
        done = ctx.__dict__.setdefault("_tl311_done", set())
        if key in done:
            return
        done.add(key)
        from ._common import layer_label
        names = ", ".join(layer_label(ctx, l) for l in affine)
        what = ("an activation follows only the last of them, so they compute what one layer computes; add an activation "
                "to each hidden layer" if hidden else
                "so the model is a linear model however many layers it has; add an activation to the hidden layers")
        ctx.report(self, nodes[0],
                   f"{len(affine)} affine layers with no nonlinearity between them ({names}): together they are one "
                   f"linear map, {what}",
                   related=[(n, f"{l.short} without activation") for l, n in zip(affine[1:], nodes[1:]) if n is not None])

    def _report_clip(self, ctx, layer, softmax_node):
        node = ctx.marked_map("TL311 sites").get(id(layer), layer.node)
        done = ctx.__dict__.setdefault("_tl311_done", set())
        if node is None or id(node) in done:
            return
        done.add(id(node))
        from ._common import layer_label
        ctx.report(self, node,
                   f"{layer_label(ctx, layer)} applies ReLU to the class scores that the softmax then normalizes: every "
                   f"negative score is clipped to 0, so those classes look alike and get no gradient; remove the ReLU from this layer",
                   related=[(softmax_node, "softmax here")] if softmax_node is not None else [])

    def _check(self, ctx, layers, softmax_node=None):
        if not layers:
            return
        affine = _linear_model(layers)
        if affine:
            self._report_linear(ctx, affine)
        else:
            stack = _hidden_stack(layers)
            if stack:
                self._report_linear(ctx, stack, hidden=True)
        clip = _clipped_scores(layers)
        if clip is not None:
            self._report_clip(ctx, clip, softmax_node if softmax_node is not None else layers[-1].node)

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        x = ev.args[0] if ev.args else None
        direct = ev.container is None or ev.container is layer
        if note_call(ctx, ev, _CALLS) and isinstance(layer, Layer):
            ctx.mark("TL311 sites", (id(layer), ev.node))
        if isinstance(layer, Container) and direct:
            layers = expand(layer)
            clip = _clipped_scores(layers) if layers else None
            if clip is not None:
                self._report_clip(ctx, clip, layers[-1].node)
        if isinstance(layer, Layer) and _kind(layer) == "softmax":
            chain = layer_chain(ctx, x, _CALLS, partial=True)
            clip = _clipped_scores((chain or []) + [layer])
            if clip is not None:
                self._report_clip(ctx, clip, ev.node)

    def _model(self, ctx, model):
        if isinstance(model, Container) and model.kind == "keras.Model" and isinstance(model.outputs, Tensor):
            self._check(ctx, layer_chain(ctx, model.outputs, _CALLS) or [])
        elif isinstance(model, Container):
            layers = expand(model)
            if layers:
                self._check(ctx, layers)

    def on_compile(self, ctx, ev):
        self._model(ctx, ev.model)

    def on_fit(self, ctx, ev):
        self._model(ctx, ev.model)

    def on_loss_call(self, ctx, ev):
        if ev.fw == "torch" and ev.args:
            self._check(ctx, layer_chain(ctx, ev.args[0], _CALLS) or [])
