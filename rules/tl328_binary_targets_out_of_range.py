from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import MutableList, Seq, Tensor, is_int_dtype

from ._common import value_name
from ._losses import compiled_loss, keras_output, pred_target


def _fmt(v: float) -> str:
    return "unbounded" if v in (float("inf"), float("-inf")) else f"{v:g}"


def escape(y) -> str | None:
    """How the targets `y` leave [0, 1], the range of a binary cross-entropy's targets, or None
    when the program does not show that they do."""
    if not isinstance(y, Tensor) or y.span is None or y.onehot:
        return None
    lo, hi, _ = y.span
    if hi > 1:
        return "values up to " + _fmt(hi) if hi != float("inf") else "unbounded positive values"
    if lo < 0:
        return "values down to " + _fmt(lo) if lo != float("-inf") else "unbounded negative values"
    return None


def advice(y) -> str:
    """What to do instead, by what the targets are."""
    lo, hi, _ = y.span
    if lo >= 0 and hi < float("inf") and hi == int(hi) and (y.classes or is_int_dtype(y.dtype)):
        k = int(hi) + 1
        # a labeled data set's ids cover its classes; other data (a randint sample) is only known
        # to reach `hi`: the largest id may lie above it
        count, units = (f"{k}", f"{k} softmax units") if y.classes else (f"at least {k}", "one softmax unit per class")
        return (f"they are class ids of {count} classes: give the model {units} and use sparse categorical "
                f"cross-entropy (or CrossEntropyLoss in PyTorch)")
    if lo == -1 and hi == 1:
        return "map the labels -1/1 to 0/1 first ((y + 1) / 2)"
    return "scale the targets into [0, 1] or use a regression loss"


class BinaryTargetsOutOfRange(Rule):
    """
    ## What it does
    Finds a binary cross-entropy (Keras `'binary_crossentropy'`, `BinaryCrossentropy`,
    `BinaryFocalCrossentropy`; PyTorch `BCELoss`, `BCEWithLogitsLoss` and their functional
    forms) given targets that the program shows to lie outside [0, 1]: the class ids of a data
    set with more than two classes (`keras.datasets.cifar10.load_data()`,
    `make_classification(n_classes=4)`), literal labels such as `[0, 1, 2, 3]`, labels in
    {-1, 1}, regression targets, a sizable sample of uniform draws reaching below 0 or above 1
    (`tf.random.uniform(shape, -2.0, 2.0)`, `torch.rand(n, 1) * 2 - 1`), targets min-max scaled
    to [-1, 1] (`2 * ((y - min(y)) / (max(y) - min(y))) - 1`).

    ## Why is this bad?
    Binary cross-entropy reads each target as the probability of the positive class. A target
    of 3 makes the loss unbounded below: the model is pushed to output ever larger logits for
    those samples, and the classes above 1 can never be told apart from one another. Keras and
    PyTorch accept such targets without an error, so the model trains on a meaningless
    objective; with one sigmoid unit it cannot even represent more than two classes.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    model = keras.Sequential([..., keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(x_train, y_train)
    ```

    ## Use instead
    ```python
    model = keras.Sequential([..., keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    ```

    ## Fix safety
    There is no automatic fix: the output layer and the loss both change.
    """

    code = "TL328"
    name = "binary-targets-out-of-range"
    severity = Severity.ERROR
    summary = "A binary cross-entropy given targets outside [0, 1] (class ids of more than two classes, -1/1 labels)."
    failing = (
        "import keras\n(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
        "model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(1, activation='sigmoid')])  # TL328\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(x_train / 255.0, y_train)\n",
        "import numpy as np\nfrom tensorflow import keras\nX = np.array([[0.5, 1], [0.9, 1], [0.8, 0], [0.3, 1]])\ny = np.array([[1], [2], [3], [0]])\n"
        "model = keras.Sequential([keras.layers.Dense(1, input_dim=2, activation='sigmoid')])  # TL328\n"
        "model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer='sgd')\nmodel.fit(X, y, epochs=5)\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(4, 1)\nx = torch.randn(4, 4)\ny = torch.tensor([[0.0], [1.0], [-1.0], [1.0]])\n"
        "loss = nn.BCEWithLogitsLoss()(net(x), y)  # TL328\n",
    )
    passing = (
        "import keras\n(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
        "model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\nmodel.fit(x_train / 255.0, y_train)\n",
    )
    lookalikes = (
        # two classes: ids 0 and 1 are the probabilities binary cross-entropy wants
        "from sklearn.datasets import make_classification\nfrom tensorflow import keras\nX, y = make_classification(200, 8)\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(X, y)\n",
        # one-hot rows of ten classes with a sigmoid per class (multi-label style)
        "import keras\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\ny = keras.utils.to_categorical(y_train, 10)\n"
        "model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation='sigmoid')])\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(x_train, y)\n",
        # -1/1 labels mapped to 0/1 first
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(4, 1)\ny = torch.tensor([[1.0], [-1.0], [1.0], [-1.0]])\n"
        "loss = nn.BCEWithLogitsLoss()(net(torch.randn(4, 4)), (y + 1) / 2)\n",
        # labels read from a file: their values are unknown
        "import numpy as np\nfrom tensorflow import keras\nX, y = np.load('x.npy'), np.load('y.npy')\n"
        "model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(X, y)\n",
        # the labels of a binary question asked of a ten-class data set
        "import keras\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\nis_seven = (y_train == 7).astype('float32')\n"
        "model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(x_train, is_seven)\n",
    )

    def _report(self, ctx, node, y, how, loss_name, related):
        ctx.report(self, node,
                   f"{loss_name} reads each target as the probability of the positive class, in [0, 1], but "
                   f"{value_name(ctx, y)} holds {how} ({y.span[2]}); {advice(y)}",
                   related=related + ([(y.origin, "the targets are made here")] if y.origin is not None else []))

    def on_fit(self, ctx, ev):
        if ev.method not in ("fit", "train_on_batch", "evaluate", "test_on_batch"):
            return
        loss = compiled_loss(ev.model)
        if isinstance(loss, (Seq, MutableList)) and len(loss.items) == 1:
            loss = loss.items[0]
        if loss_kind(loss)[0] != "binary":
            return
        how = escape(ev.y)
        if how is None:
            return
        # reported at the output layer, the line to change, when the model shows it
        out = keras_output(ev.model)
        layer = out[2] if out is not None and out[2] is not None and ctx.line(out[2]) else None
        where = layer if layer is not None else ev.node
        related = [(ev.node, "trained on these targets here")] if layer is not None else []
        self._report(ctx, where, ev.y, how, "binary cross-entropy", related)

    def on_loss_call(self, ctx, ev):
        kind = getattr(ev.loss, "kind", None) or ""
        if ev.fw == "torch":
            if kind not in ("torch.nn.BCELoss", "torch.nn.BCEWithLogitsLoss"):
                return
        elif loss_kind(ev.loss)[0] != "binary":
            return
        _, target = pred_target(ev)
        how = escape(target)
        if how is not None:
            self._report(ctx, ev.node, target, how, getattr(ev.loss, "short", None) or "binary cross-entropy", [])
