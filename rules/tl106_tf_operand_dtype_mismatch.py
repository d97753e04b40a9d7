import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.python2 import python2_division
from tensorlint.rule import Rule
from tensorlint.values import Const, Tensor, is_float_dtype, is_int_dtype

from ._common import imported_qualname, text_fact
from ._training import parents
from ._trees import module_names

# TensorFlow functions (canonical names) with floating kernels only: their result is a float (or
# complex) tensor whatever the program gave them, or the call raised (tests/differential/test_tf_float_only.py)
FLOAT_ONLY_OPS = frozenset({
    "tensorflow.exp", "tensorflow.math.exp", "tensorflow.math.log", "tensorflow.sqrt", "tensorflow.rsqrt",
    "tensorflow.sigmoid", "tensorflow.tanh", "tensorflow.nn.tanh", "tensorflow.nn.softmax",
    "tensorflow.nn.log_softmax", "tensorflow.nn.softplus", "tensorflow.math.log1p", "tensorflow.math.expm1",
    "tensorflow.math.erf", "tensorflow.nn.elu", "tensorflow.nn.selu", "tensorflow.math.log_sigmoid",
    "tensorflow.math.reduce_logsumexp", "tensorflow.reduce_logsumexp", "tensorflow.nn.l2_normalize",
    "keras.backend.softplus", "keras.backend.elu",
})
TRUE_DIVISION = "tensorflow.divide"  # (`tf.math.truediv`, `tf.truediv` and `tf.math.divide` resolve to it)
# functions whose result is a TensorFlow tensor whatever they are given (or they raise): an
# operand made by one of them makes `/` TensorFlow's true division
ALWAYS_TENSORS = FLOAT_ONLY_OPS | frozenset({
    TRUE_DIVISION, "tensorflow.matmul", "tensorflow.reduce_sum", "tensorflow.math.reduce_sum", "tensorflow.reduce_mean",
    "tensorflow.math.reduce_mean", "tensorflow.reduce_max", "tensorflow.reduce_min", "tensorflow.square",
    "tensorflow.abs", "tensorflow.transpose", "tensorflow.reshape", "tensorflow.cast", "tensorflow.convert_to_tensor",
    "tensorflow.constant", "keras.backend.dot", "keras.backend.batch_dot", "keras.backend.mean", "keras.backend.sum",
    "keras.backend.batch_flatten",
})
_ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide)
# builtins only Python 2 has: a program that calls one it never binds runs under Python 2, where
# `/` of two integer tensors floors and keeps their dtype (unless it imports `division`)
_PYTHON2_BUILTINS = re.compile(r"(?<![\w.])(xrange|raw_input|unichr|basestring|execfile)\s*\(")
_FUTURE_DIVISION = re.compile(r"^[ \t]*from[ \t]+__future__[ \t]+import[^\n]*\bdivision\b", re.M)


def _python2_builtins_called(text: str) -> bool:
    if _FUTURE_DIVISION.search(text):
        return False
    for name in {m.group(1) for m in _PYTHON2_BUILTINS.finditer(text)}:
        bound = re.compile(rf"\bimport\b[^\n]*\b{name}\b|\b{name}\s*=[^=]|\bdef\s+{name}\b")
        if not bound.search(text):
            return True
    return False


def _classic_division(ctx) -> bool:
    """Whether `/` is Python 2's division in this program: read as Python 2, or calling a builtin
    only Python 2 has (`xrange`) without `from __future__ import division`."""
    return python2_division() or text_fact(ctx, "TL106 Python 2 builtins", _python2_builtins_called)

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


def _described(ctx, value, expr, dtype: str, side: str = "one") -> str:
    text = ctx.source(expr) if expr is not None else None
    if text is not None and len(text) <= 60:
        return f"`{text}` is {dtype}"
    if isinstance(value, Tensor) and value.name:
        return f"`{value.name}` is {dtype}"
    return f"{side} operand is {dtype}"


class TfOperandDtypeMismatch(Rule):
    """
    ## What it does
    Finds arithmetic and comparisons of two TensorFlow tensors whose dtypes differ in kind
    (`x / tf.shape(x)[0]`: float32 and int32; `tf.equal(tf.argmax(logits, 1), labels)`: int64
    and int32; `tf.maximum(scores, tf.range(n))`), and an integer tensor combined with a Python
    float (`tf.shape(x)[0] * 0.5`): operators, `+=`, `tf.add`/`subtract`/`multiply`/`divide`,
    `tf.maximum`/`minimum`/`pow` and the `tf.equal`/`tf.less`... comparisons; also in a loss or
    metric the program hands `compile`, which Keras calls with the model's float prediction,
    and in a function of the checked file that another file of its project hands `compile`
    (`from model import age_mae` and `model.compile(metrics=[age_mae])` in a training script
    beside it or in the folder above its package), reported in the checked file.
    A float whose width the program does not fix counts too: the quotient of TensorFlow's true
    division (`K.dot(f, K.transpose(f)) / K.mean(mask) / K.shape(x)[-1]`, `tf.math.truediv`),
    which is a float for every dtype, and the result of a function that computes on floats only
    (`tf.exp`, `tf.nn.softmax`, `K.sigmoid`...). A Python 2 program's `/` floors integers and
    keeps their dtype: its quotients are left alone (a file only Python 2 parses, or one that
    calls `xrange`, `raw_input`... without `from __future__ import division`).

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
        # a quotient of tensors of unknown dtype is a float: TensorFlow's `/` divides truly
        "from keras import backend as K\n\ndef style_loss(features, mask):\n"
        "    channels = K.shape(features)[-1]\n"
        "    return K.dot(features, K.transpose(features)) / K.mean(mask) / channels  # TL106\n",
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
        # values the analysis does not know, divided: they may be Python numbers or NumPy arrays
        "import tensorflow as tf\n\ndef scale(a, b, x):\n    return a / b / tf.shape(x)[0]\n",
    )

    def on_elementwise(self, ctx, ev):
        a, b = ev.receiver, ev.args[0]
        exprs = _operands(ev.node)
        ints = [isinstance(v, Tensor) and v.fw == "tf" and _kind(v.dtype) == "int" for v in (a, b)]
        # a float tensor of unknown width (a true division's quotient, a float-only op's result)
        # against an integer TensorFlow tensor
        floating = [None, None]
        for i in (0, 1):
            if ints[1 - i] and not ints[i]:
                floating[i] = _floating(ctx, (a, b)[i], exprs[i])
        if isinstance(a, Tensor) and isinstance(b, Tensor) and a.fw == "tf" and b.fw == "tf" and _clash(a, b):
            pairs = [(a, a.dtype), (b, b.dtype)]
        elif any(floating):
            i = 0 if floating[0] else 1
            made, t = (a, b)[i], (a, b)[1 - i]
            pairs = [None, None]
            pairs[i] = (made if isinstance(made, Tensor) else None, floating[i])
            pairs[1 - i] = (t, t.dtype)
        else:
            if isinstance(a, Tensor) and isinstance(b, Tensor):
                return
            t, c = (a, b) if isinstance(a, Tensor) else (b, a)
            if not (isinstance(c, Const) and type(c.value) is float and t.fw == "tf" and _kind(t.dtype) == "int"):
                return
            pairs = [(t, t.dtype), (None, "a Python float")]
            if t is b:
                pairs.reverse()
        what = ev.node
        if any(isinstance(n, (cst.Try, cst.TryStar)) for n in parents(ctx).ancestors(what)):
            return  # the program expects the error (a notebook showing that TensorFlow does not convert)
        source = ctx.source(what)
        label = f"`{source}`" if len(source) <= 60 else "this operation"
        parts = [_described(ctx, v, e, d, side) for (v, d), e, side in zip(pairs, exprs, ("the left", "the right"))]
        ctx.report(self, what,
                   f"TensorFlow does not convert dtypes in {label}: {parts[0]}, {parts[1]}; it raises when the "
                   f"line runs. Cast one operand with tf.cast",
                   related=[(t.origin, f"{t.dtype} tensor made here") for t, _ in pairs
                            if t is not None and t.origin is not None and t.dtype is not None])


def _floating(ctx, value, expr) -> str | None:
    """How the operand is known to be a floating TensorFlow tensor although its width is not
    known: the quotient of TensorFlow's true division (Python 3's `/`, `tf.math.truediv`), which
    is a float or complex tensor for every input dtype, or the result of a function TensorFlow
    computes on floats only (`tf.exp`, `tf.nn.softmax`...). None otherwise."""
    if isinstance(value, Tensor):
        if value.fw != "tf" or value.dtype is not None:
            return None
        made = value.node
    elif isinstance(value, Const):
        return None
    else:
        made = expr  # a value the analysis does not know: only what the expression itself says
    if isinstance(made, cst.BinaryOperation):
        if not isinstance(made.operator, cst.Divide) or _classic_division(ctx):
            return None
        if isinstance(value, Tensor) or _surely_tensor(ctx, made.left) or _surely_tensor(ctx, made.right):
            return "a float (TensorFlow's true division gives one)"
        return None
    if not isinstance(made, cst.Call):
        return None
    name = imported_qualname(module_names(ctx), made.func)
    if name in FLOAT_ONLY_OPS:
        return f"a float ({name.rsplit('.', 1)[-1]} computes on floats only)"
    if name == TRUE_DIVISION and not _classic_division(ctx):
        return "a float (TensorFlow's true division gives one)"
    return None


def _surely_tensor(ctx, expr, depth: int = 0) -> bool:
    """Whether the expression's value is a TensorFlow tensor by the functions that make it: a call
    of one of `ALWAYS_TENSORS`, or arithmetic with such an operand."""
    expr = expr.value if isinstance(expr, cst.Arg) else expr
    if isinstance(expr, cst.Call):
        return imported_qualname(module_names(ctx), expr.func) in ALWAYS_TENSORS
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, _ARITHMETIC) and depth < 4:
        return _surely_tensor(ctx, expr.left, depth + 1) or _surely_tensor(ctx, expr.right, depth + 1)
    return False

