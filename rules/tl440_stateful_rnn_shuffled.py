from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Dataset, Layer, Tensor

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN", "CuDNNLSTM", "CuDNNGRU")


def _stateful_layer(model):
    """The first recurrent layer built with `stateful=True` in a Sequential model, or None."""
    if not isinstance(model, Container) or model.fw != "keras":
        return None
    for layer in model.layers:
        if isinstance(layer, Layer) and layer.short in RECURRENT and layer.facts.get("stateful") is True:
            return layer
    return None


class StatefulRnnShuffled(Rule):
    """
    ## What it does
    Finds a Keras model with a stateful recurrent layer (`LSTM(..., stateful=True)`, `GRU`,
    `SimpleRNN`) trained on shuffled batches: `fit` on arrays without `shuffle=False` (Keras
    shuffles arrays by default) or with `shuffle=True`, or `fit` on a `tf.data` pipeline that
    calls `.shuffle()`.

    ## Why is this bad?
    A stateful layer carries the final state of sample *i* of one batch into sample *i* of the
    next batch, which only means something when that sample continues the same sequence.
    Shuffling puts an unrelated sequence there, so every batch starts from the state of some other
    series: the model learns from noise where it was meant to learn long-range dependencies, and
    nothing reports an error.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(batch_shape=(32, 1, 1)), keras.layers.LSTM(50, stateful=True), keras.layers.Dense(1)])
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Use instead
    ```python
    model.fit(x, y, batch_size=32, epochs=1, shuffle=False)
    ```
    and, with `tf.data`, keep the batches in order (no `.shuffle()` before `.batch()`).

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL440"
    name = "stateful-rnn-shuffled"
    severity = Severity.WARNING
    summary = "A stateful recurrent layer trained on shuffled batches (fit's default shuffle=True, or a shuffled tf.data pipeline)."
    failing = (
        "import numpy as np\nimport keras\nx = np.random.rand(640, 1, 1)\ny = np.random.rand(640, 1)\n"
        "model = keras.Sequential([keras.Input(batch_shape=(32, 1, 1)), keras.layers.LSTM(16, stateful=True),  # TL440\n"
        "                          keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y, batch_size=32)\n",
    )
    passing = (
        "import numpy as np\nimport keras\nx = np.random.rand(640, 1, 1)\ny = np.random.rand(640, 1)\n"
        "model = keras.Sequential([keras.Input(batch_shape=(32, 1, 1)), keras.layers.LSTM(16, stateful=True),\n"
        "                          keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y, batch_size=32, shuffle=False)\n",
    )
    lookalikes = (
        # a stateless LSTM may be trained on shuffled sequences
        "import numpy as np\nimport keras\nx = np.random.rand(640, 10, 1)\ny = np.random.rand(640, 1)\n"
        "model = keras.Sequential([keras.Input((10, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method != "fit":
            return
        layer = _stateful_layer(ev.model)
        if layer is None:
            return
        if isinstance(ev.data, Dataset):
            if ev.data.shuffled is None:
                return
            how, shuffle_at = "the tf.data pipeline it is trained on is shuffled", ev.data.shuffled
        elif isinstance(ev.data, Tensor) and ev.data is ev.x:  # arrays, which fit() itself shuffles
            shuffle = ev.kwargs.get("shuffle")
            if shuffle is not None and not (isinstance(shuffle, Const) and shuffle.value is True):
                return  # shuffle=False, "batch", or a value the program does not fix
            how = "fit() shuffles the arrays (shuffle=True)" if shuffle is not None else "fit() shuffles the arrays by default"
            shuffle_at = None
        else:
            return  # a generator or a pipeline the program does not show: its order is unknown
        at = layer.node if layer.node is not None and ctx.line(layer.node) else ev.node
        related = [(ev.node, "trained here")] if at is not ev.node else []
        if shuffle_at is not None:
            related.append((shuffle_at, "shuffled here"))
        ctx.report(self, at,
                   f"{layer.short}(stateful=True) carries each batch's final states into the next batch, but {how}: "
                   f"every batch starts from the state of an unrelated sequence; pass shuffle=False "
                   f"(or keep the tf.data batches in order)",
                   related=related)
