from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import shape_list

_SIAMESE = (
    "def euclidean_distance(vects):\n"
    "    x, y = vects\n"
    "    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))\n\n\n"
)
_BRANCHES = (
    "base = Sequential([Dense(128, activation='relu', input_shape=(784,))])\n"
    "input_a = Input(shape=(784,))\ninput_b = Input(shape=(784,))\n"
    "processed_a = base(input_a)\nprocessed_b = base(input_b)\n"
)


def _dims(shape) -> str:
    return shape_list(tuple("batch" if i == 0 and not isinstance(d, int) else d for i, d in enumerate(shape)))


class LambdaOutputShape(Rule):
    """
    ## What it does
    Finds a Keras `Lambda` layer whose declared `output_shape` (a tuple, or a function of the
    input shapes) disagrees with the shape its own function computes on the tensors it is
    applied to: both shapes known, of the same rank, and different on a known axis after the
    batch axis. A distance layer that reduces two `(batch, 128)` embeddings to `(batch, 1)`
    but declares the shape of its first input, `(batch, 128)`, is the usual case.

    ## Why is this bad?
    Keras takes the declared shape as the layer's output shape instead of running the function
    to find it (Keras 2 always; Keras 3 whenever `output_shape` is given). Every layer after
    the `Lambda` is then built for the wrong shape, and as the model's output it is the shape
    the targets are checked against: `fit` fails with `Error when checking target: expected
    lambda_1 to have shape (128,) but got array with shape (1,)`, or a `Dense` after it gets
    weights for 128 features and fails once the real `(batch, 1)` tensor arrives.

    ## Example
    ```python
    def eucl_dist_output_shape(shapes):
        shape1, shape2 = shapes
        return shape1

    distance = Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([processed_a, processed_b])
    ```

    ## Use instead
    ```python
    def eucl_dist_output_shape(shapes):
        shape1, shape2 = shapes
        return (shape1[0], 1)
    ```

    ## Fix safety
    There is no automatic fix: either the declaration or the function is wrong, and only the
    author knows which shape the layer is meant to have.
    """

    code = "TL223"
    name = "lambda-output-shape-contradicts"
    severity = Severity.ERROR
    summary = "A Keras Lambda layer declares an output_shape that differs from the shape its function computes."
    triggers = ("Lambda",)
    failing = (
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n"
        "from keras.models import Model, Sequential\n\n\n" + _SIAMESE +
        "def eucl_dist_output_shape(shapes):\n    shape1, shape2 = shapes\n    return shape1  # TL223\n\n\n" + _BRANCHES +
        "distance = Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([processed_a, processed_b])\n"
        "model = Model([input_a, input_b], distance)\n",
        "import tensorflow as tf\n\ninputs = tf.keras.Input(shape=(20, 64))\n"
        "pooled = tf.keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), output_shape=(20,))(inputs)  # TL223\n"
        "model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(pooled))\n",
        "import keras\nfrom keras import ops\n\ninputs = keras.Input(shape=(32, 32, 3))\n"
        "gray = keras.layers.Lambda(lambda t: ops.mean(t, axis=-1, keepdims=True),\n"
        "                           output_shape=lambda s: s)(inputs)  # TL223\n"
        "model = keras.Model(inputs, gray)\n",
    )
    passing = (
        "from keras import backend as K\nfrom keras.layers import Dense, Input, Lambda\n"
        "from keras.models import Model, Sequential\n\n\n" + _SIAMESE +
        "def eucl_dist_output_shape(shapes):\n    shape1, shape2 = shapes\n    return (shape1[0], 1)\n\n\n" + _BRANCHES +
        "distance = Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([processed_a, processed_b])\n"
        "model = Model([input_a, input_b], distance)\n",
        "import tensorflow as tf\n\ninputs = tf.keras.Input(shape=(20, 64))\n"
        "pooled = tf.keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), output_shape=(64,))(inputs)\n"
        "model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(pooled))\n",
    )
    lookalikes = (
        # a declaration of another rank (a loss layer's scalar declared as (1,)), an elementwise
        # function that keeps its input's shape, no declaration at all, a function of unknown result
        "import tensorflow as tf\nfrom tensorflow.keras import backend as K\n\n\n"
        "def total(args):\n    a, b = args\n    return K.sum(K.square(a - b))\n\n\n"
        "a = tf.keras.Input(shape=(8,))\nb = tf.keras.Input(shape=(8,))\n"
        "loss = tf.keras.layers.Lambda(total, output_shape=(1,))([a, b])\n"
        "model = tf.keras.Model([a, b], loss)\n",
        "import keras\nfrom keras import backend as K\n\ninputs = keras.Input(shape=(10,))\n"
        "scaled = keras.layers.Lambda(lambda t: t * 2.0, output_shape=lambda s: s)(inputs)\n"
        "halved = keras.layers.Lambda(lambda t: t[:, :5])(inputs)\n"
        "model = keras.Model(inputs, [scaled, halved])\n",
        "import keras\nimport some_library\n\ninputs = keras.Input(shape=(10,))\n"
        "out = keras.layers.Lambda(some_library.transform, output_shape=(3,))(inputs)\n"
        "model = keras.Model(inputs, out)\n",
    )

    def on_lambda_shape(self, ctx, ev):
        if "Lambda" not in ctx.text:
            return
        given, computed = ev.declared, ev.computed
        axes = [i for i in range(1, len(given))
                if isinstance(given[i], int) and isinstance(computed[i], int) and given[i] != computed[i]]
        if not axes:
            return
        node = ev.shape_node if ev.shape_node is not None else ev.node
        ctx.report(self, node,
                   f"the Lambda layer declares the output shape {_dims(given)}, but its function computes "
                   f"{_dims(computed)} from the inputs it is applied to (axis {axes[0]}: {given[axes[0]]} against "
                   f"{computed[axes[0]]}); Keras builds the layers after it, and checks the targets, with the declared shape",
                   related=[(ev.node, "the layer is applied here")] if node is not ev.node else [])
