import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.keras.data_format import FIRST, layer_format
from tensorlint.rule import Rule
from tensorlint.values import Container, Tensor

from ._common import layer_label
from ._shape import LayerInputs, known_shape, layer_inputs, layer_related, shape_of

# the ranks each layer accepts (PyTorch: unbatched or batched; Keras: batched, exactly)
TORCH_RANKS = {
    "Conv1d": (2, 3), "Conv2d": (3, 4), "Conv3d": (4, 5),
    "ConvTranspose1d": (2, 3), "ConvTranspose2d": (3, 4), "ConvTranspose3d": (4, 5),
    "MaxPool1d": (2, 3), "MaxPool2d": (3, 4), "MaxPool3d": (4, 5), "AvgPool1d": (2, 3), "AvgPool2d": (3, 4),
    "AdaptiveAvgPool1d": (2, 3), "AdaptiveAvgPool2d": (3, 4), "AdaptiveMaxPool2d": (3, 4), "AdaptiveAvgPool3d": (4, 5),
    "BatchNorm1d": (2, 3), "BatchNorm2d": (4,), "BatchNorm3d": (5,),
    "LSTM": (2, 3), "GRU": (2, 3), "RNN": (2, 3),
}
KERAS_RANKS = {
    "Conv1D": 3, "Conv2D": 4, "Conv3D": 5, "MaxPooling1D": 3, "MaxPooling2D": 4, "MaxPool2D": 4, "AveragePooling2D": 4,
    "GlobalAveragePooling1D": 3, "GlobalAveragePooling2D": 4, "GlobalMaxPooling2D": 4,
    "LSTM": 3, "GRU": 3, "SimpleRNN": 3,
}
# TensorFlow's convolution and pooling functions: the least rank of their input (batch axes, the
# spatial axes, a channel axis); tf.nn.max_pool/avg_pool pool over 1, 2 or 3 spatial axes
TF_NN_MIN_RANKS = {
    "tensorflow.nn.conv1d": 3, "tensorflow.nn.conv2d": 4, "tensorflow.nn.conv3d": 5,
    "tensorflow.nn.max_pool1d": 3, "tensorflow.nn.avg_pool1d": 3, "tensorflow.nn.max_pool2d": 4,
    "tensorflow.nn.avg_pool2d": 4, "tensorflow.nn.max_pool": 3, "tensorflow.nn.avg_pool": 3,
}
KERAS_MIN_RANKS = {"Dense": 2}  # a batch axis and a feature axis, with any axes between (Keras input_spec min_ndim)
_KERAS_LAYOUT = {3: "[batch, steps, features]", 4: "[batch, height, width, channels]", 5: "[batch, depth, height, width, channels]"}
_FIRST_LAYOUT = {3: "[batch, channels, steps]", 4: "[batch, channels, height, width]", 5: "[batch, channels, depth, height, width]"}


def _layout(layer, rank) -> str:
    """The axes a Keras layer reads its input of this rank as: channels-first for a layer whose
    format is, none named where the format is not known (the program changes Keras' default)."""
    if layer.fw == "torch" or rank not in _KERAS_LAYOUT:
        return ""
    if layer.spec is not None and "data_format" in layer.spec.params:
        fmt = layer_format(layer)
        if fmt is None:
            return ""
        if fmt == FIRST:
            return " " + _FIRST_LAYOUT[rank]
    return " " + _KERAS_LAYOUT[rank]


def accepted_ranks(layer):
    if layer.fw == "torch":
        return TORCH_RANKS.get(layer.short)
    want = KERAS_RANKS.get(layer.short)
    return (want,) if want else None


def min_rank(layer):
    """The least rank a layer takes when it takes any rank from there on (Keras `Dense`), else None."""
    return KERAS_MIN_RANKS.get(layer.short) if layer.fw != "torch" else None


def _matmul_name(node) -> str:
    if isinstance(node, cst.BinaryOperation):
        return "@"
    f = getattr(node, "func", None)
    name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else "matmul"
    return name


class LayerInputRank(LayerInputs, Rule):
    """
    ## What it does
    Checks the rank (number of axes) of every tensor that reaches a layer that accepts only some
    ranks: Keras `Conv1D/2D/3D`, pooling and `LSTM`/`GRU`/`SimpleRNN` layers (a batch axis, the
    spatial or time axes and a channel axis, exactly), Keras `Dense` (a batch axis and a feature
    axis at least: a Sequential model with no declared input, fitted on 1-D data); PyTorch convolutions, pooling, `BatchNorm*`
    and recurrent layers (batched or unbatched); TensorFlow's `tf.nn.conv1d/conv2d/conv3d` and
    `tf.nn` pooling functions (a batch axis, the spatial axes and a channel axis at least: a
    flat `[None, 784]` placeholder given to `tf.nn.conv2d`); `tf.matmul` and the `@` operator on TensorFlow
    tensors (rank 2 or more); `torch.mm` (rank 2) and `torch.bmm` (rank 3); the operands of
    `torch.einsum`/`tf.einsum`/`np.einsum` (as many axes as their subscripts, or at least as
    many with an ellipsis). For a Keras
    `Sequential` model the input is the data passed to `fit`/`predict` or the declared
    `input_shape`, pushed through the layers before.

    ## Why is this bad?
    The model cannot be built or run: Keras raises `ValueError: Input 0 of layer "conv2d" is
    incompatible with the layer: expected min_ndim=4, found ndim=3`, PyTorch `RuntimeError:
    Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]`,
    TensorFlow `In[0] ndims must be >= 2`. The usual causes: grayscale images without their
    channel axis, an `input_shape` that includes the batch size, a sequence model given one
    feature vector per sample, one number per sample given to a `Dense` layer as a 1-D array
    (`expected min_ndim=2, found ndim=1`), a matrix product of a vector.

    ## Example
    ```python
    model = keras.Sequential([
        keras.layers.Conv2D(32, 3, input_shape=(28, 28)),
    ])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.layers.Conv2D(32, 3, input_shape=(28, 28, 1)),
    ])
    ```

    ## Fix safety
    There is no automatic fix: an axis must be added to (or removed from) the data or the
    declaration.
    """

    code = "TL210"
    name = "layer-input-rank"
    severity = Severity.ERROR
    summary = "A layer or matrix product gets an input of a rank it cannot take."
    failing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28)),  # TL210\n"
        "    keras.layers.Flatten(),\n    keras.layers.Dense(10),\n])\n",
        "import numpy as np\nimport keras\nx = np.random.rand(200, 12).astype('float32')\ny = np.random.rand(200, 1)\n"
        "model = keras.Sequential([keras.layers.LSTM(32), keras.layers.Dense(1)])  # TL210\nmodel.compile(loss='mse', optimizer='adam')\nmodel.fit(x, y)\n",
        "import tensorflow as tf\nw = tf.Variable(tf.random.normal([4, 3]))\nv = tf.constant([1.0, 2.0, 3.0, 4.0])\nh = tf.matmul(v, w)  # TL210\n",
        "import torch\nq = torch.randn(2, 8, 10, 64)\nk = torch.randn(2, 10, 64)\nscores = torch.einsum('bhqd,bhkd->bhqk', q, k)  # TL210\n",
        "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "w = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')  # TL210\n",
    )
    passing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28, 1)),\n"
        "    keras.layers.Flatten(),\n    keras.layers.Dense(10),\n])\n",
    )
    lookalikes = (
        # PyTorch convolutions and LSTMs take unbatched input
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(1, 4, 3)\nout = conv(torch.randn(1, 28, 28))\n",
        "import torch\nimport torch.nn as nn\nlstm = nn.LSTM(8, 16)\nout, _ = lstm(torch.randn(5, 8))\n",
        # a vector times a matrix is fine in PyTorch and NumPy
        "import torch\nw = torch.randn(4, 3)\nh = torch.randn(4) @ w\n",
        # batched matmul of a rank-3 tensor with a matrix broadcasts in TensorFlow
        "import tensorflow as tf\nh = tf.matmul(tf.ones((8, 5, 4)), tf.ones((4, 3)))\n",
        # an ellipsis in an einsum equation takes any number of leading axes
        "import torch\nh = torch.einsum('...ij,jk->...ik', torch.randn(2, 4, 3, 5), torch.randn(5, 6))\n",
        # the flat images reshaped to [batch, height, width, channels] first
        "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "w = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))\n"
        "h = tf.nn.conv2d(tf.reshape(x, [-1, 28, 28, 1]), w, strides=[1, 1, 1, 1], padding='SAME')\n",
        # TensorFlow 2's tf.nn.max_pool pools one spatial axis of a rank-3 input
        "import tensorflow as tf\ns = tf.nn.max_pool(tf.ones([8, 100, 4]), ksize=2, strides=2, padding='VALID')\n",
    )

    def _each(self, ctx, ev):
        model, x = getattr(ev, "model", None), getattr(ev, "x", None)
        if isinstance(model, Container) and model.first_fed is not None and isinstance(x, Tensor) \
                and tuple(x.shape or ()) != model.first_fed:
            return  # built from other data first: Keras adds (or drops) a last axis of size 1 to fit it
        for layer, x, node in layer_inputs(ctx, ev):
            if self.check(ctx, layer, x, node):
                return  # the layers after the first that fails never run

    def check(self, ctx, layer, x, node) -> bool:
        low = min_rank(layer)
        if low is not None and x.rank is not None and x.rank < low and known_shape(x):
            ctx.report(self, node, f"{layer_label(ctx, layer)} takes input of rank {low} or more [batch, ..., features]; "
                                   f"its input {shape_of(ctx, x)} has rank {x.rank}", related=layer_related(layer, x))
            return True
        ranks = accepted_ranks(layer)
        if ranks is None or x.rank is None or x.rank in ranks:
            return False
        want = " or ".join(str(r) for r in ranks)
        layout = _layout(layer, ranks[0])
        ctx.report(self, node, f"{layer_label(ctx, layer)} takes rank-{want} input{layout}; its input {shape_of(ctx, x)} has rank {x.rank}",
                   related=layer_related(layer, x))
        return True

    def on_api_call(self, ctx, ev):
        low = TF_NN_MIN_RANKS.get(ev.qualname)
        x = ev.args[0] if low is not None and ev.args else None
        if not isinstance(x, Tensor) or x.rank is None or x.rank >= low or not x.shape:
            return
        if not known_shape(x.with_(shape=x.shape[1:])):
            return  # a rank the engine is sure of: every dim known but the batch's (a placeholder's None)
        name = ev.qualname.replace("tensorflow.", "tf.", 1)
        spatial = {3: "width", 4: "height, width", 5: "depth, height, width"}[low]
        ctx.report(self, ev.node, f"{name} takes input of rank {low} or more [batch, {spatial}, channels]; its input "
                                  f"{shape_of(ctx, x)} has rank {x.rank}",
                   related=[(x.origin, "made here")] if x.origin is not None else [])

    def on_einsum(self, ctx, ev):
        for k, term, rank in ev.rank_errors[:1]:
            t = ev.operands[k]
            ctx.report(self, ev.node,
                       f"einsum(\"{ev.equation}\"): operand {k + 1} ({shape_of(ctx, t)}) has rank {rank} but the equation "
                       f"gives it {len(term.replace('...', ''))} subscripts (`{term}`)",
                       related=[(t.origin, "made here")] if t.origin is not None else [])

    def on_matmul(self, ctx, ev):
        a, b = ev.receiver, ev.args[0] if ev.args else None
        if not isinstance(a, Tensor) or not isinstance(b, Tensor):
            return
        name = _matmul_name(ev.node)
        if name in ("mm", "bmm") and a.fw == "torch":
            need = 2 if name == "mm" else 3
            bad = [t for t in (a, b) if t.rank is not None and t.rank != need]
            what = f"torch.{name} takes rank-{need} tensors"
        elif a.fw in ("tf", "keras") and b.fw in ("tf", "keras", "np"):
            bad = [t for t in (a, b) if t.rank is not None and t.rank < 2]
            what = f"{'tf.matmul' if name != '@' else '`@` on TensorFlow tensors'} takes tensors of rank 2 or more"
        else:
            return
        bad = [t for t in bad if known_shape(t)]  # a rank the engine is sure of: every dim known
        if bad:
            t = bad[0]
            ctx.report(self, ev.node, f"{what}; {shape_of(ctx, t)} has rank {t.rank}",
                       related=[(t.origin, "made here")] if t.origin is not None else [])
