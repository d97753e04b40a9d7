from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.values import is_int_dtype

from ._common import layer_label, report_with_float_fix, torch_weighted_input, value_name


class IntInputToFloatLayer(Rule):
    """
    ## What it does
    Finds integer tensors (from `torch.randint`, `torch.arange`, an integer `torch.tensor`,
    `.long()`, `LongTensor`, `dtype=torch.int64`, ...) that reach a layer computing with
    floating-point weights: `Linear`, `Conv*`, `LSTM`/`GRU`, normalization and attention
    layers, directly or as the first layer of a model (`nn.Sequential`, your `nn.Module`);
    and `tf.matmul` of an integer placeholder or tensor with float weights.

    ## Why is this bad?
    The layer multiplies the input with float32 weights; PyTorch does not promote the input and
    raises `RuntimeError: mat1 and mat2 must have the same dtype` (or "expected scalar type
    Float") at the first forward pass.

    ## Example
    ```python
    model = nn.Linear(10, 1)
    x = torch.randint(0, 10, (4, 10))
    out = model(x)
    ```

    ## Use instead
    ```python
    out = model(x.float())
    ```
    `nn.Embedding` wants integer indices: it is not flagged.

    ## Fix safety
    Appending `.float()` is safe: it is what the layer needs and changes nothing else.
    """

    code = "TL101"
    name = "int-input-to-float-layer"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "An integer tensor reaches a layer with floating-point weights."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.randint(0, 10, (4, 10))\nout = model(x)  # TL101\n",
        "import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU())\nimgs = torch.zeros(2, 1, 28, 28, dtype=torch.long)\nnet(imgs)  # TL101\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.randint(0, 10, (4, 10))\nout = model(x.float())\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\nemb = nn.Embedding(100, 16)\ntokens = torch.randint(0, 100, (4, 12))\nvectors = emb(tokens)\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nx = torch.tensor([[1, 2, 3]], dtype=torch.float32)\nmodel(x)\n",
    )

    def on_layer_call(self, ctx, ev):
        found = torch_weighted_input(ev)
        if found is None or not is_int_dtype(found[1].dtype):
            return
        layer, x = found
        report_with_float_fix(self, ctx, ev, f"{layer_label(ctx, layer)} computes with float32 weights; {value_name(ctx, x)} is {x.dtype}", layer, x)

    def on_matmul(self, ctx, ev):
        from ._matmul import report_dtype_clash

        report_dtype_clash(self, ctx, ev, "int")  # tf.matmul(int32 placeholder, float32 weights)
