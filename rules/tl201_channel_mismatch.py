from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._shape import check_expectations


class ChannelMismatch(Rule):
    """
    ## What it does
    Checks the channel dimension of every tensor that reaches a convolution or batch-norm layer
    (`Conv1d/2d/3d`, `ConvTranspose*`, `BatchNorm*`) against the layer's `in_channels` /
    `num_features`: data fed to a model, and the output of one layer fed to the next inside
    `nn.Sequential` or a `forward` method. PyTorch layouts are channels-first (`N, C, H, W`,
    or `C, H, W` unbatched).

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
    )
    passing = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(1, 16, 3)\nx = torch.randn(1, 1, 28, 28)\nconv(x)\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nconv = nn.Conv2d(3, 16, 3)\nimg = torch.randn(3, 32, 32)\nconv(img)\n",
        "import torch\nimport torch.nn as nn\nbn = nn.BatchNorm1d(8)\nx = torch.randn(4, 8, 100)\nbn(x)\n",
    )

    def on_layer_call(self, ctx, ev):
        check_expectations(self, ctx, ev, "channels")
