import libcst as cst

from tensorlint.values import Container, Func, Instance, Layer

from tensorlint.dataflow import all_params, is_stub, result_dependence
from tensorlint.findings import Severity
from tensorlint.rule import Rule


class LayerIgnoresInput(Rule):
    """
    ## What it does
    Finds the `call` of a custom Keras `Layer`/`Model`, the `forward` of a custom `nn.Module`,
    a free function the program uses as its model (its output is the prediction given to a loss,
    or it is assigned as a module's `forward`) whose returned value does not depend on the input
    argument at all, for example a layer that returns a function of its own weights only. Depending on the input's
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
        # a free function used as the model (the from-scratch style), and a forward assigned to a module
        "import torch\nfrom torch import nn\nW1 = torch.randn(784, 256, requires_grad=True)\nb1 = torch.zeros(256, requires_grad=True)\n"
        "W2 = torch.randn(256, 10, requires_grad=True)\n\ndef net(X):  # TL401\n    X = X.reshape((-1, 784))\n    H = torch.relu(b1)\n"
        "    return H @ W2\n\nloss = nn.CrossEntropyLoss()\nX, y = torch.randn(8, 784), torch.randint(0, 10, (8,))\nl = loss(net(X), y.float()[:1])\n",
        "import torch\nimport torch.nn as nn\n\ndef forward(x):  # TL401\n    return torch.sigmoid(layer.bias) * torch.ones(4, 1)\n\n"
        "layer = nn.Linear(3, 1)\nlayer.forward = forward\n",
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
        # free functions that use their input, one whose first parameter is a placeholder
        "import torch\nfrom torch import nn\nW = torch.randn(4, 2, requires_grad=True)\n\ndef net(X):\n    return X @ W\n\n"
        "l = nn.functional.cross_entropy(net(torch.randn(8, 4)), torch.randint(0, 2, (8,)))\n",
        "import torch\nfrom torch import nn\nbias = torch.zeros(1, 3, requires_grad=True)\n\ndef prior(_x):\n    return bias.expand(8, 3)\n\n"
        "l = nn.functional.cross_entropy(prior(torch.randn(8, 4)), torch.randint(0, 3, (8,)))\n",
    )

    def on_loss_call(self, ctx, ev):
        """A free function whose result the program feeds to a loss as the prediction is the model."""
        index = 0 if ev.fw == "torch" else 1
        positional = [a for a in ev.node.args if a.keyword is None and not a.star] if isinstance(ev.node, cst.Call) else []
        arg = positional[index].value if len(positional) > index else None
        if isinstance(arg, cst.Call) and isinstance(arg.func, cst.Name):
            ctx.__dict__.setdefault("_tl401_models", {}).setdefault(arg.func.value, ev.node)

    def on_attr_assign(self, ctx, ev):
        """`model.forward = fn`: a module assembled by assignment."""
        if ev.attr == "forward" and isinstance(ev.value, Func) and isinstance(ev.value.node, cst.FunctionDef):
            ctx.__dict__.setdefault("_tl401_forwards", {})[id(ev.value.node)] = ev.node

    def _free_model(self, ctx, ev):
        node = ev.node
        if ev.func.owner is not None or not isinstance(node, cst.FunctionDef) or not ev.params:
            return
        use = getattr(ctx, "_tl401_forwards", {}).get(id(node))
        how = "assigned as a module's forward"
        if use is None:
            use = getattr(ctx, "_tl401_models", {}).get(node.name.value)
            how = "used as the model: its output is the prediction given to the loss"
        if use is None or is_stub(node):
            return
        param = ev.params[0]
        if param.startswith("_") or param in ("self", "cls"):
            return
        where = ev.func.chunk
        if ctx.tree_fact(where, ("depends", id(node), param), lambda: result_dependence(node, param)) != 0:
            return
        pnode = next((p.name for p in node.params.params if p.name.value == param), node)
        line = ctx.line(use)
        ctx.report(self, pnode,
                   f"`{node.name.value}` is {how}{f' (line {line})' if line else ''}, but it returns a value that does not "
                   f"depend on its input `{param}`",
                   unnecessary=True, related=[(use, "used as the model here")])

    def on_function(self, ctx, ev):
        node = ev.node
        if not isinstance(node, cst.FunctionDef) or not ev.params:
            return
        if ev.func.owner is None:
            self._free_model(ctx, ev)
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
