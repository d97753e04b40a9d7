from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Loss, MutableList, Ref, Seq, Tensor

from ._common import value_name
from ._losses import compiled_loss, pred_target

PERCENTAGE = ("mape", "mean_absolute_percentage_error", "MeanAbsolutePercentageError")
# torch losses that compare the output and the target value for value
TORCH_REGRESSION = ("torch.nn.MSELoss", "torch.nn.L1Loss", "torch.nn.SmoothL1Loss", "torch.nn.HuberLoss",
                    "torch.nn.functional.mse_loss", "torch.nn.functional.l1_loss", "torch.nn.functional.smooth_l1_loss")


def _loss_name(loss) -> str:
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return loss.value
    if isinstance(loss, (Loss,)):
        return loss.short
    if isinstance(loss, Ref):
        return loss.qualname.rsplit(".", 1)[-1]
    return "the loss"


class RegressionLossOnClassLabels(Rule):
    """
    ## What it does
    Finds a Keras model trained with a regression loss (mean squared, absolute or percentage
    error, Huber, log-cosh), or a PyTorch `MSELoss`/`L1Loss`/`mse_loss` call, on targets the
    program shows to be class labels: one-hot rows
    (`to_categorical`, `tf.one_hot`, `F.one_hot`, `np.eye(n)[y]`, literal rows such as
    `[[1, 0], [0, 1]]`)
    or class ids (`make_classification`/`make_blobs` labels, the labels of `load_data()`).

    ## Why is this bad?
    A regression loss treats the class ids as quantities and the one-hot rows as coordinates to
    approach: with a softmax or sigmoid output its gradient vanishes as the output saturates, so
    the classifier trains slowly or stalls where cross-entropy would not, and `accuracy` reads
    the outputs as if they were probabilities. A percentage error (`mape`) divides by the target,
    which is 0 for every absent class: the loss of those samples is ~1e9 and swamps the rest.

    ## Example
    ```python
    y_train = to_categorical(y_train)
    model.add(Dense(10, activation="softmax"))
    model.compile(loss="mean_squared_error", optimizer="sgd")
    ```

    ## Use instead
    ```python
    model.compile(loss="categorical_crossentropy", optimizer="sgd")  # binary_crossentropy for 0/1 labels
    ```

    ## Fix safety
    There is no automatic fix. The rule is opt-in: a squared error on one-hot targets does train
    (slower), and some programs use it on purpose.
    """

    code = "TL313"
    name = "regression-loss-on-class-labels"
    severity = Severity.INFO
    default = False
    summary = "A regression loss (mse, mae, mape, ...) trains a classifier on one-hot rows or class ids."
    failing = (
        "import numpy as np\nimport keras\nx = np.random.rand(100, 8)\ny = keras.utils.to_categorical(np.random.randint(0, 3, 100), 3)\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(optimizer='sgd', loss='mean_squared_error')  # TL313\nmodel.fit(x, y)\n",
    )
    passing = (
        "import numpy as np\nimport keras\nx = np.random.rand(100, 8)\ny = keras.utils.to_categorical(np.random.randint(0, 3, 100), 3)\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\nmodel.fit(x, y)\n",
    )
    lookalikes = (
        # regression targets
        "from sklearn.datasets import make_regression\nimport keras\nX, y = make_regression(200, 4)\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(X, y)\n",
        # an autoencoder reconstructing one-hot inputs is trained on its input, not on labels
        "import numpy as np\nimport keras\nx = keras.utils.to_categorical(np.random.randint(0, 5, 100), 5)\n"
        "model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2), keras.layers.Dense(5, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(x, x)\n",
    )

    def on_fit(self, ctx, ev):
        y = ev.y
        if ev.method not in ("fit", "train_on_batch") or not isinstance(y, Tensor) or not (y.onehot or y.classes):
            return
        if ev.x is y:
            return  # trained to reproduce its input
        loss = compiled_loss(ev.model)
        if isinstance(loss, (Seq, MutableList)) and len(loss.items) == 1:
            loss = loss.items[0]
        kind, _ = loss_kind(loss)
        if kind != "regression":
            return
        model = ev.model
        at = model.compile_node if isinstance(model, Container) and model.compile_node is not None else ev.node
        self._report(ctx, at, ev.node, _loss_name(loss), loss, y)

    def on_loss_call(self, ctx, ev):
        if ev.fw != "torch" or getattr(ev.loss, "kind", None) not in TORCH_REGRESSION:
            return
        pred, y = pred_target(ev)
        if not isinstance(y, Tensor) or not (y.onehot or y.classes) or pred is y:
            return
        self._report(ctx, ev.node, ev.node, ev.loss.short, ev.loss, y)

    def _report(self, ctx, at, call_node, name, loss, y):
        what = "one-hot rows" if y.onehot else "class ids"
        zeros = "every absent class" if y.onehot else "every sample of class 0"
        if name in PERCENTAGE or getattr(loss, "kind", "").endswith(PERCENTAGE):
            why = (f"the percentage error divides by the target, which is 0 for {zeros}: those samples get a loss "
                   f"near 1e9 that swamps the rest")
        else:
            why = ("a regression loss treats them as quantities to approach, not classes: with a softmax or sigmoid "
                   "output its gradient vanishes as the output saturates, and the classifier trains slowly or stalls")
        targets = value_name(ctx, y) if y.name else "the targets"
        ctx.report(self, at,
                   f"{name} is trained on {targets}, class labels ({what}): {why}; use a cross-entropy "
                   f"(categorical_crossentropy / CrossEntropyLoss, or binary_crossentropy / BCEWithLogitsLoss for 0/1 labels)",
                   related=[(call_node, "trained on these labels here")] if at is not call_node else [])
