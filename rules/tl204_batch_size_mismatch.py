from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor
from tensorlint.frameworks.shapes import known_int

from ._common import value_name


def _batch(t):
    if not isinstance(t, Tensor) or t.rank is None or t.rank == 0:
        return None
    d = t.shape[0]
    return d if known_int(d) else None


class BatchSizeMismatch(Rule):
    """
    ## What it does
    Finds predictions and targets of a loss with different batch sizes, `fit(x, y)` with
    different numbers of samples, and a `TensorDataset` of tensors with different lengths.

    ## Why is this bad?
    PyTorch's losses raise `ValueError: Expected input batch_size (5) to match target
    batch_size (10)` or fail to broadcast; Keras raises `Data cardinality is ambiguous`. When
    the batch of targets is a different slice than the batch of inputs, the model is trained
    on the wrong pairs even where shapes happen to broadcast.

    ## Example
    ```python
    output = model(torch.randn(5, 10))
    loss = nn.MSELoss()(output, torch.randn(10, 1))
    ```

    ## Use instead
    ```python
    output = model(torch.randn(10, 10))
    loss = nn.MSELoss()(output, torch.randn(10, 1))
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL204"
    name = "batch-size-mismatch"
    severity = Severity.ERROR
    summary = "Predictions and targets (or x and y) have different batch sizes."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nout = model(torch.randn(5, 10))\nloss = nn.MSELoss()(out, torch.randn(10, 1))  # TL204\n",
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nmodel.fit(np.zeros((100, 3)), np.zeros((90,)))  # TL204\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nout = model(torch.randn(10, 10))\nloss = nn.MSELoss()(out, torch.randn(10, 1))\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nout = model(torch.randn(10, 10))\nloss = nn.MSELoss()(out, torch.randn(1, 1))\n",
        "import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader, TensorDataset\nds = TensorDataset(torch.randn(64, 4), torch.randint(0, 3, (64,)))\nfor xb, yb in DataLoader(ds, batch_size=16):\n    loss = nn.CrossEntropyLoss()(nn.Linear(4, 3)(xb), yb)\n",
    )

    def _check(self, ctx, node, pred, target, what):
        a, b = _batch(pred), _batch(target)
        if a is None or b is None or a == b or 1 in (a, b):
            return
        ctx.report(
            self, node,
            f"{what}: {value_name(ctx, pred)} has {a} samples, {value_name(ctx, target)} has {b}",
            related=[(t.origin, "made here") for t in (pred, target) if t.origin is not None],
        )

    def on_loss_call(self, ctx, ev):
        if len(ev.args) < 2:
            return
        pred, target = (ev.args[0], ev.args[1]) if ev.fw == "torch" else (ev.args[1], ev.args[0])
        self._check(ctx, ev.node, pred, target, f"{ev.loss.short if hasattr(ev.loss, 'short') else 'the loss'} gets batches of different sizes")

    def on_fit(self, ctx, ev):
        if ev.y is None:
            return
        self._check(ctx, ev.node, ev.x, ev.y, f"`{ev.method}` gets x and y of different lengths")

    def on_dataset(self, ctx, ev):
        tensors = [t for t in ev.args if isinstance(t, Tensor)]
        for t in tensors[1:]:
            self._check(ctx, ev.node, tensors[0], t, "TensorDataset gets tensors of different lengths")
