from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule

from ._common import layer_label, report_with_float_fix, torch_weighted_input, value_name


class Float64InputToFloat32Model(Rule):
    """
    ## What it does
    Finds float64 tensors (`dtype=torch.float64`/`torch.double`, `.double()`,
    `torch.from_numpy` / `torch.tensor` / `torch.as_tensor` of a NumPy array, which is float64
    by default) that reach a PyTorch layer whose weights are float32; and, in TensorFlow graph
    code, `tf.matmul` of a float64 placeholder or tensor with float32 weights.

    ## Why is this bad?
    PyTorch does not cast between float64 inputs and float32 weights: the forward pass raises
    `RuntimeError: mat1 and mat2 must have the same dtype`. Data loaded with NumPy is the usual
    source. Keras casts inputs to the layer's dtype, so only PyTorch is checked. Weights are
    float32 unless the layer is built with `dtype=` or converted (`.double()`); a file that
    changes torch's default dtype (`torch.set_default_dtype(torch.float64)`, a default tensor
    type other than FloatTensor) or Keras' float type (`set_floatx`) has no known default.

    ## Example
    ```python
    model = nn.Linear(10, 1)
    x = torch.from_numpy(np.random.rand(8, 10))
    model(x)
    ```

    ## Use instead
    ```python
    model(x.float())
    ```

    ## Fix safety
    Appending `.float()` is safe; converting the model with `.double()` is the alternative when
    float64 precision is wanted.
    """

    code = "TL102"
    name = "float64-input-to-float32-model"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "A float64 tensor reaches a float32 PyTorch model."
    failing = (
        "import numpy as np\nimport torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.from_numpy(np.random.rand(8, 10))\nmodel(x)  # TL102\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.randn(10, 10, dtype=torch.float64)\nmodel(x)  # TL102\n",
    )
    passing = (
        "import numpy as np\nimport torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.from_numpy(np.random.rand(8, 10)).float()\nmodel(x)\n",
    )
    lookalikes = (
        # the program makes float64 torch's default dtype
        "import numpy as np\nimport torch\nimport torch.nn as nn\ntorch.set_default_dtype(torch.float64)\nmodel = nn.Linear(10, 1)\n"
        "x = torch.from_numpy(np.random.rand(8, 10))\nmodel(x)\ntorch.set_default_dtype(torch.float32)\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1).double()\nx = torch.randn(10, 10, dtype=torch.float64)\nmodel(x)\n",
        "import numpy as np\nimport torch\nimport torch.nn as nn\nmodel = nn.Linear(10, 1)\nx = torch.tensor(np.random.rand(8, 10), dtype=torch.float32)\nmodel(x)\n",
    )

    def on_layer_call(self, ctx, ev):
        found = torch_weighted_input(ev)
        if found is None:
            return
        layer, x = found
        model_dtype = getattr(ev.container, "dtype", layer.dtype) if ev.container is not None else layer.dtype
        if x.dtype != "float64" or model_dtype != "float32" or layer.dtype != "float32":
            return
        report_with_float_fix(self, ctx, ev, f"{layer_label(ctx, layer)} has float32 weights; {value_name(ctx, x)} is float64", layer, x)

    def on_matmul(self, ctx, ev):
        from ._matmul import report_dtype_clash

        report_dtype_clash(self, ctx, ev, "float64")  # tf.matmul(float64 placeholder, float32 weights)
