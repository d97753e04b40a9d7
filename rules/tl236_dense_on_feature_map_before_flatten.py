from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Container, Layer, Tensor

from ._chains import expand, layer_chain, note_call

# layers whose output is an image-like feature map (batch, rows, cols[, depth], channels)
_SPATIAL = frozenset({
    "Conv2D", "Conv3D", "Convolution2D", "Convolution3D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose",
    "Conv3DTranspose", "Deconvolution2D", "MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D", "MaxPooling3D",
    "MaxPool3D", "AveragePooling3D", "AvgPool3D", "UpSampling2D", "UpSampling3D", "ZeroPadding2D", "ZeroPadding3D",
    "Cropping2D", "Cropping3D",
})
# layers that keep the shape of what they get
_KEEP = frozenset({
    "Activation", "Dropout", "SpatialDropout2D", "SpatialDropout3D", "BatchNormalization", "LayerNormalization",
    "LeakyReLU", "ReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "ActivityRegularization",
})
_CALLS = "TL236 calls"


def _dense_before_flatten(layers) -> list:
    """(Dense, Flatten) pairs of Keras layers, first to last: a Dense applied to a feature map made
    by a convolution or pooling (through layers that keep the shape), whose output reaches a
    Flatten the same way."""
    found, spatial, pending = [], False, []
    for layer in layers:
        short = layer.short if isinstance(layer, Layer) and layer.fw == "keras" else None
        if short in _SPATIAL:
            spatial, pending = True, []
        elif short in _KEEP:
            continue
        elif short == "Dense" and spatial:
            pending.append(layer)
        elif short == "Flatten" and pending:
            found.append((pending[0], layer))
            spatial, pending = False, []
        else:
            spatial, pending = False, []
    return found


class DenseOnFeatureMapBeforeFlatten(Rule):
    """
    ## What it does
    Finds a Keras `Dense` layer applied to the feature map of a 2-D or 3-D convolution or
    pooling layer (through activations, dropout or normalization only) whose output is then
    flattened: `Conv2D -> MaxPooling2D -> Dense(64) -> Flatten -> Dense(10)`, in a `Sequential`
    model or along a functional model's path.

    ## Why is this bad?
    `Dense` acts on the last axis only: on a (rows, cols, channels) feature map it maps the
    channels of each position separately, with the same weights everywhere (a 1x1
    convolution), and never sees the feature vector of the whole map. The `Flatten` after it
    shows the intent: a fully connected layer over all the features, which needs the
    `Flatten` first. The model still trains, with a per-pixel layer in place of the hidden
    layer that was meant, and usually fits worse.

    ## Example
    ```python
    model = keras.Sequential([
        keras.Input((150, 150, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Dense(64, activation="relu"),
        layers.Flatten(),
        layers.Dense(4),
    ])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.Input((150, 150, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(4),
    ])
    ```

    ## Fix safety
    There is no automatic fix: a per-position layer may be meant (then a 1x1 `Conv2D` says so).
    """

    code = "TL236"
    triggers = ("Flatten",)
    name = "dense-on-feature-map-before-flatten"
    severity = Severity.WARNING
    summary = "A Dense layer applied to a convolution's feature map and flattened afterwards: it maps each position's channels alone, not the whole feature vector."
    failing = (
        "from keras import Sequential\nfrom keras.layers import Activation, Conv2D, Dense, Flatten, MaxPooling2D\n\n"
        "model = Sequential()\nmodel.add(Conv2D(64, (3, 3), input_shape=(150, 150, 1)))\nmodel.add(Activation('relu'))\n"
        "model.add(MaxPooling2D(pool_size=2))\nmodel.add(Dense(64))  # TL236\nmodel.add(Activation('relu'))\n"
        "model.add(Flatten())\nmodel.add(Dense(4))\nmodel.compile(loss='mse', optimizer='adam')\n",
        "import tensorflow as tf\n\ninputs = tf.keras.Input((32, 32, 3))\n"
        "x = tf.keras.layers.Conv2D(16, 3, activation='relu')(inputs)\nx = tf.keras.layers.BatchNormalization()(x)\n"
        "x = tf.keras.layers.Dense(32, activation='relu')(x)  # TL236\nx = tf.keras.layers.Dropout(0.5)(x)\n"
        "x = tf.keras.layers.Flatten()(x)\noutputs = tf.keras.layers.Dense(10)(x)\n"
        "model = tf.keras.Model(inputs, outputs)\nmodel.compile(optimizer='adam', loss='mse')\n",
    )
    passing = (
        "from keras import Sequential\nfrom keras.layers import Activation, Conv2D, Dense, Flatten, MaxPooling2D\n\n"
        "model = Sequential()\nmodel.add(Conv2D(64, (3, 3), input_shape=(150, 150, 1)))\nmodel.add(Activation('relu'))\n"
        "model.add(MaxPooling2D(pool_size=2))\nmodel.add(Flatten())\nmodel.add(Dense(64))\nmodel.add(Activation('relu'))\n"
        "model.add(Dense(4))\nmodel.compile(loss='mse', optimizer='adam')\n",
    )
    lookalikes = (
        # a Dense per position kept as a map (segmentation head), a Dense after global pooling,
        # a Dense on a sequence of 1-D convolution features, a Dense after a Reshape
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
        "seg = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, padding='same'), layers.Dense(5, activation='softmax')])\n"
        "seg.compile(optimizer='adam', loss='categorical_crossentropy')\n"
        "pooled = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D(),\n"
        "                           layers.Dense(16), layers.Flatten(), layers.Dense(2)])\n"
        "pooled.compile(optimizer='adam', loss='mse')\n"
        "seq = keras.Sequential([keras.Input((100, 8)), layers.Conv1D(16, 3), layers.Dense(8), layers.Flatten(), layers.Dense(1)])\n"
        "seq.compile(optimizer='adam', loss='mse')\n"
        "rows = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Reshape((26, 104)),\n"
        "                         layers.Dense(32), layers.Flatten(), layers.Dense(10)])\n"
        "rows.compile(optimizer='adam', loss='mse')\n",
    )

    def on_layer_call(self, ctx, ev):
        if "Flatten" in ctx.text:
            note_call(ctx, ev, _CALLS)

    def on_compile(self, ctx, ev):
        if "Flatten" not in ctx.text:
            return
        model = ev.model
        if isinstance(model, Container) and model.kind == "keras.Model" and isinstance(model.outputs, Tensor):
            layers = layer_chain(ctx, model.outputs, _CALLS, partial=True) or []
        elif isinstance(model, Container):
            layers = expand(model) or []
        else:
            return
        done = ctx.__dict__.setdefault("_tl236_done", set())
        for dense, flatten in _dense_before_flatten(layers):
            node = dense.node
            if node is None or id(node) in done:
                continue
            done.add(id(node))
            units = dense.facts.get("units")
            what = f"Dense({units})" if isinstance(units, int) else "Dense"
            ctx.report(self, node,
                       f"{what} is applied to the feature map of a convolution or pooling layer and flattened only after: "
                       f"it maps each position's channels alone, with the same weights at every position (a 1x1 "
                       f"convolution), and never sees the whole feature vector; put the Flatten before it (or use a "
                       f"1x1 Conv2D where a per-position layer is meant)",
                       related=[(flatten.node, "flattened here")] if flatten.node is not None else [])
