import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer, Tensor

_LAYER = "keras.layers.Normalization"
_NORMALIZED = "TL446 normalized"  # id(node that made a symbolic tensor) -> the Normalization call given it
_JOINED = "TL446 joined"  # (id(node that made a joined part), the join's node, the part's position)


def _symbolic(t) -> bool:
    return isinstance(t, Tensor) and t.fw == "keras" and t.node is not None


def _model_input(t) -> bool:
    """A symbolic tensor made by `Input(...)` (`keras.Input`, `layers.Input`): the model's data."""
    if not _symbolic(t) or type(t.node) is not cst.Call:
        return False
    func = t.node.func
    last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
    return last == "Input"


class NormalizedInputJoinedRaw(Rule):
    """
    ## What it does
    Finds a Keras model that standardizes an input with a `Normalization` layer and also
    joins that same input, unnormalized, into its graph: `normalized = norm(input_)` feeds
    one path while `Concatenate()([input_, hidden])` puts the raw features beside it. The
    tensor is the model input (made by `Input(...)`) that the program gave the
    `Normalization` layer, joined by `Concatenate`, `concatenate` or `tf.concat` in a
    functional model or in a subclassed model's `call`. Other normalizations
    (`LayerNormalization`, `BatchNormalization`) and layer outputs are left alone: a residual
    join of a layer's input and its normalized output is a design.

    ## Why is this bad?
    The program normalizes the input because its features come at different scales; the
    joined raw copy brings those scales back into the layers after the join. Nothing fails:
    the weights of the raw features must absorb the scales (large features dominate the first
    gradients, small ones barely move), training is slower and less stable, and the model is
    not the one described, which feeds the normalized input to both paths. The usual case is a
    wide-and-deep model whose wide path was meant to take the normalized input too.

    ## Example
    ```python
    input_ = tf.keras.layers.Input(shape=(8,))
    normalized = norm_layer(input_)
    hidden = tf.keras.layers.Dense(30, activation="relu")(normalized)
    concat = tf.keras.layers.Concatenate()([input_, hidden])
    ```

    ## Use instead
    ```python
    concat = tf.keras.layers.Concatenate()([normalized, hidden])
    ```

    ## Fix safety
    There is no automatic fix: whether the raw input is meant there is the author's choice.
    """

    code = "TL446"
    name = "normalized-input-joined-raw"
    severity = Severity.WARNING
    summary = "A Keras model joins an input that its Normalization layer standardizes, unnormalized, beside its other paths."
    failing = (
        "import numpy as np\nimport tensorflow as tf\n\nX_train = np.random.rand(1000, 8) * 100\ny_train = np.random.rand(1000, 1)\n"
        "norm_layer = tf.keras.layers.Normalization()\ninput_ = tf.keras.layers.Input(shape=(8,))\n"
        "normalized = norm_layer(input_)\nhidden1 = tf.keras.layers.Dense(30, activation='relu')(normalized)\n"
        "hidden2 = tf.keras.layers.Dense(30, activation='relu')(hidden1)\n"
        "concat = tf.keras.layers.Concatenate()([input_, hidden2])  # TL446\noutput = tf.keras.layers.Dense(1)(concat)\n"
        "model = tf.keras.Model(inputs=[input_], outputs=[output])\nmodel.compile(loss='mse', optimizer='adam')\n"
        "norm_layer.adapt(X_train)\nmodel.fit(X_train, y_train, epochs=2)\n",
        "import keras\nfrom keras import layers\n\n\nclass WideAndDeep(keras.Model):\n"
        "    def __init__(self, units=30, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.norm = layers.Normalization()\n        self.hidden = layers.Dense(units, activation='relu')\n"
        "        self.out = layers.Dense(1)\n\n    def call(self, inputs):\n        h = self.hidden(self.norm(inputs))\n"
        "        return self.out(layers.concatenate([h, inputs]))  # TL446\n\n\n"
        "model = WideAndDeep()\ny = model(keras.Input(shape=(8,)))\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\n\nX_train = np.random.rand(1000, 8) * 100\ny_train = np.random.rand(1000, 1)\n"
        "norm_layer = tf.keras.layers.Normalization()\ninput_ = tf.keras.layers.Input(shape=(8,))\n"
        "normalized = norm_layer(input_)\nhidden1 = tf.keras.layers.Dense(30, activation='relu')(normalized)\n"
        "hidden2 = tf.keras.layers.Dense(30, activation='relu')(hidden1)\n"
        "concat = tf.keras.layers.Concatenate()([normalized, hidden2])\noutput = tf.keras.layers.Dense(1)(concat)\n"
        "model = tf.keras.Model(inputs=[input_], outputs=[output])\nmodel.compile(loss='mse', optimizer='adam')\n"
        "norm_layer.adapt(X_train)\nmodel.fit(X_train, y_train, epochs=2)\n",
    )
    lookalikes = (
        # two inputs, each normalized by its own layer; a join of two layers' outputs
        "import tensorflow as tf\n\ninput_wide = tf.keras.layers.Input(shape=[5])\ninput_deep = tf.keras.layers.Input(shape=[6])\n"
        "norm_wide = tf.keras.layers.Normalization()(input_wide)\nnorm_deep = tf.keras.layers.Normalization()(input_deep)\n"
        "hidden = tf.keras.layers.Dense(30, activation='relu')(norm_deep)\n"
        "concat = tf.keras.layers.concatenate([norm_wide, hidden])\nx = tf.keras.layers.Dense(6)(concat)\n"
        "both = tf.keras.layers.Concatenate()([x, hidden])\noutput = tf.keras.layers.Dense(1)(both)\n"
        "model = tf.keras.Model(inputs=[input_wide, input_deep], outputs=[output])\n",
        # arrays joined outside any model, the normalization applied to an array
        "import numpy as np\nimport tensorflow as tf\n\nX_a = np.random.rand(100, 4)\nX_b = np.random.rand(50, 4)\n"
        "norm = tf.keras.layers.Normalization()\nnorm.adapt(X_a)\nscaled = norm(X_a)\nX_all = np.concatenate([X_a, X_b])\n",
    )

    def on_layer_call(self, ctx, ev):
        layer = ev.sublayer if ev.sublayer is not None else ev.layer
        if isinstance(layer, Layer) and layer.kind == _LAYER and ev.args and _model_input(ev.args[0]):
            ctx.mark(_NORMALIZED, (id(ev.args[0].node), ev.node))

    def on_join(self, ctx, ev):
        if ev.stack or not any(_symbolic(p) for p in ev.parts):
            return
        for i, part in enumerate(ev.parts):
            if _model_input(part):
                ctx.mark(_JOINED, (id(part.node), ev.node, i))

    def on_module(self, ctx, ev):
        joined = ctx.marked(_JOINED)
        if not joined:
            return
        normalized = ctx.marked_map(_NORMALIZED)
        for made, node, i in joined:
            norm_call = normalized.get(made)
            if norm_call is None:
                continue
            ctx.report(self, node,
                       f"part {i + 1} of this join is the input that the Normalization layer at line {ctx.line(norm_call)} "
                       f"standardizes, joined raw: the layers after it get the unscaled features beside the normalized "
                       f"path; join the Normalization layer's output instead",
                       related=[(norm_call, "the same input normalized here")])
