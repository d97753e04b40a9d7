from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Container, Tensor, shape_list
from tensorlint.frameworks.shapes import known_int

from tensorlint.values import Layer

from ._common import keras2_program, value_name


# Keras layers that work on the last axis of an input of any rank
_ANY_RANK = frozenset({"Dense", "Activation", "Dropout", "LeakyReLU", "PReLU", "ELU", "ReLU", "Softmax", "LayerNormalization"})


def _any_rank_first_layer(model) -> bool:
    first = next((l for l in model.layers if not (isinstance(l, Layer) and l.short == "InputLayer")), None)
    return isinstance(first, Layer) and first.short in _ANY_RANK


class KerasInputShapeMismatch(Rule):
    """
    ## What it does
    Compares the data given to a Keras model (`fit`, `evaluate`, `predict`, `train_on_batch`,
    calling the model) with the input shape the model declares: `input_shape=`/`input_dim=` on
    its first layer, an `InputLayer`, or `keras.Input(shape=...)` in a Sequential or functional
    model. In TF1 graph code, compares each value fed to a placeholder (`feed_dict` of
    `sess.run`, `.eval`, `.run`) with the placeholder's declared shape.

    ## Why is this bad?
    Keras raises `ValueError: Input 0 of layer "sequential" is incompatible with the layer:
    expected shape=(None, 5), found shape=(1, 10)` when training starts, or, for some layers,
    builds weights of the wrong size silently. A TF1 session raises `ValueError: Cannot feed
    value of shape (100, 28, 28) for Tensor 'Placeholder:0', which has shape '(?, 784)'`. Keras 3 adds a missing trailing axis of size 1
    by itself (`(N, 28, 28)` into `Input((28, 28, 1))`), so that case is not reported. Nor is
    an input with extra leading axes in a program written for Keras 2 (it imports
    `keras.layers.core`, `keras.utils.np_utils` and the like) when the model starts with a layer
    that takes any rank (`Dense`): Keras 2 warns and runs it, Keras 3 raises.

    ## Example
    ```python
    model = keras.Sequential([keras.layers.Dense(10, input_shape=(5,))])
    model.fit(np.random.rand(32, 10), np.random.rand(32, 10))
    ```

    ## Use instead
    ```python
    model.fit(np.random.rand(32, 5), np.random.rand(32, 10))
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL203"
    name = "keras-input-shape-mismatch"
    severity = Severity.ERROR
    summary = "Data passed to a Keras model does not match its declared input shape."
    failing = (
        "import keras\n(x, y), _ = keras.datasets.mnist.load_data()\nmodel = keras.Sequential([keras.layers.Dense(64, input_shape=(784,)), keras.layers.Dense(10)])\nmodel.fit(x / 255.0, y)  # TL203\n",
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10, input_shape=(5,))])\nmodel.compile(loss='mse')\nmodel.fit(np.random.rand(32, 10), np.random.rand(32, 10))  # TL203\n",
        "import keras\nimport numpy as np\ninp = keras.Input(shape=(28, 28, 1))\nout = keras.layers.Dense(10)(keras.layers.Flatten()(inp))\nmodel = keras.Model(inp, out)\nmodel.predict(np.zeros((4, 32, 32, 1)))  # TL203\n",
        # TF1: images fed to a placeholder of flat rows
        "import numpy as np\nimport tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\nout = tf.reduce_sum(x)\n"
        "with tf.Session() as sess:\n    sess.run(out, feed_dict={x: np.zeros((8, 28, 28))})  # TL203\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10, input_shape=(5,))])\nmodel.compile(loss='mse')\nmodel.fit(np.random.rand(32, 5), np.random.rand(32, 10))\n",
    )
    lookalikes = (
        "import keras\nimport numpy as np\n(x, y), _ = keras.datasets.mnist.load_data()\nmodel = keras.Sequential([keras.layers.Dense(64, input_shape=(784,)), keras.layers.Dense(10)])\nmodel.fit(x.reshape(-1, 784) / 255.0, y)\n",
        "import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])\nmodel.predict(np.zeros((4, 28, 28)))\n",
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10)])\nmodel.compile(loss='mse')\nmodel.fit(np.random.rand(32, 7), np.random.rand(32, 10))\n",
        # TF1: a batch of any size fed to a placeholder of flat rows
        "import numpy as np\nimport tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\nout = tf.reduce_sum(x)\n"
        "with tf.Session() as sess:\n    sess.run(out, feed_dict={x: np.zeros((8, 28, 28)).reshape(-1, 784)})\n",
        # Keras 2 (keras.layers.core is gone from Keras 3): a Dense-first Sequential runs on (N, 1, 100)
        "import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers.core import Dense, Reshape\n"
        "gen = Sequential()\ngen.add(Dense(48, input_dim=100))\ngen.add(Reshape((4, 4, 3)))\ngen.predict(np.zeros((8, 1, 100)))\n",
    )

    def on_fit(self, ctx, ev):
        model, x = ev.model, ev.x
        if not isinstance(model, Container) or not isinstance(x, Tensor) or model.input_shape is None:
            return
        declared = tuple(model.input_shape)
        if x.rank is None or x.rank == 0:
            return
        data = tuple(x.shape[1:])
        if len(data) + 1 == len(declared) and declared[-1] == 1:
            data = data + (1,)  # Keras 3 adds the trailing channel axis
        elif len(data) == len(declared) + 1 and data[-1] == 1:
            data = data[:-1]  # and drops a trailing axis of 1
        elif x.rank == len(declared) and declared[-1] != 1 and all(
                known_int(a) and a == b for a, b in zip(x.shape, declared)):
            # one sample without its batch axis: Keras takes the first axis for the batch
            self._report(ctx, ev, model, x, declared, "; add the batch axis (x[None] or np.expand_dims(x, 0))")
            return
        if len(data) == len(declared):
            if all(not known_int(a) or not known_int(b) or a == b for a, b in zip(data, declared)):
                return
        elif len(data) > len(declared) and data[len(data) - len(declared):] == declared and _any_rank_first_layer(model) \
                and keras2_program(ctx):
            return  # Keras 2 only warns and runs the layers, and the first one takes any rank
        elif not (data and declared and known_int(data[-1]) and known_int(declared[-1])):
            return  # ranks differ, but the last axis is unknown: cannot tell what Keras does
        self._report(ctx, ev, model, x, declared, "")

    def on_feed(self, ctx, ev):
        ph, x = ev.placeholder, ev.value
        if not isinstance(ph, Tensor) or not isinstance(x, Tensor) or ph.rank is None or x.rank is None:
            return
        if ph.rank == x.rank and all(not known_int(a) or not known_int(b) or a == b for a, b in zip(ph.shape, x.shape)):
            return
        want = ", ".join("?" if d is None else str(d) for d in ph.shape)
        name = f"`{ph.name}`" if ph.name else "the placeholder"
        ctx.report(
            self, ev.node,
            f"{name} (line {ctx.line(ph.node)}) is declared with shape ({want}); the value fed to it has shape {shape_list(x.shape)}",
            related=[(ph.node, "the placeholder is declared here")] + ([(x.origin, "the value is made here")] if x.origin is not None else []),
        )

    def _report(self, ctx, ev, model, x, declared, advice):
        want = ", ".join("None" if d is None else str(d) for d in (None,) + declared)
        ctx.report(
            self, ev.node,
            f"{model.short} expects input shape ({want}); {value_name(ctx, x)} has shape {shape_list(x.shape)}{advice}",
            related=[(model.node, "the model is defined here")] + ([(x.origin, "the data is made here")] if x.origin is not None else []),
        )
