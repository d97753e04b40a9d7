from tensorlint.findings import Applicability, Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Container, Tensor, shape_list

from ._common import value_name
from ._losses import compile_loss_node, compiled_loss, keras_output, loss_rename_fix, pred_target, rename_fix

DENSE_NAMES = {
    "SparseCategoricalCrossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "categorical_crossentropy",
    "sparse_softmax_cross_entropy_with_logits": "softmax_cross_entropy_with_logits",
}


def dense_labels(y, pred_rank=None, classes=None) -> bool:
    """One row of class scores per sample: made by one_hot/to_categorical, or of the
    prediction's own rank with as many columns as it has classes. (Integer labels of shape
    (N, T) for a sequence model's (N, T, C) output are class indices: not flagged.) One-hot
    labels of classes not counted in the file (folders of images) are rows all the same."""
    if not isinstance(y, Tensor) or y.rank is None or y.rank < 2:
        return False
    last = y.dim(-1)
    if y.onehot and last is None:
        return True
    if not known_int(last) or last < 2:
        return False
    return y.onehot or (pred_rank == y.rank and classes == last)


def _scores(y) -> str:
    n = y.dim(-1)
    return f"{n} class scores" if known_int(n) else "one-hot class scores"


def model_output(model):
    """(rank, classes) of what a Keras Sequential model of Dense layers on flat features outputs."""
    if not isinstance(model, Container) or not isinstance(model.input_shape, tuple) or len(model.input_shape) != 1:
        return None, None
    out = keras_output(model)
    if out is None or not all(getattr(l, "short", None) in ("Dense", "Dropout", "Activation", "Softmax", "BatchNormalization") for l in model.layers):
        return None, None
    return 2, out[0]


class OnehotLabelsSparseCrossentropy(Rule):
    """
    ## What it does
    Finds one-hot or 2-D probability labels (from `to_categorical`, `tf.one_hot`, the
    `np.eye(n)[labels]` idiom, a `[None, 10]` placeholder, any `(N, C)` array with `C > 1`,
    directly or through a batched `tf.data` pipeline) used with
    `SparseCategoricalCrossentropy`, `'sparse_categorical_crossentropy'`,
    `sparse_categorical_crossentropy(...)` or
    `tf.nn.sparse_softmax_cross_entropy_with_logits`.

    ## Why is this bad?
    Sparse cross-entropy wants one integer class index per sample. Given one-hot rows it fails
    with `ValueError: Shape mismatch: The shape of labels (received (320,)) should equal the
    shape of logits except for the last dimension (received (32, 10))` or
    `logits and labels must have the same first dimension`.

    ## Example
    ```python
    y = keras.utils.to_categorical(labels, 10)
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, y)
    ```

    ## Use instead
    ```python
    model.compile(loss="categorical_crossentropy")
    ```
    or keep the integer labels (`model.fit(x, labels)`).

    ## Fix safety
    Switching to the non-sparse loss is unsafe: it is right for one-hot labels, but the labels
    may be the part that should change.
    """

    code = "TL303"
    name = "onehot-labels-sparse-crossentropy"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "One-hot or 2-D probability labels used with sparse categorical cross-entropy."
    failing = (
        "import numpy as np\nimport keras\ny = keras.utils.to_categorical(np.random.randint(0, 6, size=50), num_classes=6)\nmodel = keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(6)])\nmodel.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nmodel.fit(np.random.rand(50, 12), y)  # TL303\n",
        "import tensorflow as tf\nlabels = tf.one_hot([0, 2, 1], depth=3)\nlogits = tf.random.normal((3, 3))\nloss = tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)  # TL303\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.float32, [None, 10])\nlogits = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))\nxent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)  # TL303\n",
        "import numpy as np\nimport tensorflow as tf\nx = np.random.rand(60, 5).astype('float32')\ny = tf.one_hot(np.random.randint(0, 3, 60), 3)\n"
        "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(20).prefetch(1)\n"
        "model = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(3)])\n"
        "model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nmodel.fit(ds)  # TL303\n",
        # the np.eye(n)[labels] idiom makes one-hot rows
        "import numpy as np\nfrom tensorflow import keras\nlabels = np.random.randint(0, 4, 64)\ny = np.eye(4)[labels]\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(np.random.rand(64, 8), y, epochs=1)  # TL303\n",
    )
    passing = (
        "import numpy as np\nimport keras\ny = keras.utils.to_categorical(np.random.randint(0, 6, size=50), num_classes=6)\nmodel = keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(6)])\nmodel.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\nmodel.fit(np.random.rand(50, 12), y)\n",
    )
    lookalikes = (
        # integer labels of shape (N, 1) are what the sparse loss wants
        "import numpy as np\nimport keras\n(x, y), _ = keras.datasets.cifar10.load_data()\nmodel = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10)])\nmodel.compile(loss='sparse_categorical_crossentropy')\nmodel.fit(x / 255.0, y)\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 784])\ny = tf.placeholder(tf.int64, [None])\nlogits = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))\nxent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)\n",
        # token labels (N, T) for a sequence model's (N, T, vocab) output
        "import numpy as np\nimport tensorflow as tf\ntokens = np.random.randint(0, 50, size=(8, 12))\nlogits = tf.random.normal((8, 12, 50))\nloss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(tokens, logits)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.y is None or ev.method in ("predict", "predict_on_batch", "__call__"):
            return
        loss = compiled_loss(ev.model)
        kind, _ = loss_kind(loss)
        if kind != "sparse_categorical" or not dense_labels(ev.y, *model_output(ev.model)):
            return
        model = ev.model
        compile_node = model.compile_node if isinstance(model, Container) else None
        fix = loss_rename_fix(ctx, loss, compile_loss_node(compile_node), DENSE_NAMES, "Use `{new}`")
        ctx.report(
            self, ev.node,
            f"{value_name(ctx, ev.y)} holds one row of {_scores(ev.y)} per sample (shape {shape_list(ev.y.shape)}) "
            f"but the model is compiled with sparse categorical cross-entropy, which wants class indices",
            fix=fix, related=[(compile_node, "compiled here")] if compile_node is not None else [],
        )

    def on_loss_call(self, ctx, ev):
        if ev.fw != "keras" or not ev.args:
            return
        kind, _ = loss_kind(ev.loss)
        pred, y = pred_target(ev)
        rank = pred.rank if isinstance(pred, Tensor) else None
        if kind != "sparse_categorical" or not dense_labels(y, rank, pred.dim(-1) if rank else None):
            return
        fix = rename_fix(ctx, ev.loss.node, DENSE_NAMES, "Use `{new}`")
        ctx.report(
            self, ev.node,
            f"{value_name(ctx, y)} holds one row of {_scores(y)} per sample (shape {shape_list(y.shape)}); "
            f"{ev.loss.short} wants one class index per sample",
            fix=fix, related=[(y.origin, "the labels are made here")] if y.origin is not None else [],
        )
