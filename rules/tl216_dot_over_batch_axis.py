from tensorlint.findings import Severity
from tensorlint.frameworks.keras.layer_rules import dot_axes
from tensorlint.rule import Rule
from tensorlint.values import Layer, MutableList, Seq, Tensor, shape_list


def _ranks(args) -> tuple:
    items = args[0].items if args and isinstance(args[0], (Seq, MutableList)) else ()
    ranks = tuple(t.rank if isinstance(t, Tensor) else None for t in items)
    return ranks if len(ranks) == 2 else (None, None)


class DotOverBatchAxis(Rule):
    """
    ## What it does
    Finds a Keras `Dot` layer (`keras.layers.Dot`, `keras.layers.dot`, `K.batch_dot`) whose
    `axes` name axis 0. Keras counts a `Dot` layer's axes with the batch axis included, so axis 0
    is the batch, not the first feature axis.

    ## Why is this bad?
    A dot product over the batch axis multiplies the samples of a batch with one another instead
    of the features of each sample: Keras 3 and tf.keras raise `Cannot perform batch_dot over
    axis 0` when the layer runs, and older Keras computed a tensor whose rows mix the batch, so a
    similarity model (skip-gram, siamese network, attention) learned from the wrong products.

    ## Example
    ```python
    word = keras.layers.Reshape((300,))(word_embedding)
    context = keras.layers.Reshape((300,))(context_embedding)
    similarity = keras.layers.Dot(axes=0)([word, context])
    ```

    ## Use instead
    ```python
    similarity = keras.layers.Dot(axes=1)([word, context])  # or axes=-1: the feature axis
    ```

    ## Fix safety
    There is no automatic fix: which feature axis was meant depends on the inputs.
    """

    code = "TL216"
    name = "dot-over-batch-axis"
    severity = Severity.ERROR
    summary = "A Keras Dot layer or batch_dot whose axes include axis 0, the batch axis."
    failing = (
        "import keras\na = keras.Input((300,))\nb = keras.Input((300,))\nsim = keras.layers.Dot(axes=0)([a, b])  # TL216\n",
        "from tensorflow.keras.layers import Input, dot\nq = Input(shape=(10, 64))\nk = Input(shape=(12, 64))\nscores = dot([q, k], axes=(0, 2))  # TL216\n",
    )
    passing = (
        "import keras\na = keras.Input((300,))\nb = keras.Input((300,))\nsim = keras.layers.Dot(axes=1)([a, b])\n",
    )
    lookalikes = (
        # tf.tensordot counts no batch axis: axes=0 is an outer product
        "import tensorflow as tf\nouter = tf.tensordot(tf.ones([3]), tf.ones([4]), axes=0)\n",
        # a negative axis counts from the end: the feature axis
        "import keras\na = keras.Input((7, 300))\nsim = keras.layers.Dot(axes=-1)([a, a])\n",
    )

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        if not isinstance(layer, Layer) or layer.kind != "keras.layers.Dot":
            return
        axes = dot_axes(layer.facts.get("axes"), _ranks(ev.args))
        if axes is None or 0 not in axes:
            return
        items = ev.args[0].items if ev.args and isinstance(ev.args[0], (Seq, MutableList)) else ()
        shapes = [shape_list(t.shape) for t in items if isinstance(t, Tensor) and t.shape is not None]
        inputs = f" of inputs {' and '.join(shapes)}" if len(shapes) == 2 else ""
        at = layer.node if layer.node is not None and ctx.line(layer.node) else ev.node
        ctx.report(self, at,
                   f"{layer.short}(axes={layer.facts.get('axes')!r}){inputs} takes the dot product over axis 0, the batch "
                   f"axis (Keras counts a Dot layer's axes with the batch axis): Keras 3 and tf.keras raise 'Cannot "
                   f"perform batch_dot over axis 0', older Keras multiplies the samples of the batch together; "
                   f"use the feature axis (axes=1 or -1)",
                   related=[(ev.node, "applied here")] if at is not ev.node else [])
