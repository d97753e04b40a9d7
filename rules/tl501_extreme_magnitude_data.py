from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import value_name

LARGE = 1e6


class ExtremeMagnitudeData(Rule):
    """
    ## What it does
    Finds training data written with literal magnitudes of 1e6 or more (or next to values
    below 1e-6) that reaches a model, a loss or `fit` without a scaler or normalization layer.

    ## Why is this bad?
    With inputs or targets around 1e10, the first gradients are enormous: the weights jump,
    the loss overflows to `inf`, and training diverges to NaN, or, with small learning rates,
    never moves.

    ## Example
    ```python
    X = np.array([[1e10], [1e-10]])
    model.fit(X, y)
    ```

    ## Use instead
    ```python
    X = StandardScaler().fit_transform(X)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL501"
    name = "extreme-magnitude-data"
    severity = Severity.INFO
    default = False
    summary = "Training data with literal magnitudes beyond 1e6 and no normalization."
    failing = (
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nX = np.array([[1e10], [1e-10]])\nmodel.fit(X, np.array([[1.0], [0.0]]))  # TL501\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nX = np.array([[1.0], [0.5]])\nmodel.fit(X, np.array([[1.0], [0.0]]))\n",
    )
    lookalikes = (
        "import numpy as np\nfrom sklearn.preprocessing import StandardScaler\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\nX = StandardScaler().fit_transform(np.array([[1e10], [1e-10]]))\nmodel.fit(X, np.array([[1.0], [0.0]]))\n",
    )

    def _check(self, ctx, node, t, what):
        if isinstance(t, Tensor) and not t.normalized and t.magnitude and t.magnitude[1] is not None and t.magnitude[1] >= LARGE:
            ctx.report(self, node, f"{value_name(ctx, t)} has values up to {t.magnitude[1]:.0e} and reaches {what} without normalization")

    def on_fit(self, ctx, ev):
        self._check(ctx, ev.node, ev.x, "the model")
        if ev.y is not None:
            self._check(ctx, ev.node, ev.y, "the loss as targets")

    def on_layer_call(self, ctx, ev):
        if ev.args:
            self._check(ctx, ev.site.node, ev.args[0], "the model")

    def on_loss_call(self, ctx, ev):
        for t in ev.args:
            self._check(ctx, ev.node, t, "the loss")
