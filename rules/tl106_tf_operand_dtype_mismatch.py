import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Tensor, is_float_dtype, is_int_dtype

from ._training import parents

def _kind(dtype: str | None) -> str | None:
    if dtype is None or dtype == "bool":
        return None
    if is_int_dtype(dtype):
        return "int"
    return "float" if is_float_dtype(dtype) else None


def _clash(a, b) -> bool:
    """Two TensorFlow tensors that no TensorFlow op combines without a cast: an integer and a
    floating one, or integers of two widths (`tf.argmax` gives int64, `tf.shape` int32). Two
    floats of different widths are left out: a Keras layer casts its float inputs to its own
    dtype, and a tensor's float width is not always known from the program."""
    if a.dtype is None or b.dtype is None or a.dtype == b.dtype:
        return False
    ka, kb = _kind(a.dtype), _kind(b.dtype)
    if ka is None or kb is None:
        return False
    return ka != kb or ka == "int"


def _operands(node) -> tuple:
    """The two operand expressions of `a op b`, `a op= b` or `tf.add(a, b)` (None when unclear)."""
    if isinstance(node, cst.BinaryOperation):
        return node.left, node.right
    if isinstance(node, cst.AugAssign):
        return node.target, node.value
    if isinstance(node, cst.Call):
        args = [a.value for a in node.args if a.keyword is None and not a.star]
        if len(args) >= 2:
            return args[0], args[1]
    return None, None


def _described(ctx, value, expr, dtype: str) -> str:
    text = ctx.source(expr) if expr is not None else None
    if text is not None and len(text) <= 60:
        return f"`{text}` is {dtype}"
    if isinstance(value, Tensor) and value.name:
        return f"`{value.name}` is {dtype}"
    return f"one operand is {dtype}"


class TfOperandDtypeMismatch(Rule):
    """
    ## What it does
    Finds arithmetic and comparisons of two TensorFlow tensors whose dtypes differ in kind
    (`x / tf.shape(x)[0]`: float32 and int32; `tf.equal(tf.argmax(logits, 1), labels)`: int64
    and int32; `tf.maximum(scores, tf.range(n))`), and an integer tensor combined with a Python
    float (`tf.shape(x)[0] * 0.5`): operators, `+=`, `tf.add`/`subtract`/`multiply`/`divide`,
    `tf.maximum`/`minimum`/`pow` and the `tf.equal`/`tf.less`... comparisons; also in a loss or
    metric the program hands `compile`, which Keras calls with the model's float prediction.

    ## Why is this bad?
    TensorFlow does not promote dtypes: the op raises `InvalidArgumentError: cannot compute AddV2
    as input #1 was expected to be a float tensor but is a int32 tensor` (or `TypeError: x and y
    must have the same dtype`) when the line runs, in eager code and when a graph is built. A
    NumPy array or a Python int beside a tensor is converted to the tensor's dtype and is not
    this finding; neither are Keras 3 symbolic tensors and `keras.ops`, which promote, nor an op
    inside a `try` block (the program expects the error).

    ## Example
    ```python
    loss = tf.reduce_sum(tf.square(y - pred)) / tf.shape(y)[0]
    ```

    ## Use instead
    ```python
    loss = tf.reduce_sum(tf.square(y - pred)) / tf.cast(tf.shape(y)[0], tf.float32)
    ```

    ## Fix safety
    There is no automatic fix: which operand to cast, and to what, is the program's choice.
    """

    code = "TL106"
    name = "tf-operand-dtype-mismatch"
    severity = Severity.ERROR
    summary = "TensorFlow op on tensors of different dtypes (float and int, int32 and int64): TensorFlow does not convert them."
    failing = (
        "import tensorflow as tf\n\ny = tf.random.normal([8, 3])\npred = tf.zeros([8, 3])\n"
        "loss = tf.reduce_sum(tf.square(y - pred)) / tf.shape(y)[0]  # TL106\n",
        "import tensorflow as tf\n\nlogits = tf.random.normal([8, 10])\nlabels = tf.constant([1, 2, 3, 4, 5, 6, 7, 8])\n"
        "correct = tf.equal(tf.argmax(logits, 1), labels)  # TL106\n",
        # a metric compile hands to Keras, which calls it with the model's float32 prediction
        "from tensorflow import keras\nfrom tensorflow.keras import backend as K\n\n"
        "def expected_age_error(y_true, y_pred):\n    ages = K.arange(0, 101)\n"
        "    return K.mean(K.abs(K.sum(y_pred * ages, axis=-1) - K.sum(y_true, axis=-1)))  # TL106\n\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(101, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=[expected_age_error])\n",
    )
    passing = (
        "import tensorflow as tf\n\ny = tf.random.normal([8, 3])\npred = tf.zeros([8, 3])\n"
        "loss = tf.reduce_sum(tf.square(y - pred)) / tf.cast(tf.shape(y)[0], tf.float32)\n",
    )
    lookalikes = (
        # the error shown on purpose
        "import tensorflow as tf\n\ntry:\n    tf.constant(2.0) + tf.constant(40)\n"
        "except tf.errors.InvalidArgumentError as ex:\n    print(ex)\n",
        # a NumPy array and a Python int are converted to the tensor's dtype
        "import numpy as np\nimport tensorflow as tf\n\nx = tf.random.normal([8, 3])\n"
        "y = x * np.arange(3) + 2\n",
        # torch promotes int and float tensors
        "import torch\n\nx = torch.randn(8, 3)\ny = x / torch.tensor(x.shape[0])\n",
    )

    def on_elementwise(self, ctx, ev):
        a, b = ev.receiver, ev.args[0]
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            if a.fw != "tf" or b.fw != "tf" or not _clash(a, b):
                return
            pairs = [(a, a.dtype), (b, b.dtype)]
        else:
            t, c = (a, b) if isinstance(a, Tensor) else (b, a)
            if not (isinstance(c, Const) and type(c.value) is float and t.fw == "tf" and _kind(t.dtype) == "int"):
                return
            pairs = [(t, t.dtype), (None, "a Python float")]
        what = ev.node
        if any(isinstance(n, (cst.Try, cst.TryStar)) for n in parents(ctx).ancestors(what)):
            return  # the program expects the error (a notebook showing that TensorFlow does not convert)
        source = ctx.source(what)
        label = f"`{source}`" if len(source) <= 60 else "this operation"
        exprs = _operands(what)
        parts = [_described(ctx, v, e, d) for (v, d), e in zip(((a, _dtype(a)), (b, _dtype(b))), exprs)]
        ctx.report(self, what,
                   f"TensorFlow does not convert dtypes in {label}: {parts[0]}, {parts[1]}; it raises when the "
                   f"line runs. Cast one operand with tf.cast",
                   related=[(t.origin, f"{t.dtype} tensor made here") for t, _ in pairs
                            if t is not None and t.origin is not None])


def _dtype(v) -> str:
    return v.dtype if isinstance(v, Tensor) else "a Python float"
