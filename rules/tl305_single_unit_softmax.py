from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Layer, Tensor, shape_list

from ._common import keyword_arg
from ._losses import keras_output


def softmax_axis(ev):
    """The axis a softmax method call normalizes over (None when not known)."""
    r = ev.receiver
    if r.fw in ("tf", "keras"):
        # `dim=` is TensorFlow 1's name of `axis=` (tf.nn.softmax(logits, axis=None, name=None, dim=None))
        v = ev.kwargs.get("axis", ev.kwargs.get("dim", ev.args[0] if ev.args else Const(-1)))
    else:
        v = ev.kwargs.get("dim", ev.args[0] if ev.args else None)
        if v is None or (isinstance(v, Const) and v.value is None):
            rank = r.rank  # torch's implicit dim: 0 for rank 0, 1 and 3, else 1
            return None if rank is None else (0 if rank in (0, 1, 3) else 1)
    return v.value if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool) else None


def sigmoid_fix(ctx, layer_node):
    """`activation="softmax"` -> `activation="sigmoid"` in a Keras layer's constructor."""
    kw = keyword_arg(layer_node, "activation")
    arg = kw.value if kw is not None else None
    if arg is None and layer_node is not None and len(layer_node.args) > 1 and layer_node.args[1].keyword is None:
        arg = layer_node.args[1].value
    if arg is None or not hasattr(arg, "value") or not isinstance(arg.value, str) or "softmax" not in arg.value:
        return None
    span = ctx.span(arg)
    if span is None:
        return None
    return Fix("Use `sigmoid`", (Edit(span, arg.value.replace("softmax", "sigmoid")),), Applicability.UNSAFE)


class SingleUnitSoftmax(Rule):
    """
    ## What it does
    Finds softmax over an axis of size 1: `Dense(1, activation="softmax")`, a `Softmax`
    layer after `Linear(_, 1)`, `F.softmax(x, dim=1)` / `tf.nn.softmax(x)` on a tensor whose
    softmax axis has one element.

    ## Why is this bad?
    Softmax normalizes over the axis: with one element the output is always exactly 1.0,
    whatever the input. Predictions never change, the gradient through the softmax is zero and
    the layers before it never learn. It is usually a binary classifier that wanted `sigmoid`.

    ## Example
    ```python
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, activation="softmax")])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, activation="sigmoid")])
    ```

    ## Fix safety
    Switching to `sigmoid` is unsafe: the layer may instead need one unit per class.
    """

    code = "TL305"
    name = "single-unit-softmax"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "Softmax over an axis of size 1: the output is always 1."
    failing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Input(shape=(10,)),\n    keras.layers.Dense(1, activation='softmax'),  # TL305\n])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(\n    nn.Linear(4, 1),\n    nn.Softmax(dim=1),  # TL305\n)\nout = model(torch.randn(20, 4))\n",
        "import torch\nimport torch.nn.functional as F\nscore = torch.randn(8, 1)\np = F.softmax(score, dim=1)  # TL305\n",
    )
    passing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Input(shape=(10,)),\n    keras.layers.Dense(1, activation='sigmoid'),\n])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\n",
    )
    lookalikes = (
        # softmax over the batch axis of one column: odd, but not always 1
        "import torch\nscores = torch.randn(8, 1)\nweights = torch.softmax(scores, dim=0)\n",
        "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n",
        "import tensorflow as tf\nattn = tf.nn.softmax(tf.random.normal((2, 5, 7)))\n",
        # TF1 spells the axis `dim=`: axis 2 has 10 elements, the last axis one
        "import tensorflow as tf\nraw = tf.zeros([4, 1152, 10, 1, 1])\nweights = tf.nn.softmax(raw, dim=2)\n",
    )

    def on_method_call(self, ctx, ev):
        if ev.method != "softmax" or not isinstance(ev.receiver, Tensor):
            return
        axis = softmax_axis(ev)
        if axis is None or ev.receiver.dim(axis) != 1:
            return
        ctx.report(self, ev.node, f"softmax over dim {axis} of a tensor of shape {shape_list(ev.receiver.shape)}: that axis has one element, so the result is always 1.0")

    def on_layer_call(self, ctx, ev):
        layer = ev.sublayer
        x = ev.args[0] if ev.args else None
        if not isinstance(layer, Layer) or not isinstance(x, Tensor):
            return
        if layer.kind == "torch.nn.Softmax":
            dim = layer.facts.get("dim")
            if dim is None:
                dim = None if x.rank is None else (0 if x.rank in (0, 1, 3) else 1)
            if isinstance(dim, int) and not isinstance(dim, bool) and x.dim(dim) == 1:
                ctx.report(self, ev.site.node, f"Softmax(dim={dim}) gets a tensor of shape {shape_list(x.shape)}: one element on that axis, so the output is always 1.0")
        elif layer.fw == "keras":
            self._keras_layer(ctx, layer)

    def _keras_layer(self, ctx, layer):
        act = layer.facts.get("activation")
        if layer.short == "Dense" and layer.facts.get("units") == 1 and isinstance(act, str) and act.lower() == "softmax":
            ctx.report(self, layer.node, "Dense(1) with softmax: softmax over a single unit is always 1.0, so the model cannot learn",
                       fix=sigmoid_fix(ctx, layer.node))

    def _keras_model(self, ctx, model):
        if not isinstance(model, Container) or model.fw != "keras":
            return
        for layer in model.layers:
            if isinstance(layer, Layer):
                self._keras_layer(ctx, layer)
        out = keras_output(model)
        if out is not None and out[0] == 1 and out[1] == "softmax" and model.layers and isinstance(model.layers[-1], Layer) and model.layers[-1].short in ("Activation", "Softmax"):
            ctx.report(self, model.layers[-1].node, "softmax after a single-unit Dense layer is always 1.0, so the model cannot learn")

    def on_compile(self, ctx, ev):
        self._keras_model(ctx, ev.model)

    def on_fit(self, ctx, ev):
        self._keras_model(ctx, ev.model)
