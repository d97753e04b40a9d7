import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import function_defs, imported_qualname, module_names, scope_calls
from ._training import parents

_CONTAINERS = frozenset(("torch.nn.Sequential",))
# the torch layers that hold trainable parameters (padding, pooling, activation and reshaping
# layers hold none)
_PARAMETRIC = frozenset("torch.nn." + n for n in (
    "Linear", "LazyLinear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d",
    "InstanceNorm3d", "LayerNorm", "Embedding", "EmbeddingBag", "LSTM", "GRU", "RNN", "MultiheadAttention", "PReLU"))
# torch layers whose parameters are switched off by a literal keyword (`affine=False`), and the
# instance norms, which have none unless `affine=True`
_NAMES = frozenset(q.rsplit(".", 1)[-1] for q in _PARAMETRIC)
# torch layers whose parameters a flag switches off (`affine=False`), with the flag's keyword and
# its place among the positional arguments; the instance norms have none unless `affine=True`
_AFFINE_OFF = {"torch.nn.LayerNorm": ("elementwise_affine", 2), "torch.nn.BatchNorm1d": ("affine", 3),
               "torch.nn.BatchNorm2d": ("affine", 3), "torch.nn.BatchNorm3d": ("affine", 3),
               "torch.nn.GroupNorm": ("affine", 3)}
_AFFINE_ON = {"torch.nn.InstanceNorm1d": ("affine", 3), "torch.nn.InstanceNorm2d": ("affine", 3),
              "torch.nn.InstanceNorm3d": ("affine", 3)}


def _has_parameters(q: str, call: cst.Call) -> bool:
    """Whether the torch layer `q` built by `call` surely holds trainable parameters: a flag
    that switches them on or off counts only as the literal the call writes (or its default
    when the call does not give it); any other value leaves it unknown, and unknown is no."""
    if q not in _PARAMETRIC:
        return False
    flag = _AFFINE_ON.get(q) or _AFFINE_OFF.get(q)
    if flag is None:
        return True
    given = _flag(call, *flag)
    if given is None:
        return q in _AFFINE_OFF  # the default: on for the norms above, off for the instance norms
    return given == "True"


def _flag(call: cst.Call, keyword: str, position: int) -> str | None:
    """The flag's value as the call writes it: "True", "False", "?" for anything else (a name,
    an expression, `*args`/`**kwargs` that may hold it), None when the call does not give it."""
    positional = 0
    for a in call.args:
        if a.star:
            return "?"
        if a.keyword is None:
            if positional == position:
                return a.value.value if isinstance(a.value, cst.Name) and a.value.value in ("True", "False") else "?"
            positional += 1
        elif a.keyword.value == keyword:
            return a.value.value if isinstance(a.value, cst.Name) and a.value.value in ("True", "False") else "?"
    return None


def _in_class(p, fn) -> cst.ClassDef | None:
    block = p.parent.get(fn)
    cls = p.parent.get(block)
    return cls if isinstance(block, cst.IndentedBlock) and isinstance(cls, cst.ClassDef) else None


class LayerBuiltInForward(Rule):
    """
    ## What it does
    Finds a PyTorch layer with parameters (`nn.Linear`, `nn.Conv2d`, `nn.LayerNorm`,
    `nn.Embedding`, `nn.LSTM`, ...) that a module's `forward()` constructs and applies on every
    call: `nn.Linear(d_in, d_out)(x)`, or `conv = nn.Conv2d(...)` followed by `conv(x)` in the
    same `forward()`, also through an `nn.Sequential` built there. Layers without parameters
    (`nn.ReLU()`, `nn.MaxPool2d(2)`, `nn.Dropout(p)`, a `LayerNorm` with
    `elementwise_affine=False`) are left alone, and so is a layer stored on `self`, the way a
    lazily built layer is.

    ## Why is this bad?
    Each forward pass makes a new layer with new random weights. It is not a submodule of the
    model, so `model.parameters()` does not hold it: the optimizer never updates it, its weights
    are not saved with `state_dict()`, and `model.to(device)` does not move it (the first GPU
    run fails with a device mismatch). The network trains around a layer that is random again
    at every step, and evaluation sees other random weights than training did.

    ## Example
    ```python
    class Attention(nn.Module):
        def forward(self, context, residual):
            output = nn.Linear(n_heads * d_v, d_model)(context)
            return nn.LayerNorm(d_model)(output + residual)
    ```

    ## Use instead
    ```python
    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(n_heads * d_v, d_model)
            self.layer_norm = nn.LayerNorm(d_model)

        def forward(self, context, residual):
            return self.layer_norm(self.linear(context) + residual)
    ```

    ## Fix safety
    There is no automatic fix: the layer has to move to `__init__` under a name of its own.
    """

    code = "TL109"
    triggers = ("def forward",)
    name = "layer-built-in-forward"
    severity = Severity.WARNING
    summary = "forward() constructs a layer with parameters on every call: its weights are random each step and never trained."
    failing = (
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def forward(self, x):\n"
        "        return nn.Linear(64, 10)(x)  # TL109\n",
        "import torch\nimport torch.nn.functional as F\n\nclass TextCNN(torch.nn.Module):\n"
        "    def __init__(self, sizes):\n        super().__init__()\n        self.sizes = sizes\n\n"
        "    def forward(self, x):\n        outs = []\n        for size in self.sizes:\n"
        "            conv = torch.nn.Conv2d(1, 3, (size, 8))  # TL109\n            outs.append(F.relu(conv(x)))\n"
        "        return torch.cat(outs, 1)\n",
        "from torch import nn\n\nclass Block(nn.Module):\n    def forward(self, x):\n"
        "        mlp = nn.Sequential(nn.Linear(32, 32), nn.ReLU())  # TL109\n        return mlp(x) + x\n",
        "import torch.nn as nn\n\nclass FeedForward(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n"
        "        self.conv = nn.Conv1d(d, d, 1)\n        self.d = d\n\n    def forward(self, x):\n"
        "        out = nn.ReLU()(self.conv(x))\n        return nn.LayerNorm(self.d)(out + x)  # TL109\n",
    )
    passing = (
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(64, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n",
    )
    lookalikes = (
        # layers without parameters built in forward; a LayerNorm without affine parameters
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def forward(self, x):\n"
        "        x = nn.ReLU()(x)\n        x = nn.MaxPool2d(2)(x)\n        x = nn.Dropout(0.1)(x)\n"
        "        return nn.LayerNorm(x.shape[-1], elementwise_affine=False)(x)\n",
        # a layer built lazily on self at the first call; a factory method that returns a layer
        "import torch.nn as nn\n\nclass Lazy(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = None\n\n    def make(self, n):\n        return nn.Linear(n, 10)\n\n"
        "    def forward(self, x):\n        if self.fc is None:\n            self.fc = nn.Linear(x.shape[1], 10)\n"
        "        return self.fc(x)\n",
        # a layer built in forward but only returned, never applied there; an InstanceNorm without affine
        "import torch.nn as nn\n\nclass Builder(nn.Module):\n    def forward(self, n):\n        head = nn.Linear(n, 2)\n"
        "        return head\n\nclass Style(nn.Module):\n    def forward(self, x):\n        return nn.InstanceNorm2d(3)(x)\n",
        # a method that is not forward, called once from __init__
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.body = self.build(8)\n\n    def build(self, n):\n        layer = nn.Linear(n, n)\n"
        "        nn.init.zeros_(layer.bias)\n        return layer\n\n    def forward(self, x):\n        return self.body(x)\n",
    )

    def on_module(self, ctx, ev):
        if "def forward" not in ctx.text:
            return
        env = None
        p = None
        for chunk, fn in function_defs(ctx):
            if fn.name.value != "forward":
                continue
            p = p or parents(ctx)
            cls = _in_class(p, fn)
            if cls is None:
                continue
            env = env if env is not None else module_names(ctx)
            calls = scope_calls(ctx, chunk, fn)
            built = {}
            for call in calls:
                f = call.func
                if (f.attr.value if type(f) is cst.Attribute else f.value if type(f) is cst.Name else None) not in _NAMES:
                    continue
                q = imported_qualname(env, f)
                if q and _has_parameters(q, call):
                    built[call] = q
            if built:
                self._check(ctx, p, env, fn, cls, calls, built)

    def _check(self, ctx, p, env, fn, cls, calls, built):
        called_names = {dotted(c.func) for c in calls if isinstance(c.func, cst.Name)}
        for call, q in built.items():
            holder = call
            parent = p.parent.get(call)
            if isinstance(parent, cst.Arg):  # nn.Sequential(nn.Linear(...), ...)
                outer = p.parent.get(parent)
                if isinstance(outer, cst.Call) and imported_qualname(env, outer.func) in _CONTAINERS:
                    holder, parent = outer, p.parent.get(outer)
            applied = None
            if isinstance(parent, cst.Call) and parent.func is holder:
                applied = "applied at once"
            elif (isinstance(parent, cst.Assign) and parent.value is holder and len(parent.targets) == 1
                  and isinstance(parent.targets[0].target, cst.Name) and parent.targets[0].target.value in called_names):
                applied = f"bound to `{parent.targets[0].target.value}` and applied in the same forward()"
            if applied is None:
                continue
            kind = q.rsplit(".", 1)[-1]
            ctx.report(self, call,
                       f"`{kind}` is constructed inside `{cls.name.value}.forward()` and {applied}: every call makes a new "
                       f"layer with fresh random weights that is not a submodule of the model, so the optimizer never "
                       f"updates it, `state_dict()` does not save it and `.to(device)` does not move it. Build it once "
                       f"in `__init__` (`self.{kind.lower()} = nn.{kind}(...)`) and apply that in forward()",
                       related=[(fn, "forward() runs at every step")])
