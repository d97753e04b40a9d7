from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import value_name


class NanInTrainingData(Rule):
    """
    ## What it does
    Finds tensors holding `nan` or `inf` literals (`np.nan`, `float('nan')`, `torch.nan`,
    `math.inf`, `torch.full(..., float('nan'))`) that are assigned to a `.grad`, or reach a
    model, a loss or `fit` as inputs or targets.

    ## Why is this bad?
    One NaN propagates through every operation: the loss becomes NaN, every gradient becomes
    NaN, and the optimizer writes NaN into all the weights. Training does not crash; it just
    stops learning for good.

    ## Example
    ```python
    p.grad = torch.tensor([np.nan, 1.0])
    ```

    ## Use instead
    Clean or impute missing values before they reach training (`torch.nan_to_num`,
    `np.nan_to_num`, dropping the rows).

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL406"
    name = "nan-in-training-data"
    severity = Severity.WARNING
    summary = "nan/inf literals reach gradients, parameters, model inputs or targets."
    failing = (
        "import numpy as np\nimport torch\np = torch.randn(2, requires_grad=True)\np.grad = torch.tensor([np.nan, 1.0])  # TL406\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(2, 1)\nx = torch.tensor([[1.0, float('nan')]])\nmodel(x)  # TL406\n",
    )
    passing = ("import torch\np = torch.randn(2, requires_grad=True)\np.grad = torch.tensor([0.5, 1.0])\n",)
    lookalikes = (
        "import numpy as np\nimport torch\nx = torch.tensor([np.nan, 1.0])\nprint(torch.isnan(x).any())\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(2, 1)\nx = torch.nan_to_num(torch.tensor([[1.0, float('nan')]]))\nmodel(x)\n",
    )

    def on_grad_assign(self, ctx, ev):
        if isinstance(ev.value, Tensor) and ev.value.nan:
            ctx.report(self, ev.node, f"{value_name(ctx, ev.value)} holds nan/inf and is assigned as a gradient",
                       related=[(ev.value.origin, "the nan is written here")] if ev.value.origin is not None else [])

    def _data(self, ctx, site, t, what):
        if isinstance(t, Tensor) and t.nan:
            ctx.report(self, site.node, f"{value_name(ctx, t)} holds nan/inf and is used as {what}",
                       related=[(t.origin, "the nan is written here")] if t.origin is not None else [])

    def on_layer_call(self, ctx, ev):
        if ev.args:
            self._data(ctx, ev.site, ev.args[0], "model input")

    def on_loss_call(self, ctx, ev):
        for t, site in zip(ev.args, ev.sites):
            self._data(ctx, site, t, "a loss argument")

    def on_fit(self, ctx, ev):
        self._data(ctx, ev.x_site or ev, ev.x, "training data")
        if ev.y is not None:
            self._data(ctx, ev.y_site or ev, ev.y, "training targets")
