import libcst as cst

from tensorlint.values import Container, Instance, Layer

from tensorlint.dataflow import all_params, is_stub, result_dependence
from tensorlint.findings import Severity
from tensorlint.rule import Rule


class LayerIgnoresInput(Rule):
    """
    ## What it does
    Finds the `call` of a custom Keras `Layer`/`Model` and the `forward` of a custom
    `nn.Module` whose returned value does not depend on the input argument at all, for
    example a layer that returns a function of its own weights only. Depending on the input's
    shape alone (positional encodings that use `x.size(1)`) counts as using it. The parameter is
    marked as unnecessary.

    ## Why is this bad?
    Every sample gets the same output: the layers before it receive no gradient, and the model
    cannot learn anything from the data. Often nothing crashes; the loss just stays flat.

    ## Example
    ```python
    class MyLayer(keras.layers.Layer):
        def call(self, inputs):
            return tf.reduce_sum(self.w)
    ```

    ## Use instead
    ```python
    class MyLayer(keras.layers.Layer):
        def call(self, inputs):
            return tf.matmul(inputs, self.w)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL401"
    name = "layer-ignores-input"
    severity = Severity.ERROR
    summary = "A custom layer's call/forward returns a value that does not depend on its input."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Decoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.h0 = nn.Parameter(torch.zeros(1, 8))\n        self.encode = nn.Linear(8, 8)\n        self.decode = nn.Linear(8, 3)\n\n    def forward(self, x):  # TL401\n        h = torch.tanh(self.encode(x))\n        return self.decode(self.h0)\n",
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass MyLayer(keras.layers.Layer):\n    def call(self, inputs):  # TL401\n        return tf.reduce_sum(self.w)\n",
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n        self.h = nn.Parameter(torch.zeros(1, 4))\n\n    def forward(self, x):  # TL401\n        return self.fc(self.h)\n",
    )
    passing = (
        "import tensorflow as tf\nfrom tensorflow import keras\n\nclass MyLayer(keras.layers.Layer):\n    def call(self, inputs):\n        return tf.matmul(inputs, self.w)\n",
    )
    lookalikes = (
        "import torch\nimport torch.nn as nn\n\nclass Decoder(nn.Module):\n    def forward(self, query, z):\n        return self.classifier(z.mean(1))\n",
        "import torch.nn as nn\n\nclass Functional(nn.Module):\n    def forward(self, params, *args):\n        with swap(self.model, params):\n            return self.model(*args)\n",
        "import torch\nimport torch.nn as nn\n\nclass PositionalEncoding(nn.Module):\n    def forward(self, x):\n        return self.pe[:, : x.size(1)]\n",
        "import torch.nn as nn\n\nclass Base(nn.Module):\n    def forward(self, x):\n        raise NotImplementedError\n",
        "import torch.nn as nn\n\nclass Cache(nn.Module):\n    def forward(self, x):\n        self.last = self.fc(x)\n        return self.last\n",
    )

    def on_function(self, ctx, ev):
        node = ev.node
        if not isinstance(node, cst.FunctionDef) or not ev.params:
            return
        name = node.name.value
        kind = ev.owner_kind
        if not ((kind == "torch.module" and name == "forward") or (kind in ("keras.layer", "keras.model") and name == "call")):
            return
        cls = ev.func.owner
        if cls is not None and "loss" in cls.name.lower():
            return  # a loss module: TL301's business
        param = ev.params[0]
        if param.startswith("_") or is_stub(node):
            return
        # a layer with several inputs may legitimately use only some of them (a decoder that
        # reads the latents but not the query): report only a result that uses none of them
        inputs = [p for p in all_params(node) if p not in ("self", "cls")]
        if result_dependence(node, inputs, _layer_attributes(ctx, cls)) != 0:
            return
        pnode = next((p.name for p in node.params.params if p.name.value == param), node)
        ctx.report(self, pnode, f"`{name}` of {cls.name if cls else 'this layer'} returns a value that does not depend on its input `{param}`",
                   unnecessary=True)


def _layer_attributes(ctx, cls) -> frozenset:
    """Attributes that `__init__` sets to framework layers or models: calling them does not
    change the module's state."""
    if cls is None:
        return frozenset()
    proto = ctx.prototype(cls)
    return frozenset(k for k, v in proto.attrs.items()
                     if isinstance(v, (Layer, Container)) or (isinstance(v, Instance) and v.cls.kind))
