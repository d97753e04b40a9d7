from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._shape import check_expectations


class FeatureMismatch(Rule):
    """
    ## What it does
    Checks the last dimension of every tensor that reaches `nn.Linear`, `nn.Bilinear`,
    `nn.LayerNorm`, an RNN (`input_size`) or `MultiheadAttention` (`embed_dim`) against what
    the layer was built for: data fed to a model, the output of the previous layer inside
    `nn.Sequential` or `forward`, and the result of `view`/`flatten` of a tracked conv output.
    Matrix products (`tf.matmul`, `@`) are TL212's.

    ## Why is this bad?
    The forward pass fails with `RuntimeError: mat1 and mat2 shapes cannot be multiplied
    (4x256 and 400x120)`. It usually means the flattened size after the convolutions was
    computed by hand and is wrong, or a layer was resized without updating the next one.

    ## Example
    ```python
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(32, 1))
    ```

    ## Use instead
    ```python
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL202"
    name = "feature-mismatch"
    severity = Severity.ERROR
    summary = "The last dimension reaching Linear/LayerNorm/RNN differs from its in_features."
    failing = (
        "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(32, 1))  # TL202\n",
        "import torch\nimport torch.nn as nn\nfc = nn.Linear(10, 2)\nx = torch.randn(8, 12)\nfc(x)  # TL202\n",
    )
    passing = (
        "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nfc = nn.Linear(10, 2)\nx = torch.randn(8, 5, 10)\nfc(x)\n",
        "import torch\nimport torch.nn as nn\nlstm = nn.LSTM(16, 32, batch_first=True)\nx = torch.randn(4, 7, 16)\nout, _ = lstm(x)\n",
    )

    def on_layer_call(self, ctx, ev):
        check_expectations(self, ctx, ev, "features")
