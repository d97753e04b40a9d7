from tensorlint.findings import Severity
from tensorlint.frameworks.keras.data_format import LAST, layer_format
from tensorlint.frameworks.shapes import known_int, tupled
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import layer_label
from ._shape import LayerInputs, layer_related, shape_of

_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _window(layer):
    """(spatial rank, kernel, stride, padding, dilation, channels_last) of a convolution or pooling
    layer whose output size shrinks with the input, or None (transposed convolutions, adaptive and
    global pooling, `same` padding, `ceil_mode`: none of them can produce a size below 1)."""
    short, f = layer.short, layer.facts
    n = int(short[-2]) if short[-2:-1].isdigit() and short[-1] in "dD" else None
    if n is None or "Transpose" in short or "Adaptive" in short or "Global" in short:
        return None
    torch = layer.fw == "torch"
    if short.startswith("Conv"):
        kernel = f.get("kernel_size")
        stride = f.get("stride" if torch else "strides", 1)
        dilation = f.get("dilation" if torch else "dilation_rate", 1)
    elif "Pool" in short:
        kernel = f.get("kernel_size" if torch else "pool_size", None if torch else 2)
        stride = f.get("stride" if torch else "strides")
        stride = kernel if stride is None else stride
        dilation = f.get("dilation", 1) if torch else 1
        if f.get("ceil_mode") not in (None, False):
            return None
    else:
        return None
    padding = f.get("padding", 0 if torch else "valid")
    if padding in ("same", "causal"):
        return None
    if padding == "valid":
        padding = 0
    k, s, p, d = (tupled(v, n) for v in (kernel, stride, padding, dilation))
    if not all(known_int(v) and v >= 0 for t in (k, s, p, d) for v in t) or 0 in s:
        return None
    if torch:
        return n, k, s, p, d, False
    fmt = layer_format(layer)  # not known where the program changes Keras' default
    return None if fmt is None else (n, k, s, p, d, fmt == LAST)


def nonpositive_axis(layer, x: Tensor):
    """(axis name, input size, output size, kernel, stride, padding) of the first spatial axis on
    which the layer's output size is below 1, or None."""
    if layer.short == "Cropping2D" and x.rank == 4:
        return _cropped(layer, x)
    w = _window(layer)
    if w is None or x.rank is None:
        return None
    n, k, s, p, d, last = w
    if layer.fw == "torch":
        if x.rank not in (n + 1, n + 2):
            return None
        spatial = x.shape[x.rank - n:]
    else:
        if x.rank != n + 2:
            return None
        spatial = x.shape[1:1 + n] if last else x.shape[2:]
    for i, size in enumerate(spatial):
        if not known_int(size):
            continue
        out = (size + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1
        if out < 1:
            return _AXES[n][i], size, out, k[i], s[i], p[i], last
    return None


def _cropped(layer, x):
    from tensorlint.frameworks.keras.layer_rules import padding_pairs

    pairs = padding_pairs(layer.facts.get("cropping", 0), 2)
    fmt = layer_format(layer)
    last = fmt == LAST
    if pairs is None or fmt is None:
        return None
    for i, size in enumerate(x.shape[1:3] if last else x.shape[2:]):
        if known_int(size) and size - sum(pairs[i]) < 1:
            return _AXES[2][i], size, size - sum(pairs[i]), f"cropping {pairs[i]}", None, None, last
    return None


class NonpositiveOutputSize(LayerInputs, Rule):
    """
    ## What it does
    Computes the spatial output size of every convolution and pooling layer (`nn.Conv1d/2d/3d`,
    `nn.MaxPool*`, `nn.AvgPool*`, `keras.layers.Conv1D/2D/3D`, `MaxPooling*`, `AveragePooling*`,
    `Cropping2D`)
    for the input that reaches it: data fed to the model, the output of the layer before it in
    `nn.Sequential`, `forward`, a Keras `Sequential` model (from the data or its declared
    `input_shape`) or the functional API. It reports the layer when the size comes out 0 or negative:
    the kernel (with its dilation) is larger than the padded input. A Keras layer without
    `data_format=` reads channels-last input, Keras' default, unless the file sets or reads the
    global format (`keras.backend.set_image_data_format`, `K.set_image_dim_ordering('th')`,
    `K.image_data_format()`): then its layout is known only inside a branch of
    `if K.image_data_format() == 'channels_first':`, and elsewhere such a layer is not checked,
    unless one module-level setter fixes it: the program's only setter, a statement of its own
    at the top level, given a literal format, run before any layer is built.

    ## Why is this bad?
    The model cannot run: PyTorch raises `RuntimeError: Calculated padded input size per channel:
    (1 x 28). Kernel size: (3 x 3). Kernel size can't be greater than actual input size`, Keras
    `ValueError: Computed output size would be zero or negative`. Usual causes: channels-first
    data (`[N, 1, 28, 28]`) given to a Keras layer that reads channels-last, so the "height" is
    the channel count; more stride-2 stages than the image size allows; a kernel meant for a
    larger input.

    ## Example
    ```python
    model = keras.Sequential([
        keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(1, 28, 28)),
    ])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
    ])
    ```

    ## Fix safety
    There is no automatic fix: the data layout, the kernel or the number of stages is wrong.
    """

    code = "TL209"
    name = "nonpositive-output-size"
    severity = Severity.ERROR
    summary = "A convolution or pooling layer whose output size is 0 or negative for its input."
    failing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Conv2D(32, (3, 3), activation='relu', input_shape=(1, 28, 28)),  # TL209\n"
        "    keras.layers.Flatten(),\n    keras.layers.Dense(10, activation='softmax'),\n])\nmodel.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n",
        "import torch\nimport torch.nn as nn\nfeatures = nn.Sequential(\n    nn.Conv2d(1, 8, 3, padding=1), nn.MaxPool2d(2),\n    nn.Conv2d(8, 16, 3, padding=1), nn.MaxPool2d(2),\n"
        "    nn.Conv2d(16, 32, 3), nn.MaxPool2d(2),\n    nn.Conv2d(32, 64, 3),  # TL209\n)\nout = features(torch.randn(4, 1, 28, 28))\n",
    )
    passing = (
        "from tensorflow import keras\nmodel = keras.Sequential([\n    keras.layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),\n"
        "    keras.layers.Flatten(),\n    keras.layers.Dense(10, activation='softmax'),\n])\nmodel.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n",
    )
    lookalikes = (
        # channels-first data declared as such
        "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Conv2D(32, 3, data_format='channels_first', input_shape=(1, 28, 28))])\n",
        # `same` padding keeps a 1-pixel input at 1 pixel
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(1, 4, 3, padding=1)\nout = conv(torch.randn(2, 1, 1, 1))\n",
        # the model is built while Keras' global format is channels_first
        "import keras\nfrom keras import layers\nkeras.backend.set_image_data_format('channels_first')\n"
        "model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(32, (5, 5))])\n"
        "keras.backend.set_image_data_format('channels_last')\n",
        # the input size is not known
        "import torch\nimport torch.nn as nn\ndef run(x):\n    return nn.Conv2d(1, 4, 5)(x)\n",
        # a 4x4 input is exactly large enough for a 4x4 kernel
        "import torch\nimport torch.nn as nn\npool = nn.MaxPool2d(4)\nout = pool(torch.randn(2, 8, 4, 4))\n",
    )

    def check(self, ctx, layer, x, node):
        found = nonpositive_axis(layer, x)
        if found is None:
            return
        axis, size, out, k, s, p, last = found
        how = k if s is None else f"kernel {k}, stride {s}, padding {p}"
        hint = ""
        if last and x.rank == 4 and known_int(x.shape[1]) and x.shape[1] in (1, 3) and known_int(x.shape[-1]) and x.shape[-1] > 4:
            hint = (f"; the input looks channels-first ([N, C, H, W]) but {layer.short} reads channels-last "
                    "([N, H, W, C]) unless data_format='channels_first'")
        ctx.report(
            self, node,
            f"{layer_label(ctx, layer)} computes an output {axis} of {out}: its input {shape_of(ctx, x)} has {axis} {size} "
            f"({how}){hint}",
            related=layer_related(layer, x),
        )
