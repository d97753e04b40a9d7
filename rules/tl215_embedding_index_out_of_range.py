from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Layer, Tensor, is_int_dtype

from ._common import layers_fed, note_input_layer, report_at_layer, value_name

ROWS = {"keras": "input_dim", "torch": "num_embeddings"}


def _rows(layer) -> int | None:
    if not isinstance(layer, Layer) or layer.short != "Embedding" or layer.fw not in ROWS:
        return None
    n = layer.facts.get(ROWS[layer.fw])
    return n if known_int(n) and n > 0 else None


class EmbeddingIndexOutOfRange(Rule):
    """
    ## What it does
    Finds integer ids that the program shows to reach past the table of the Embedding they are
    fed to: ids drawn by `np.random.randint(low, high)` with `high` above the Embedding's
    `input_dim` (Keras) or `num_embeddings` (PyTorch), or literal ids as large as the table. The
    Embedding may be the first layer of a Sequential model, the layer a functional model's
    `Input` goes to, or applied to the data directly.

    ## Why is this bad?
    An embedding table of `n` rows has ids `0 .. n-1`. A larger id raises `InvalidArgumentError:
    indices[...] = 9998 is not in [0, 64)` on CPU (PyTorch: `IndexError: index out of range in
    self`), and on GPU TensorFlow silently returns zeros for it. The usual cause is a table sized
    by the wrong vocabulary, or `Embedding(output_dim, input_dim)` with the arguments swapped.

    ## Example
    ```python
    text = np.random.randint(1, 10000, size=(1000, 100))
    embedded = layers.Embedding(64, 10000)(text_input)  # 64 rows of width 10000
    ```

    ## Use instead
    ```python
    embedded = layers.Embedding(10000, 64)(text_input)  # input_dim=10000 ids, output_dim=64
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL215"
    name = "embedding-index-out-of-range"
    severity = Severity.ERROR
    summary = "Integer ids that reach past the rows of the Embedding they are fed to (input_dim / num_embeddings)."
    failing = (
        "import numpy as np\nimport keras\nids = np.random.randint(1, 10000, size=(500, 20))\n"
        "model = keras.Sequential([keras.Input((20,)), keras.layers.Embedding(64, 10000),  # TL215\n"
        "                          keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(ids, np.random.rand(500))\n",
    )
    passing = (
        "import numpy as np\nimport keras\nids = np.random.randint(1, 10000, size=(500, 20))\n"
        "model = keras.Sequential([keras.Input((20,)), keras.layers.Embedding(10000, 64),\n"
        "                          keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(ids, np.random.rand(500))\n",
    )
    lookalikes = (
        # too few draws to be sure any reaches the last rows
        "import numpy as np\nimport torch\nemb = torch.nn.Embedding(90, 8)\nout = emb(torch.from_numpy(np.random.randint(0, 100, size=(3,))))\n",
    )

    def _check(self, ctx, layer, x, at_call):
        rows = _rows(layer)
        if rows is None or not isinstance(x, Tensor) or x.span is None or (x.dtype and not is_int_dtype(x.dtype)):
            return
        lo, hi, source = x.span
        if hi < rows and lo >= 0:
            return
        bad = f"ids up to {hi:g}" if hi >= rows else f"negative ids down to {lo:g}"
        param = ROWS[layer.fw]
        swapped = ""
        out = layer.facts.get("output_dim" if layer.fw == "keras" else "embedding_dim")
        if known_int(out) and hi < out:
            swapped = f"; {param} and the embedding width ({out}) look swapped"
        report_at_layer(self, ctx, layer, at_call, x, "the ids are made here",
                        f"Embedding has {rows} rows ({param}={rows}), ids 0..{rows - 1}, but {value_name(ctx, x)} holds "
                        f"{bad} ({source}): out of range (InvalidArgumentError / IndexError on CPU, zero vectors on GPU)"
                        f"{swapped}")

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        if _rows(layer) is None or not ev.args:
            return
        if not note_input_layer(ctx, layer, ev.args[0]):  # data, not a functional model's Input
            self._check(ctx, layer, ev.args[0], ev.node)

    def on_fit(self, ctx, ev):
        for layer, x in layers_fed(ctx, ev):
            self._check(ctx, layer, x, ev.node)
