from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Tensor, shape_list

from ._common import value_name
from ._shape import check_expectations


class ChannelMismatch(Rule):
    """
    ## What it does
    Checks the channel dimension of every tensor that reaches a convolution or batch-norm layer
    (`Conv1d/2d/3d`, `ConvTranspose*`, `BatchNorm*`) against the layer's `in_channels` /
    `num_features`: data fed to a model, and the output of one layer fed to the next inside
    `nn.Sequential` or a `forward` method. PyTorch layouts are channels-first (`N, C, H, W`,
    or `C, H, W` unbatched). In TF1 graph code, the input of `tf.nn.conv1d/2d/3d`
    (channels-last) against the input channels of the filter made by hand
    (`[height, width, in_channels, out_channels]`). For the torchvision datasets of known
    images (MNIST, Fashion-MNIST, KMNIST and USPS, grayscale; CIFAR-10/100, SVHN and STL-10, RGB;
    `FakeData` of a written `image_size`), the number of channel means of a `Normalize` in their
    `transform` against the channels the images have there (`Grayscale(3)` before it makes three;
    a transform not known to keep them, such as a `Lambda`, leaves them unknown). The
    `Normalize` of `transforms.v2` subtracts out of place, so one-channel images broadcast to as
    many channels as it has means: not an error, and the batches have that many channels.

    ## Why is this bad?
    The forward pass fails with `RuntimeError: Given groups=1, weight of size [16, 3, 3, 3],
    expected input[1, 1, 28, 28] to have 3 channels, but got 1 channels instead`. Grayscale
    images fed to an RGB model, and a layer whose `in_channels` was not updated after the
    previous layer changed, are the usual causes.

    ## Example
    ```python
    conv = nn.Conv2d(3, 16, kernel_size=3)
    x = torch.randn(1, 1, 28, 28)
    conv(x)
    ```

    ## Use instead
    ```python
    conv = nn.Conv2d(1, 16, kernel_size=3)
    ```

    ## Fix safety
    There is no automatic fix: either the data or the layer is wrong.
    """

    code = "TL201"
    name = "channel-mismatch"
    severity = Severity.ERROR
    summary = "The input's channel dimension differs from the layer's in_channels/num_features."
    failing = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(3, 16, 3)\nx = torch.randn(1, 1, 28, 28)\nconv(x)  # TL201\n",
        "import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 16, 3),\n    nn.Conv2d(32, 64, 3),  # TL201\n)\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\nw = tf.Variable(tf.truncated_normal([5, 5, 3, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')  # TL201\n",
        "import torch\nfrom torchvision import datasets, transforms\n"
        "tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])  # TL201\n"
        "train = datasets.MNIST('data', train=True, download=True, transform=tf)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(1, 16, 3)\nx = torch.randn(1, 1, 28, 28)\nconv(x)\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(3, 16, 3)\nimg = torch.randn(3, 32, 32)\nconv(img)\n",
        "import torch\nimport torch.nn as nn\nbn = nn.BatchNorm1d(8)\nx = torch.randn(4, 8, 100)\nbn(x)\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\nw = tf.Variable(tf.truncated_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n",
        "import torch\nfrom torchvision import datasets, transforms\n"
        "tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])\n"
        "train = datasets.MNIST('data', train=True, download=True, transform=tf)\n",
    )

    def on_layer_call(self, ctx, ev):
        check_expectations(self, ctx, ev, "channels")

    def on_api_call(self, ctx, ev):
        if ev.qualname == "torchvision.transforms.Normalize":
            self._normalize(ctx, ev)
            return
        if not ev.qualname.startswith("tensorflow.nn.conv") or len(ev.args) < 2:
            return
        x, w = ev.args[0], ev.args[1]
        if not isinstance(x, Tensor) or not isinstance(w, Tensor) or w.rank is None or x.rank != w.rank:
            return
        got, want = x.dim(-1), w.dim(-2)
        if not known_int(got) or not known_int(want) or got == want:
            return
        ctx.report(
            self, ev.node,
            f"the filter {shape_list(w.shape)} of {ev.qualname.rsplit('.', 1)[-1]} expects {want} input channels; "
            f"{value_name(ctx, x)} has shape {shape_list(x.shape)}",
            related=[(t.origin, "made here") for t in (w, x) if t.origin is not None],
        )

    def _normalize(self, ctx, ev):
        image, means = ev.args[0], ev.args[1].value
        if not isinstance(image, Tensor) or image.rank != 3 or not known_int(means) or means == 1:
            return
        got = image.dim(0)
        if not known_int(got) or got == means:
            return
        ctx.report(
            self, ev.node,
            f"Normalize is given {means} channel means, but the images it transforms have {got} "
            f"channel{'s' if got != 1 else ''} (shape {shape_list(image.shape)}, from line {ctx.line(image.origin)})",
            related=[(image.origin, "the images come from here")] if image.origin is not None else [],
        )
