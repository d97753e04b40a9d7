from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Tensor, shape_list

from ._common import value_name
from ._shape import check_expectations


def _digits(image: str, rest: str) -> str:
    """A program with a dataset class whose `__getitem__` makes `image`, then `rest`."""
    return ("import torch\nfrom PIL import Image\nfrom torch.utils.data import Dataset\nfrom torchvision import transforms\n\n"
            "class Digits(Dataset):\n    def __init__(self, data, transform=None):\n        self.data, self.transform = data, transform\n\n"
            f"    def __getitem__(self, i):\n        img = {image}\n"
            "        if self.transform is not None:\n            img = self.transform(img)\n        return img, 0\n\n"
            "    def __len__(self):\n        return len(self.data)\n\n" + rest)


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
    The same check holds for a dataset class of the program given a transform: one sample is
    built where the dataset is, as a loader builds it, and a `__getitem__` that makes a PIL
    image of a written mode (`Image.fromarray(a, mode="L")`, `Image.open(p).convert("RGB")`,
    or `fromarray` of a two-dimensional array) tells the channels the transform receives.

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
        # a dataset class of the program that makes grayscale PIL images
        _digits("Image.fromarray(self.data[i].numpy(), mode='L')", "tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])  # TL201\n"
        "ds = Digits(torch.load('digits.pt'), transform=tf)\n"),
        _digits("Image.open(self.data[i]).convert('L')", "def loader(args):\n    tf = transforms.Compose([transforms.Resize(32), transforms.ToTensor(),\n"
        "                             transforms.Normalize([0.5] * 3, [0.5] * 3)])  # TL201\n"
        "    return torch.utils.data.DataLoader(Digits(args.files, tf), batch_size=args.bs)\n"),
        # PIL reads a two-dimensional array as a grayscale image
        _digits("Image.fromarray(self.data[i])",
                "import numpy as np\n"
                "ds = Digits(np.zeros((100, 28, 28), dtype=np.uint8),\n"
                "            transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))  # TL201\n"),
    )
    passing = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(1, 16, 3)\nx = torch.randn(1, 1, 28, 28)\nconv(x)\n",
        _digits("Image.fromarray(self.data[i].numpy(), mode='L')", "tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])\n"
        "ds = Digits(torch.load('digits.pt'), transform=tf)\n"),
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(3, 16, 3)\nimg = torch.randn(3, 32, 32)\nconv(img)\n",
        "import torch\nimport torch.nn as nn\nbn = nn.BatchNorm1d(8)\nx = torch.randn(4, 8, 100)\nbn(x)\n",
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\nw = tf.Variable(tf.truncated_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n",
        "import torch\nfrom torchvision import datasets, transforms\n"
        "tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])\n"
        "train = datasets.MNIST('data', train=True, download=True, transform=tf)\n",
        _digits("Image.open(self.data[i])", "ds = Digits(['a.png'], transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]))\n"),
        _digits("Image.fromarray(self.data[i].numpy(), mode='L')", "tf = transforms.Compose([transforms.Grayscale(3), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])\n"
        "ds = Digits(torch.load('digits.pt'), transform=tf)\n"),
        _digits("Image.open(self.data[i]).convert('RGB')",
                "ds = Digits(['a.png'], transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))\n"),
        # one mean broadcasts over every channel
        _digits("Image.open(self.data[i]).convert('RGB')",
                "ds = Digits(['a.png'], transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]))\n"),
        # an array of three channels last is an RGB image
        _digits("Image.fromarray(self.data[i])",
                "import numpy as np\n"
                "ds = Digits(np.zeros((100, 32, 32, 3), dtype=np.uint8),\n"
                "            transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))\n"),
        _digits("Image.fromarray(self.data[i].numpy(), mode='L')", "tf = transforms.Compose([transforms.Lambda(lambda im: im.convert('RGB')), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])\n"
        "ds = Digits(torch.load('digits.pt'), transform=tf)\n"),
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
        # (images a dataset of another module makes have no line here)
        where = ctx.line(image.origin) if image.origin is not None else None
        ctx.report(
            self, ev.node,
            f"Normalize is given {means} channel means, but the images it transforms have {got} "
            f"channel{'s' if got != 1 else ''} (shape {shape_list(image.shape)}"
            + (f", from line {where})" if where is not None else ")"),
            related=[(image.origin, "the images come from here")] if where is not None else [],
        )
