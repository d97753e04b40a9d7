from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Container, Layer, Tensor

from ._common import value_name

NORMALIZING = ("BatchNorm1d", "BatchNorm2d", "LayerNorm", "InstanceNorm1d", "GroupNorm",
               "Normalization", "BatchNormalization", "LayerNormalization")


def _normalizes_first(model) -> bool:
    """The model's first layer rescales each feature itself."""
    first = model
    while isinstance(first, Container) and first.layers:
        first = first.layers[0]
    return isinstance(first, Layer) and first.short in NORMALIZING


class UnscaledFeatures(Rule):
    """
    ## What it does
    Finds features combined at scales that differ by 100x or more (`1000 * x` concatenated
    with `x`, a column in dollars next to one in [0, 1]) that reach `fit` or a model without a
    scaler (`StandardScaler`, `MinMaxScaler`, ...) or a normalization layer first.

    ## Why is this bad?
    Gradient descent moves every weight with the same learning rate: the large-scale features
    dominate the gradients, the small ones are effectively ignored, and training is slow or
    unstable. It trains without an error, just worse.

    ## Example
    ```python
    x = np.concatenate([ratios, 1000 * amounts], axis=1)
    model.fit(x, y)
    ```

    ## Use instead
    ```python
    x = StandardScaler().fit_transform(np.concatenate([ratios, 1000 * amounts], axis=1))
    model.fit(x, y)
    ```

    ## Fix safety
    There is no automatic fix: the scaler must also be applied at prediction time.
    """

    code = "TL502"
    name = "unscaled-features"
    severity = Severity.INFO
    default = False
    summary = "Features at scales 100x apart reach a model without a scaler or normalization."
    failing = (
        "import numpy as np\nimport keras\nratios = np.random.rand(64, 3)\namounts = 1000 * np.random.rand(64, 3)\nfeatures = np.concatenate([ratios, amounts], axis=1)\nmodel = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(features, np.random.rand(64, 1))  # TL502\n",
        "import torch\nimport torch.nn as nn\nage = torch.rand(32, 1) * 60\nincome = torch.rand(32, 1) * 600000\nmodel = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))\nout = model(torch.cat([age, income], dim=1))  # TL502\n",
    )
    passing = (
        "import numpy as np\nimport keras\nfrom sklearn.preprocessing import StandardScaler\nratios = np.random.rand(64, 3)\namounts = 1000 * np.random.rand(64, 3)\nfeatures = StandardScaler().fit_transform(np.concatenate([ratios, amounts], axis=1))\nmodel = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(features, np.random.rand(64, 1))\n",
    )
    lookalikes = (
        # a normalization layer first rescales each feature
        "import torch\nimport torch.nn as nn\nage = torch.rand(32, 1) * 60\nincome = torch.rand(32, 1) * 600000\nmodel = nn.Sequential(nn.BatchNorm1d(2), nn.Linear(2, 1))\nout = model(torch.cat([age, income], dim=1))\n",
        # the same scale on every column
        "import numpy as np\nimport keras\nx = np.concatenate([1000 * np.random.rand(64, 3), 1000 * np.random.rand(64, 3)], axis=1)\nmodel = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, np.random.rand(64, 1))\n",
    )

    def _check(self, ctx, node, x, model):
        if not isinstance(x, Tensor) or not x.scale_mix or x.normalized or _normalizes_first(model):
            return
        ctx.report(self, node, f"{value_name(ctx, x)} combines features whose scales differ by 100x or more and reaches the model without a scaler or normalization layer",
                   related=[(x.origin, "the features are combined here")] if x.origin is not None else [])

    def on_fit(self, ctx, ev):
        if ev.method in ("fit", "train_on_batch", "__call__"):
            self._check(ctx, ev.node, ev.x, ev.model)

    def on_layer_call(self, ctx, ev):
        if ev.args and (ev.container is None or ev.sublayer is ev.layer or ev.container is ev.layer):
            self._check(ctx, ev.site.node, ev.args[0], ev.layer)
