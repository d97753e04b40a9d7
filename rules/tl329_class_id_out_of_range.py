import math

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.common import literal_span
from tensorlint.frameworks.keras import loss_kind
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Const, MutableList, Seq, Tensor, is_int_dtype

from ._losses import compiled_loss, keras_output, pred_target

# the losses that read each target as the index of one of the prediction's classes
TORCH_CLASS_LOSSES = ("torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss")
NAMES = {"tensorflow.one_hot": "tf.one_hot", "keras.utils.to_categorical": "to_categorical",
         "torch.nn.functional.one_hot": "F.one_hot"}


def _whole(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v) and v == int(v)


def reach(y):
    """(highest value the class ids `y` are known to hold, how that is known), or None when the
    program does not show it: an unknown value, float data, one-hot rows."""
    if isinstance(y, (Seq, MutableList)):
        span = literal_span(y)
        if span is None or not (_whole(span[0]) and _whole(span[1])):
            return None
        return span[1], "literal labels"
    if not isinstance(y, Tensor) or y.span is None or y.onehot or (y.dtype and not is_int_dtype(y.dtype)):
        return None  # float targets may be class probabilities (PyTorch) or values of another kind
    return (y.span[1], y.span[2]) if _whole(y.span[1]) else None


def _ignored(value) -> bool:
    """A loss option that sets a label aside (`ignore_index`, `ignore_class`) to a value that
    may be one of the ids past the classes: anything but a literal negative number or None."""
    if value is None:
        return False
    v = value.value if isinstance(value, Const) else value
    if v is None:
        return False
    return not (isinstance(v, int) and not isinstance(v, bool) and v < 0)


def _spatial_targets(pred, target) -> bool:
    """Whether `target` is known to have the shape CrossEntropyLoss wants against a prediction of
    rank 3 or more, (N, C, d1, ...): the prediction's shape less its class axis, dim 1."""
    if not isinstance(target, Tensor) or target.rank is None or pred.shape is None:
        return False
    want = pred.shape[:1] + pred.shape[2:]
    return len(want) == len(target.shape) and all(known_int(a) and a == b for a, b in zip(want, target.shape))


def _options_hidden(loss) -> bool:
    """Whether a loss object was made with unpacked arguments (`CrossEntropyLoss(**opts)`), which
    may set a label aside that its facts do not show."""
    node = getattr(loss, "node", None)
    return isinstance(node, cst.Call) and _positional(node) < 0


def _positional(call) -> int:
    """How many positional arguments a call gives; -1 when it unpacks some (`f(*args)`)."""
    args = [a for a in getattr(call, "args", ()) if a.keyword is None]
    return -1 if any(a.star for a in args) else len(args)


def _validation_labels(ev):
    """(the labels, the argument's node) of `fit(..., validation_data=(x, y))` (or `(x, y, w)`):
    Keras scores every one of them after each epoch; None for any other form (a Dataset, a
    generator, a value not known)."""
    data = ev.kwargs.get("validation_data") if ev.method == "fit" else None
    if not isinstance(data, Seq) or len(data.items) not in (2, 3):
        return None
    node = next((a.value for a in getattr(ev.node, "args", ()) if a.keyword is not None
                 and a.keyword.value == "validation_data"), None)
    return (data.items[1], node) if node is not None else None


class ClassIdOutOfRange(Rule):
    """
    ## What it does
    Finds integer class labels that the program shows to reach the number of classes they are
    used with, or to go past it: sparse categorical cross-entropy in Keras (`compile` then `fit`,
    its `validation_data=(x, y)`, `train_on_batch`, `evaluate`) against the units of the model's last Dense layer; PyTorch
    `CrossEntropyLoss`, `NLLLoss` and their functional forms against the class axis of the
    prediction (the last `nn.Linear`'s `out_features`); `to_categorical(y, num_classes)`,
    `tf.one_hot(y, depth)` and `F.one_hot(y, num_classes)` against their class count. The labels'
    values come only from what the program shows: the class ids of a known data set
    (`keras.datasets.cifar100.load_data()` holds 0-99, also through
    `tf.data.Dataset.from_tensor_slices`; torchvision's `CIFAR100` 0-99 and `MNIST`,
    `FashionMNIST`, `KMNIST`, `CIFAR10` 0-9, through a `DataLoader` whose every batch a loop
    takes), literal labels, a sizable sample of `randint(low, high)` draws, and those moved by a
    literal number (`y + 1`). A part of a data set (a slice, a loader with a `sampler=`) holds
    only some of its labels and shows none of them.

    ## Why is this bad?
    A classifier with `K` outputs has the class ids `0 .. K-1`. An id of `K` or more has no
    output to score it: Keras stops with `Received a label value of 10 which is outside the
    valid range of [0, 10)`, PyTorch with `IndexError: Target 10 is out of bounds` (on GPU a
    device-side assertion `t >= 0 && t < n_classes` that names no line), `to_categorical` with
    an `IndexError`. `tf.one_hot` raises nothing: an id at or past `depth` becomes a row of
    zeros, a sample that then trains towards no class at all. The usual causes are labels
    numbered from 1 (`1 .. K` for `K` outputs) and an output layer sized for another data set.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.cifar100.load_data()
    model = keras.Sequential([..., keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x_train, y_train)  # labels 0-99, ten outputs
    ```

    ## Use instead
    ```python
    model = keras.Sequential([..., keras.layers.Dense(100, activation="softmax")])
    ```

    ## Fix safety
    There is no automatic fix: either the output layer or the labels change.
    """

    code = "TL329"
    name = "class-id-out-of-range"
    severity = Severity.ERROR
    summary = "Integer class labels that reach the number of classes the model outputs (or the one_hot/to_categorical count)."
    failing = (
        "import keras\n(x_train, y_train), _ = keras.datasets.cifar100.load_data()\n"
        "model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\nmodel.fit(x_train / 255.0, y_train)  # TL329\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(16, 5)\nlabels = torch.randint(0, 5, (64,)) + 1\n"
        "loss = nn.CrossEntropyLoss()(net(torch.randn(64, 16)), labels)  # TL329\n",
        "import numpy as np\nfrom tensorflow import keras\ny = np.array([1, 2, 3, 3, 2, 1])\n"
        "y_onehot = keras.utils.to_categorical(y, num_classes=3)  # TL329\n",
    )
    passing = (
        "import keras\n(x_train, y_train), _ = keras.datasets.cifar100.load_data()\n"
        "model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(100, activation='softmax')])\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\nmodel.fit(x_train / 255.0, y_train)\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(16, 5)\nlabels = torch.randint(1, 6, (64,)) - 1\n"
        "loss = nn.CrossEntropyLoss()(net(torch.randn(64, 16)), labels)\n",
    )
    lookalikes = (
        # labels read from a file: their values are unknown
        "import numpy as np\nimport keras\nX, y = np.load('x.npy'), np.load('y.npy')\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\nmodel.fit(X, y)\n",
        # labels numbered from 1, moved down to 0 before they meet the classes
        "import numpy as np\nfrom tensorflow import keras\ny = np.array([1, 2, 3, 3, 2, 1])\n"
        "y_onehot = keras.utils.to_categorical(y - 1, num_classes=3)\n",
        # a class count the program does not show
        "import torch\nimport torch.nn.functional as F\ndef step(net, x):\n"
        "    return F.cross_entropy(net(x), torch.randint(0, 10, (32,)))\n",
        # padding positions marked -100 and left out by ignore_index
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(8, 4)\ny = torch.tensor([0, 3, -100, 2])\n"
        "loss = nn.CrossEntropyLoss(ignore_index=-100)(net(torch.randn(4, 8)), y)\n",
    )

    def _report(self, ctx, node, y, top, how, count, what, related=()):
        k, top = int(count), int(top)
        origin = y.origin if isinstance(y, Tensor) else None
        line = ctx.line(origin) if origin is not None else None
        name = f"`{y.name}`" if isinstance(y, Tensor) and y.name else "the labels"
        name += (f" (line {line})" if line else "") + (" holds" if isinstance(y, Tensor) and y.name else " hold")
        ctx.report(self, node,
                   f"labels reach {top}, but {what} {k} classes (ids 0-{k - 1}): {name} values up to {top} "
                   f"({how}); an id of {k} or more has no class to stand for (number the classes from 0, or give it "
                   f"at least {top + 1} classes)",
                   related=list(related) + ([(origin, "the labels are made here")] if origin is not None else []))

    def _check(self, ctx, node, y, count, what, related=()):
        if not known_int(count) or count < 2:
            return  # one class: TL306's field (a single output unit)
        got = reach(y)
        if got is None or got[0] < count:
            return
        self._report(ctx, node, y, got[0], got[1], count, what, related)

    def on_fit(self, ctx, ev):
        if ev.method not in ("fit", "train_on_batch", "evaluate", "test_on_batch"):
            return
        loss = compiled_loss(ev.model)
        if isinstance(loss, (Seq, MutableList)) and len(loss.items) == 1:
            loss = loss.items[0]
        if loss_kind(loss)[0] != "sparse_categorical" or _ignored(getattr(loss, "facts", {}).get("ignore_class")) \
                or _options_hidden(loss):
            return
        out = keras_output(ev.model)
        if out is None or out[0] is None:
            return
        related = [(out[2], "the output layer")] if out[2] is not None and ctx.line(out[2]) else []
        self._check(ctx, ev.node, ev.y, out[0], "the model outputs", related)
        held_out = _validation_labels(ev)
        if held_out is not None:  # the labels fit scores the model on after each epoch
            self._check(ctx, held_out[1], held_out[0], out[0], "the model outputs", related)

    def on_loss_call(self, ctx, ev):
        kind = getattr(ev.loss, "kind", None) or ""
        pred, target = pred_target(ev)
        if not isinstance(pred, Tensor) or pred.rank is None or pred.rank < 1:
            return
        facts = getattr(ev.loss, "facts", {}) or {}
        if _options_hidden(ev.loss):
            return
        if ev.fw == "torch":
            if kind not in TORCH_CLASS_LOSSES:
                return
            ignore = ev.kwargs.get("ignore_index", facts.get("ignore_index"))
            if _positional(ev.node) > 4 or _positional(ev.node) < 0:
                return  # F.cross_entropy(input, target, weight, size_average, ignore_index, ...), or *args
            if _ignored(ignore) or "**" in ev.kwargs:
                return
            if pred.rank >= 3 and not _spatial_targets(pred, target):
                return  # (N, T, C) fed as is: the shapes clash (TL208), dim 1 is not the classes
            count = pred.dim(1) if pred.rank >= 2 else pred.dim(0)  # (N, C, ...) or one sample's (C,)
        else:
            if loss_kind(ev.loss)[0] != "sparse_categorical" or _ignored(facts.get("ignore_class")):
                return
            count = pred.dim(-1)
        self._check(ctx, ev.node, target, count, "the prediction scores")

    def on_api_call(self, ctx, ev):
        name = NAMES.get(ev.qualname)
        if name is None or len(ev.args) < 2:
            return
        count = ev.args[1].value if isinstance(ev.args[1], Const) else None
        self._check(ctx, ev.node, ev.args[0], count, f"{name} makes rows of")
