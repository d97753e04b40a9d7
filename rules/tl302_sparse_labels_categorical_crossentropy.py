import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Instance, Loss, Tensor, is_int_dtype, shape_list

from ._common import value_name
from ._losses import compile_loss_node, loss_rename_fix, rename_fix

SPARSE_NAMES = {
    "CategoricalCrossentropy": "SparseCategoricalCrossentropy",
    "categorical_crossentropy": "sparse_categorical_crossentropy",
}


def sparse_int_labels(y) -> bool:
    """Integer class indices: 1-D, or 2-D with a trailing axis of 1, and not one-hot."""
    if not isinstance(y, Tensor) or y.onehot or not is_int_dtype(y.dtype) or y.dtype == "bool":
        return False
    if y.rank == 1:
        return True
    return y.rank == 2 and y.shape[-1] == 1


def _one_row(y, pred) -> bool:
    """1-D labels as long as the prediction's class axis, for a prediction with another batch
    size: one sample's one-hot row written without its batch axis (`[0, 1]` beside logits of
    shape [1, 2]), not one class index per sample."""
    if not isinstance(pred, Tensor) or y.rank != 1 or not pred.rank or pred.rank < 2:
        return False
    n, batch, classes = y.dim(0), pred.dim(0), pred.dim(-1)
    return all(isinstance(d, int) for d in (n, batch, classes)) and n == classes and n != batch


class SparseLabelsCategoricalCrossentropy(Rule):
    """
    ## What it does
    Finds integer class labels (1-D integer arrays or tensors, `randint`, an integer
    `tf.constant`, the labels of `keras.datasets.*.load_data()` not passed through
    `to_categorical`/`one_hot`) used with `CategoricalCrossentropy`,
    `'categorical_crossentropy'` or `categorical_crossentropy(...)`, passed to `fit` directly or
    through a batched `tf.data.Dataset.from_tensor_slices((x, y))` pipeline or a generator that
    yields `(x, y)` batches. A 1-D integer row as long as the prediction's class axis, beside a
    prediction with another batch size (`[0, 1]` for logits of shape [1, 2]), is one sample's
    one-hot row written without its batch axis and is left alone.

    ## Why is this bad?
    Categorical cross-entropy wants one row of class probabilities per sample (one-hot).
    Given class indices it fails with `ValueError: Shapes (None, 1) and (None, 10) are
    incompatible`, or, where the shapes happen to broadcast, computes a meaningless loss.

    ## Example
    ```python
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(x_train, y_train)  # y_train = [3, 1, 4, ...]
    ```

    ## Use instead
    ```python
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    ```
    or one-hot encode the labels with `keras.utils.to_categorical(y_train, num_classes)`.

    ## Fix safety
    Switching to the sparse variant is unsafe: it is right for integer labels, but the labels
    may be meant to be one-hot encoded elsewhere.
    """

    code = "TL302"
    name = "sparse-labels-categorical-crossentropy"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "Integer class labels used with categorical cross-entropy."
    failing = (
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(np.random.rand(100, 8), np.random.randint(0, 10, 100))  # TL302\n",
        "import keras\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\nmodel = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])\nmodel.compile(loss=keras.losses.CategoricalCrossentropy())\nmodel.fit(x_train / 255.0, y_train)  # TL302\n",
        # labels that arrive through a tf.data pipeline
        "import numpy as np\nimport tensorflow as tf\nfeatures = np.random.rand(100, 8).astype('float32')\nlabels = np.random.randint(0, 10, 100)\n"
        "train_ds = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(100).batch(32)\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(train_ds, epochs=3)  # TL302\n",
        # labels that a generator yields batch by batch
        "import numpy as np\nfrom tensorflow import keras\nx, y = np.random.rand(100, 8), np.random.randint(0, 10, 100)\n\n"
        "def batches(size=32):\n    while True:\n        idx = np.random.randint(0, 100, size)\n        yield x[idx], y[idx]\n\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(batches(), steps_per_epoch=3)  # TL302\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\nmodel.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(np.random.rand(100, 8), np.random.randint(0, 10, 100))\n",
    )
    lookalikes = (
        "import numpy as np\nfrom tensorflow import keras\ny = keras.utils.to_categorical(np.random.randint(0, 10, 100), 10)\nmodel = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(np.random.rand(100, 8), y)\n",
        # a tf.data pipeline whose map() one-hot encodes the labels
        "import numpy as np\nimport tensorflow as tf\nx, y = np.random.rand(100, 8), np.random.randint(0, 10, 100)\n"
        "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, tf.one_hot(b, 10))).batch(32)\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(ds)\n",
        # a generator that one-hot encodes what it yields
        "import numpy as np\nfrom tensorflow import keras\nx, y = np.random.rand(100, 8), np.random.randint(0, 10, 100)\n\n"
        "def batches(size=32):\n    while True:\n        idx = np.random.randint(0, 100, size)\n        yield x[idx], keras.utils.to_categorical(y[idx], 10)\n\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(batches(), steps_per_epoch=3)\n",
        # one-hot rows picked from an identity matrix
        "import numpy as np\nfrom tensorflow import keras\nlabels = np.random.randint(0, 10, 100)\nmodel = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(np.random.rand(100, 8), np.eye(10)[labels])\n",
    )

    def on_fit(self, ctx, ev):
        if ev.y is None or ev.method in ("predict", "__call__"):
            return
        model = ev.model
        loss = model.loss if isinstance(model, Container) else model.attrs.get("__loss__") if isinstance(model, Instance) else None
        kind, _ = loss_kind(loss)
        if kind != "categorical" or not sparse_int_labels(ev.y):
            return
        node = model.compile_node if isinstance(model, Container) else None
        fix = loss_rename_fix(ctx, loss, compile_loss_node(node), SPARSE_NAMES, "Use `{new}`")
        ctx.report(self, ev.node, f"{value_name(ctx, ev.y)} holds integer class indices (shape {shape_list(ev.y.shape)}, {ev.y.dtype}) but the model is compiled with categorical cross-entropy",
                   fix=fix, related=[(node, "compiled here")] if node is not None else [])

    def on_loss_call(self, ctx, ev):
        if ev.fw != "keras" or not ev.args:
            return
        kind, _ = loss_kind(ev.loss)
        y = ev.args[0]
        if kind == "categorical" and isinstance(y, Tensor) and y.origin is not None and y.rank == 2 and not is_int_dtype(y.dtype):
            # a placeholder of one-hot rows: what is fed to it decides (on_feed)
            ctx.__dict__.setdefault("_tl302_onehot_inputs", {})[id(y.origin)] = (y.origin, ev)
        if kind != "categorical" or not sparse_int_labels(y) or _one_row(y, ev.args[1] if len(ev.args) > 1 else None):
            return
        fix = rename_fix(ctx, ev.loss.node, SPARSE_NAMES, "Use `{new}`") if isinstance(ev.loss.node, cst.Call) else None
        ctx.report(self, ev.node, f"{value_name(ctx, y)} holds integer class indices (shape {shape_list(y.shape)}, {y.dtype}); {ev.loss.short} wants one-hot labels",
                   fix=fix)

    def on_feed(self, ctx, ev):
        """TF1: integer class indices fed to a float placeholder of one-hot rows that a categorical
        cross-entropy takes as its labels."""
        ph, x = ev.placeholder, ev.value
        seen = ctx.__dict__.get("_tl302_onehot_inputs")
        if not seen or not isinstance(ph, Tensor) or ph.origin is None or not sparse_int_labels(x):
            return
        origin, loss_ev = seen.get(id(ph.origin), (None, None))
        classes = ph.dim(-1) if ph.rank == 2 else None
        if origin is not ph.origin or not isinstance(classes, int) or classes < 2:
            return
        name = f"`{ph.name}`" if ph.name else "the placeholder"
        ctx.report(self, ev.node,
                   f"{value_name(ctx, x)} holds integer class indices (shape {shape_list(x.shape)}, {x.dtype}), fed to {name} "
                   f"(line {ctx.line(ph.origin)}), whose rows of {classes} class probabilities {loss_ev.loss.short} reads as "
                   f"one-hot labels; one-hot encode them (np.eye({classes})[labels]) or use the sparse loss",
                   related=[(ph.origin, "the placeholder is declared here"), (loss_ev.node, "the loss reads it here")])
