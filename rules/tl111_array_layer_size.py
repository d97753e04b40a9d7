from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Container, Layer, Tensor, shape_list

from ._chains import expand

# the constructor arguments that give a layer a count (units, channels, features, rows): one integer
_SIZES = {
    "keras": frozenset({"units", "filters", "input_dim", "output_dim", "num_heads", "key_dim", "value_dim",
                        "depth_multiplier", "n"}),
    "torch": frozenset({"in_features", "out_features", "in1_features", "in2_features", "in_channels", "out_channels",
                        "num_features", "num_channels", "num_groups", "num_embeddings", "embedding_dim", "input_size",
                        "hidden_size", "proj_size", "embed_dim", "num_heads", "d_model", "nhead", "dim_feedforward"}),
}


def _elements(t: Tensor):
    """The number of elements of a tensor whose dims are all known, else None."""
    if t.shape is None or t.rank is None:
        return None
    n = 1
    for d in t.shape:
        if not isinstance(d, int) or isinstance(d, bool):
            return None
        n *= d
    return n


def array_size(layer):
    """(argument, tensor) when one of a layer's count arguments is an array of several elements."""
    names = _SIZES.get(layer.fw)
    if not names:
        return None
    for name in sorted(names & layer.facts.keys()):
        v = layer.facts[name]
        if isinstance(v, Tensor) and v.rank and (_elements(v) or 0) > 1:
            return name, v
    return None


class ArrayLayerSize(Rule):
    """
    ## What it does
    Finds a layer whose unit, channel or feature count is an array or tensor of several
    elements rather than a number: `Dense(X_train[0])` (a data row where `X_train.shape[1]`
    was meant), `nn.Linear(x[0], 10)`, `Conv2D(images.shape_tensor, 3)`.

    ## Why is this bad?
    The count sizes the layer's weight and must be one integer. An array of several values
    cannot become one: Keras raises a `TypeError` or `ValueError` when it builds the layer and
    torch a `TypeError` when it allocates the weight, so the model is never built. The array is
    usually a sample of the data where its length or its shape was meant.

    ## Example
    ```python
    X, y = make_classification(1000, 5)
    model = keras.Sequential([keras.layers.Dense(X[0], activation="relu"), keras.layers.Dense(1)])
    ```

    ## Use instead
    ```python
    X, y = make_classification(1000, 5)
    model = keras.Sequential([keras.layers.Dense(X.shape[1], activation="relu"), keras.layers.Dense(1)])
    ```

    ## Fix safety
    There is no automatic fix: the count meant (the number of features, the array's length,
    a hidden width) is the author's choice.
    """

    code = "TL111"
    name = "array-layer-size"
    severity = Severity.ERROR
    summary = "A layer's unit/channel/feature count is an array of several elements: the layer cannot be built."
    failing = (
        "from tensorflow.keras import Sequential\nfrom tensorflow.keras.layers import Dense\n"
        "from sklearn.datasets import make_classification\nX, y = make_classification(1000, 5)\n"
        "model = Sequential()\nmodel.add(Dense(X[0], activation='relu'))  # TL111\nmodel.add(Dense(1, activation='sigmoid'))\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
        "import numpy as np\nimport keras\nx_train = np.random.rand(100, 8)\n"
        "model = keras.Sequential([\n    keras.Input(shape=(8,)),\n    keras.layers.Dense(units=x_train[0]),  # TL111\n])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "import torch\nimport torch.nn as nn\nx = torch.randn(64, 20)\nlayer = nn.Linear(x[0], 10)  # TL111\nout = layer(x)\n",
    )
    passing = (
        "from tensorflow.keras import Sequential\nfrom tensorflow.keras.layers import Dense\n"
        "from sklearn.datasets import make_classification\nX, y = make_classification(1000, 5)\n"
        "model = Sequential()\nmodel.add(Dense(X.shape[1], activation='relu'))\nmodel.add(Dense(1, activation='sigmoid'))\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
    )
    lookalikes = (
        # the length of a row, the count of classes from the labels, a 0-d integer array
        "import numpy as np\nimport keras\nx = np.random.rand(100, 8)\ny = np.random.randint(0, 3, 100)\n"
        "model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(len(x[0])),\n"
        "    keras.layers.Dense(np.max(y) + 1, activation='softmax')])\nmodel.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n",
        "import torch\nimport torch.nn as nn\nx = torch.randn(64, 20)\nsizes = torch.tensor([20, 10])\n"
        "layer = nn.Linear(int(sizes[0]), 10)\nout = layer(x)\n",
        "import tensorflow as tf\nimport numpy as np\ncounts = np.array([16])\n"
        "model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(counts[0])])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
    )

    def _check(self, ctx, layers):
        for layer in layers or ():
            if not isinstance(layer, Layer) or layer.node is None:
                continue
            found = array_size(layer)
            if found is None:
                continue
            name, value = found
            ctx.report(self, layer.node,
                       f"{layer.short}'s {name} is an array of shape {shape_list(value.shape)}, not one integer: the layer "
                       f"cannot be built (Keras raises ValueError, torch TypeError); give it a count, such as the array's length or a dim of the data's shape",
                       related=[(value.origin, "the array is made here")] if value.origin is not None else [])

    def _model(self, ctx, model):
        if isinstance(model, Container):
            self._check(ctx, expand(model) or [l for l in model.layers if isinstance(l, Layer)])

    def on_layer_call(self, ctx, ev):
        self._check(ctx, [ev.sublayer] if ev.sublayer is not None else expand(ev.layer))

    def on_model(self, ctx, ev):
        self._model(ctx, ev.model)

    def on_compile(self, ctx, ev):
        self._model(ctx, ev.model)

    def on_fit(self, ctx, ev):
        self._model(ctx, ev.model)
