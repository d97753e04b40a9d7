from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Layer, MutableList, Seq, Tensor

from ._common import value_name
from ._losses import compiled_loss, keras_output, pred_target

# the values an output activation can produce: (low, high, how they are written)
RANGES = {
    "sigmoid": (0.0, 1.0, "in (0, 1)"),
    "softmax": (0.0, 1.0, "in (0, 1), summing to 1"),
    "relu": (0.0, float("inf"), "in [0, inf)"),
    "softplus": (0.0, float("inf"), "in (0, inf)"),
    "tanh": (-1.0, 1.0, "in (-1, 1)"),
}
# torch losses that compare the output and the target value for value
TORCH_REGRESSION = ("torch.nn.MSELoss", "torch.nn.L1Loss", "torch.nn.SmoothL1Loss", "torch.nn.HuberLoss",
                    "torch.nn.functional.mse_loss", "torch.nn.functional.l1_loss", "torch.nn.functional.smooth_l1_loss")


def _poisson(loss) -> bool:
    """Keras's Poisson loss, `y_pred - y_true * log(y_pred)`: minimized where the output equals the
    target, like the regression losses."""
    if isinstance(loss, Const) and loss.value in ("poisson", "Poisson"):
        return True
    return getattr(loss, "kind", None) in ("keras.losses.Poisson", "keras.losses.poisson")


def _fmt(v: float) -> str:
    if v in (float("inf"), float("-inf")):
        return "unbounded"
    return f"{v:g}"


def outside(act: str, span) -> str | None:
    """How the target values escape what the activation can produce, or None."""
    lo, hi, _ = RANGES[act]
    tlo, thi, _ = span
    if thi > hi:
        return "values up to " + _fmt(thi) if thi != float("inf") else "unbounded positive values"
    if tlo < lo:
        return "values down to " + _fmt(tlo) if tlo != float("-inf") else "unbounded negative values"
    return None


def _activation_layer(model, act: str):
    """The node of a Sequential model's last `Activation(act)` layer when that layer makes the
    output's activation (the line to change), else None."""
    if not isinstance(model, Container) or model.kind != "keras.Sequential":
        return None
    for layer in reversed(model.layers):
        if not isinstance(layer, Layer):
            return None
        if layer.short == "Dense":
            return None
        if layer.short == "Activation":
            a = layer.facts.get("activation")
            return layer.node if isinstance(a, str) and a.lower() == act else None
    return None


class OutputRangeMismatch(Rule):
    """
    ## What it does
    Finds a model whose output activation bounds its values (sigmoid in (0, 1), softmax,
    ReLU in [0, inf), tanh in (-1, 1)) trained with a regression loss (mean squared or
    absolute error, Huber, ...) on targets the program shows to lie outside that range: literal
    values up to 4, `make_regression` or `np.random.randn` targets, labels mapped to [-1, 1]
    by `y * 2 - 1`, a sizable sample of uniform draws (`np.random.uniform(-1, 1, 500)`,
    `np.random.rand(n) * 2 - 1`, `tf.random.uniform`, `torch.rand`), also when a counted loop
    writes one fresh draw per pass into each row (`for i in range(n): y[i] = vec[1]`), targets
    min-max scaled and moved outside the range (`2 * (y - y.min()) / (y.max() - y.min()) - 1`),
    signed targets of several values divided by one number (their norm, each row of several
    targets by its own sum: the values keep both signs; one target divided by itself is 1).

    ## Why is this bad?
    The model can never produce the targets: a sigmoid output trained on prices saturates at
    1, a ReLU output trained on negative targets sits at 0 with zero gradient. The loss stops
    falling at a large value and the predictions are useless, with no error raised.

    ## Example
    ```python
    X, y = make_regression(1000, 5)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y)
    ```

    ## Use instead
    A linear output (`Dense(1)`), or targets scaled into the output's range before `fit`
    (`MinMaxScaler().fit_transform(y)` for a sigmoid output).

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL310"
    name = "output-range-mismatch"
    severity = Severity.WARNING
    summary = "A bounded output activation (sigmoid, softmax, ReLU, tanh) trained by regression on targets outside its range."
    failing = (
        "import numpy as np\nimport keras\nx = np.array([[1.0], [2.0], [3.0], [4.0]])\ny = np.array([[1.0], [2.0], [3.0], [4.0]])\nmodel = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1, activation='sigmoid')])  # TL310\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)\n",
        "from sklearn.datasets import make_regression\nfrom tensorflow import keras\nX, y = make_regression(1000, 5)\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(8, input_dim=5))\nmodel.add(keras.layers.Dense(1))\nmodel.add(keras.layers.Activation('relu'))  # TL310\nmodel.compile(loss='mean_absolute_error', optimizer='sgd')\nmodel.fit(X, y)\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())\nx = torch.tensor([[0.0], [1.0], [2.0]])\ny = torch.tensor([[0.0], [2.0], [4.0]])\nloss = nn.MSELoss()(model(x), y)  # TL310\n",
    )
    passing = (
        "import numpy as np\nimport keras\nx = np.array([[1.0], [2.0], [3.0], [4.0]])\ny = np.array([[1.0], [2.0], [3.0], [4.0]])\nmodel = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)\n",
    )
    lookalikes = (
        # targets scaled into the output's range first
        "import numpy as np\nimport keras\nx = np.array([[1.0], [2.0], [3.0], [4.0]])\ny = np.array([[1.0], [2.0], [3.0], [4.0]]) / 4\nmodel = keras.Sequential([keras.layers.Dense(4, activation='relu'), keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)\n",
        # 0/1 labels with a sigmoid and binary cross-entropy
        "import numpy as np\nimport keras\nx = np.array([[1.0], [2.0], [3.0], [4.0]])\ny = np.array([0, 1, 0, 1])\nmodel = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\nmodel.fit(x, y)\n",
        # targets read from a file: their range is unknown
        "import numpy as np\nimport keras\nx = np.loadtxt('x.csv')\ny = np.loadtxt('y.csv')\nmodel = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(x, y)\n",
    )

    def _report(self, ctx, node, act, act_node, y, escape):
        """Reported at the output activation (the line to change), with the training call and the
        targets as related locations."""
        line = ctx.line(act_node) if act_node is not None else None
        where = f" (line {line})" if line else ""
        _, _, text = RANGES[act]
        source = y.span[2]
        at = act_node if act_node is not None and line else node
        ctx.report(self, at,
                   f"the model's output is a {act}, {text}{where}; {value_name(ctx, y)} holds {escape} ({source}): "
                   f"the model can never produce these targets; use a linear output or scale the targets into its range",
                   related=([(node, "trained on these targets here")] if at is not node else [])
                   + ([(y.origin, "the targets are made here")] if y.origin is not None else []))

    def on_fit(self, ctx, ev):
        if ev.method not in ("fit", "train_on_batch") or not isinstance(ev.y, Tensor) or ev.y.span is None:
            return
        out = keras_output(ev.model)
        if out is None or out[1] not in RANGES:
            return
        act_node = _activation_layer(ev.model, out[1]) or out[2]
        loss = compiled_loss(ev.model)
        if isinstance(loss, (Seq, MutableList)) and len(loss.items) == 1:
            loss = loss.items[0]
        kind, _ = loss_kind(loss)
        if kind != "regression" and not _poisson(loss):
            return
        escape = outside(out[1], ev.y.span)
        if escape:
            self._report(ctx, ev.node, out[1], act_node, ev.y, escape)

    def on_loss_call(self, ctx, ev):
        if ev.fw != "torch" or getattr(ev.loss, "kind", None) not in TORCH_REGRESSION:
            return
        pred, target = pred_target(ev)
        if not isinstance(pred, Tensor) or not isinstance(target, Tensor) or target.span is None:
            return
        act = pred.activation
        if act not in RANGES:
            return
        escape = outside(act, target.span)
        if escape:
            self._report(ctx, ev.node, act, pred.origin, target, escape)
