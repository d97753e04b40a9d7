from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer, Tensor, is_float_dtype, unbounded

from ._common import layers_fed, note_input_layer, report_at_layer, value_name


def fractional(x: Tensor) -> str | None:
    """Why the program shows `x` to hold real values rather than integer ids, or None."""
    # the dtype must be known to be floating point: `normalized` survives integer results
    # computed from scaled data (an argmax of a model's output) and a join of branches
    if not isinstance(x, Tensor) or not is_float_dtype(x.dtype):
        return None
    if x.normalized:
        return "scaled or normalized real values"
    if unbounded(x.span):
        return f"real values of both signs ({x.span[2]})"
    return None


class FloatInputToEmbedding(Rule):
    """
    ## What it does
    Finds a Keras `Embedding` layer fed data the program shows to be real-valued rather than
    integer ids: features passed through a scaler or `normalize` (`StandardScaler`,
    `MinMaxScaler`, `keras.utils.normalize`, `sklearn.preprocessing.normalize`) or drawn from a
    continuous distribution (`make_classification` features, `np.random.randn`). Checked where
    the Embedding is the first layer of a Sequential model given to `fit`/`evaluate`/`predict`,
    the layer a functional model's `Input` goes to, or is applied to the data directly.

    ## Why is this bad?
    An embedding looks up one row per integer id. Keras does not reject float input: it casts
    it to int32, truncating every value, so normalized features in [0, 1) all become id 0 and
    negative values become invalid ids. The model trains on a constant input (or fails on a
    negative index on some devices) while the loss looks plausible.

    ## Example
    ```python
    X = normalize(X)  # real values in [-1, 1]
    model = keras.Sequential([keras.layers.Embedding(1000, 64), keras.layers.LSTM(32), keras.layers.Dense(1, activation="sigmoid")])
    model.fit(X, y)
    ```

    ## Use instead
    Feed the integer token ids (`TextVectorization`, `Tokenizer.texts_to_sequences`) to the
    Embedding, or, for real-valued features, drop the Embedding and start with `Dense` (or
    reshape to `(steps, 1)` for an LSTM).

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL105"
    name = "float-input-to-embedding"
    severity = Severity.ERROR
    summary = "Scaled, normalized or continuous real-valued data fed to a Keras Embedding, which truncates it to integer ids."
    failing = (
        "import keras\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.datasets import make_classification\n"
        "X, y = make_classification(500, 40)\nX = StandardScaler().fit_transform(X)\n"
        "model = keras.Sequential([keras.Input((40,)), keras.layers.Embedding(1000, 16),  # TL105\n"
        "                          keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\nmodel.fit(X, y)\n",
    )
    passing = (
        "import numpy as np\nimport keras\nX = np.random.randint(1, 1000, size=(500, 40))\ny = np.random.randint(0, 2, size=(500,))\n"
        "model = keras.Sequential([keras.Input((40,)), keras.layers.Embedding(1000, 16),\n"
        "                          keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\nmodel.fit(X, y)\n",
    )
    lookalikes = (
        # float ids read from a file: whole numbers as floats, which the cast keeps
        "import numpy as np\nimport keras\nX = np.loadtxt('ids.csv')\ny = np.loadtxt('y.csv')\n"
        "model = keras.Sequential([keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(X, y)\n",
    )

    def _report(self, ctx, layer, at_call, x, why):
        report_at_layer(self, ctx, layer, at_call, x, "the data is made here",
                        f"Embedding looks up integer ids, but {value_name(ctx, x)} holds {why}: Keras casts it to int32, "
                        f"truncating every value (values in [0, 1) all become id 0, negative values are invalid ids); "
                        f"feed token ids, or start the model with a Dense layer for real-valued features")

    def on_fit(self, ctx, ev):
        for layer, x in layers_fed(ctx, ev):
            if isinstance(layer, Layer) and layer.fw == "keras" and layer.short == "Embedding":
                why = fractional(x)
                if why:
                    self._report(ctx, layer, ev.node, x, why)

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        if not isinstance(layer, Layer) or layer.fw != "keras" or layer.short != "Embedding" or not ev.args:
            return
        x = ev.args[0]
        if not note_input_layer(ctx, layer, x):  # data, not a functional model's Input
            why = fractional(x)
            if why:
                self._report(ctx, layer, ev.node, x, why)
