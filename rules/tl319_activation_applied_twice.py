import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Container, Layer, Tensor

from .tl305_single_unit_softmax import softmax_axis

# activations whose second application is never meant: a sigmoid of values in [0, 1] lies in
# [0.5, 0.74), a softmax of a distribution is close to uniform
_TWICE = ("sigmoid", "softmax")
# layers that apply nothing and keep the activation of what they get
_PASS_THROUGH = frozenset(("Dropout", "Flatten", "Reshape", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise",
                           "GaussianDropout", "AlphaDropout", "ActivityRegularization"))


# reductions whose result is no longer in the activation's range (a sum of probabilities)
_SUMS = frozenset(("sum", "reduce_sum", "cumsum", "nansum", "add_n", "einsum", "reduce_logsumexp", "logsumexp"))


def _summed(t) -> bool:
    """Whether the tensor was last made by a sum-like call (its values leave (0, 1))."""
    node = t.node
    return type(node) is cst.Call and dotted(node.func).rpartition(".")[2] in _SUMS


def _layer_activation(layer):
    """The activation a Keras layer applies last, lower case; None when it applies none the
    tables name or it is not known."""
    act = layer.facts.get("activation")
    if layer.short == "Softmax":
        axis = layer.facts.get("axis", -1)
        return "softmax" if axis == -1 else None
    if isinstance(act, str):
        return act.lower()
    return None


def _applies_only(layer):
    """The activation an activation-only Keras layer (`Activation('sigmoid')`, `Softmax()`)
    applies over the last axis; None for any other layer."""
    if not isinstance(layer, Layer) or layer.fw != "keras" or layer.short not in ("Activation", "Softmax"):
        return None
    act = _layer_activation(layer)
    return act if act in _TWICE else None


def _output_activation(item, depth=0):
    """The activation the output of a Keras layer or Sequential model ends in; None when not
    known."""
    if isinstance(item, Layer):
        if item.fw != "keras" or item.short in _PASS_THROUGH:
            return None
        return _layer_activation(item)
    if isinstance(item, Container) and item.kind == "keras.Sequential" and item.layers and depth < 4:
        for layer in reversed(item.layers):
            if isinstance(layer, Layer) and layer.short in _PASS_THROUGH:
                continue
            if isinstance(layer, Layer) and layer.short == "Activation" and _layer_activation(layer) == "linear":
                continue
            return _output_activation(layer, depth + 1)
    if isinstance(item, Container) and item.kind == "keras.Model" and isinstance(item.outputs, Tensor):
        return item.outputs.activation
    return None


class ActivationAppliedTwice(Rule):
    """
    ## What it does
    Finds a sigmoid applied to values that already went through a sigmoid, or a softmax over
    the last axis applied to a softmax output: `tf.nn.sigmoid(model.predict(x))` or
    `torch.sigmoid(model(x))` when the model ends in a sigmoid, `Activation('sigmoid')` after
    `Dense(1, activation='sigmoid')`, `keras.Sequential([model, keras.layers.Softmax()])`
    around a model that ends in softmax. The first activation is followed through variables,
    `predict`, NumPy conversions, flattening and reshaping.

    ## Why is this bad?
    A sigmoid maps its input into [0, 1], and a sigmoid of that lies in [0.5, 0.74): every
    prediction thresholded at 0.5 is the positive class, and the probabilities reported are
    wrong. A softmax of a probability distribution is close to uniform (its inputs differ by at
    most 1), so the reported confidence is meaningless. Inside a model the second activation
    also flattens the gradients.

    ## Example
    ```python
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
    probs = tf.nn.sigmoid(model.predict(x))
    ```

    ## Use instead
    ```python
    probs = model.predict(x)
    ```

    ## Fix safety
    There is no automatic fix: either activation may be the one to remove.
    """

    code = "TL319"
    name = "activation-applied-twice"
    severity = Severity.WARNING
    summary = "A sigmoid of a sigmoid output, or a softmax of a softmax output: the result is not the probabilities meant."
    failing = (
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "pred = model.predict(tf.random.normal((4, 8))).flatten()\npred = tf.nn.sigmoid(pred)  # TL319\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "p = torch.sigmoid(net(torch.randn(4, 8)))  # TL319\n",
        "import keras\nmodel = keras.Sequential([\n    keras.Input((8,)),\n    keras.layers.Dense(3, activation='softmax'),\n"
        "    keras.layers.Softmax(),  # TL319\n])\nmodel.compile(loss='categorical_crossentropy')\n",
    )
    passing = (
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])\n"
        "pred = tf.nn.sigmoid(model.predict(tf.random.normal((4, 8))).flatten())\n",
    )
    lookalikes = (
        # a sigmoid on the output of a linear layer after a sigmoid; a softmax layer after a Dense that follows a softmax
        "import torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 4), nn.Sigmoid(), nn.Linear(4, 1))\n"
        "p = torch.sigmoid(net(torch.randn(4, 8)))\n",
        "import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation='softmax'), keras.layers.Dense(3), "
        "keras.layers.Softmax()])\n",
    )

    def on_method_call(self, ctx, ev):
        act = ev.method
        r = ev.receiver
        if act not in _TWICE or not isinstance(r, Tensor) or r.activation != act or _summed(r):
            return
        if act == "softmax" and not self._same_softmax_axis(ev, r):
            return
        line = ctx.line(r.origin) if r.origin is not None else None
        where = f" (from line {line})" if line and line != ctx.line(ev.node) else ""
        what = f"`{r.name}`" if r.name else "a value"
        ctx.report(self, ev.node, f"{act} applied to {what} that is already the output of a {act}{where}: "
                   + ("the result lies in [0.5, 0.74), so no prediction is below 0.5"
                      if act == "sigmoid" else "the result is close to uniform, not the predicted distribution"),
                   related=[(r.origin, f"the first {act}")] if r.origin is not None and r.origin is not ev.node else [])

    def _same_softmax_axis(self, ev, r):
        """A softmax over the last axis of the output of a Keras model or layer (whose softmax is
        over the last axis): both normalize the same axis."""
        axis = softmax_axis(ev)
        rank = r.rank
        last = axis == -1 or (rank is not None and axis == rank - 1)
        return last and bool(r.models) and r.fw in ("keras", "tf", "np")

    def on_layer_call(self, ctx, ev):
        layer = ev.sublayer if ev.sublayer is not None else ev.layer
        x = ev.args[0] if ev.args else None
        act = _applies_only(layer)
        if act is None or not isinstance(x, Tensor) or x.activation != act or _summed(x):
            return
        if act == "softmax" and not x.models:
            return
        ctx.report(self, ev.site.node if ev.site is not None else ev.node,
                   f"{layer.short} applies a {act} to a tensor that already went through a {act}")

    def _keras_model(self, ctx, model, depth=0):
        if not isinstance(model, Container) or model.kind != "keras.Sequential" or depth > 4:
            return
        before = None
        for layer in model.layers:
            if isinstance(layer, Container):
                self._keras_model(ctx, layer, depth + 1)
            act = _applies_only(layer)
            if act is not None and before == act and layer.node is not None:
                ctx.report(self, layer.node, f"{layer.short} applies a {act} to the output of a layer that already "
                           f"ends in a {act}")
            if isinstance(layer, Layer) and (layer.short in _PASS_THROUGH or (
                    layer.short == "Activation" and _layer_activation(layer) == "linear")):
                continue  # the identity: the activation before it is still the last one
            before = _output_activation(layer, depth + 1)

    def on_compile(self, ctx, ev):
        self._keras_model(ctx, ev.model)

    def on_fit(self, ctx, ev):
        self._keras_model(ctx, ev.model)

    def on_model(self, ctx, ev):
        self._keras_model(ctx, getattr(ev, "model", None))
