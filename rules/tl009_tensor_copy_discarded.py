import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import nested_expression_values

# tensor methods that return a converted copy and leave the tensor as it was (the in-place
# forms, where there are any, end in `_`)
_TORCH_COPIES = frozenset({
    "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "long", "int", "short", "bool", "byte", "char",
    "type", "detach",
})
# tensor methods that return the tensor in another shape (a view or a copy) and leave it as it was
_TORCH_RESHAPES = frozenset({
    "view", "reshape", "flatten", "squeeze", "unsqueeze", "permute", "transpose", "t", "contiguous", "view_as",
    "reshape_as", "expand", "expand_as", "repeat", "narrow", "clone",
})


class TensorCopyDiscarded(Rule):
    """
    ## What it does
    Finds a statement that is only a device or dtype conversion of a tensor whose result is
    dropped: `labels.cuda()`, `x.to(device)`, `y.long()`, `h.detach()` on a torch tensor, or a
    change of its shape (`x.view(-1, n)`, `x.reshape(...)`, `x.flatten(1)`, `x.squeeze(1)`),
    written as a statement of its own inside a block (a function, a loop, an `if`). The value must
    be a tensor the program makes; a module (`model.cuda()`, which moves the module in
    place) or a value of unknown type is never reported, nor is a statement at the top level of
    the file, which may end a notebook cell and so display the converted copy.

    ## Why is this bad?
    Unlike `nn.Module.cuda()` / `.to()`, which move a module's parameters in place, these tensor
    methods return a new tensor and leave the original where and what it was. The line does
    nothing: the tensor stays on the CPU and later meets the model's CUDA outputs
    (`RuntimeError: Expected all tensors to be on the same device`), keeps its float dtype where
    class indices were wanted, or keeps its graph where it was meant to be cut. A dropped
    `x.view(-1, n)` in a `forward` leaves the feature map unflattened, and the next `Linear`
    fails (`mat1 and mat2 shapes cannot be multiplied`) or mixes the wrong axes.

    ## Example
    ```python
    labels = torch.from_numpy(labels)
    if torch.cuda.is_available():
        labels.cuda()
    ```

    ## Use instead
    ```python
    labels = labels.cuda()
    ```

    ## Fix safety
    Binding the result to the same name (`labels = labels.cuda()`) is what the line meant, but
    it changes what every later use of the name sees, so the fix is unsafe.
    """

    code = "TL009"
    name = "tensor-copy-discarded"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "`t.cuda()`, `t.to(device)`, `t.long()`, `t.view(...)` as a statement on a tensor: the result is dropped."
    triggers = (".cuda(", ".to(", ".cpu(", ".float(", ".double(", ".half(", ".long(", ".int(", ".bool(", ".byte(",
                ".type(", ".detach(", ".astype(", ".short(", ".char(", ".bfloat16(", ".view(", ".reshape(", ".flatten(",
                ".squeeze(", ".unsqueeze(", ".permute(", ".transpose(", ".t(", ".contiguous(", ".view_as(", ".reshape_as(",
                ".expand(", ".expand_as(", ".repeat(", ".narrow(", ".clone(")
    failing = (
        "import numpy as np\nimport torch\n\nlabels = torch.from_numpy(np.zeros(8, dtype=np.int64))\n"
        "if torch.cuda.is_available():\n    labels.cuda()  # TL009\n",
        "import torch\n\ndevice = torch.device('cuda')\nfor step in range(3):\n    x = torch.randn(4, 3)\n    x.to(device)  # TL009\n",
        "import torch\nimport torch.nn as nn\n\ncriterion = nn.CrossEntropyLoss()\n\ndef loss_of(logits):\n"
        "    y = torch.tensor([0.0, 1.0, 2.0, 1.0])\n    y.long()  # TL009\n    return criterion(logits, y)\n",
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(1, 6, 3)\n"
        "        self.fc = nn.Linear(6 * 13 * 13, 10)\n\n    def forward(self, x):\n"
        "        x = F.max_pool2d(F.relu(self.conv(x)), 2)\n        x.view(-1, 6 * 13 * 13)  # TL009\n"
        "        return self.fc(x)\n",
    )
    passing = (
        "import numpy as np\nimport torch\n\nlabels = torch.from_numpy(np.zeros(8, dtype=np.int64))\n"
        "if torch.cuda.is_available():\n    labels = labels.cuda()\n",
        "import torch\n\ndevice = torch.device('cuda')\nfor step in range(3):\n    x = torch.randn(4, 3)\n    x = x.to(device)\n",
        "import torch\n\ndef flat(x):\n    x = torch.randn(4, 6, 13, 13)\n    x = x.view(-1, 6 * 13 * 13)\n    return x\n",
    )
    lookalikes = (
        # a module moves in place: `model.cuda()` and `model.to(device)` are complete statements
        "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(3, 2)\nmodel.cuda()\nmodel.to('cuda')\nmodel.float()\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(3, 2)\n\nnet = Net()\nnet.cuda()\nnet.double()\n",
        # the in-place forms and results that are used
        "import torch\n\nx = torch.randn(4, 3, requires_grad=True)\nh = x * 2\nh.detach_()\ny = x.to('cpu').sum()\n"
        "print(x.long())\nz = [x.cuda()]\n",
        # a value of unknown type (a parameter of the function) is left alone
        "def move(batch, device):\n    batch.to(device)\n    return batch\n",
        # `type()` with no argument reads the type name
        "import torch\n\ndef kind():\n    x = torch.randn(3)\n    x.type()\n",
        # a top-level expression may end a notebook cell, which displays the copy
        "import torch\n\ny_preds = torch.randn(10, 1)\ny_preds.cpu()\n",
        # the in-place shape changes, and a reshaped value that is used
        "import torch\n\ndef step():\n    x = torch.randn(4, 1, 3)\n    x.squeeze_(1)\n    x.unsqueeze_(0)\n"
        "    x.t_() if x.dim() == 2 else None\n    print(x.view(-1))\n    return x.reshape(2, -1)\n",
        # a method of the same name on something that is not a tensor
        "import numpy as np\n\ndef step(a):\n    a = np.zeros((4, 3))\n    a.reshape(3, 4)\n    a.flatten()\n    return a\n",
    )

    def on_method_call(self, ctx, ev):
        if not self._has_words(ctx):
            return
        t = ev.receiver
        if not isinstance(t, Tensor) or t.param or t.fw != "torch":
            return
        node = ev.node
        reshape = ev.method in _TORCH_RESHAPES
        if ev.method not in _TORCH_COPIES and not reshape or not isinstance(node, cst.Call) \
                or not isinstance(node.func, cst.Attribute):
            return
        if node.func.attr.value != ev.method or (ev.method == "type" and not node.args):
            return
        if id(node) not in nested_expression_values(ctx, cst.Call):
            return
        receiver = ctx.source(node.func.value).strip()
        call = ctx.source(node).strip()
        if reshape:
            message = (f"`{call}` returns the tensor `{receiver}` in another shape and leaves `{receiver}` as it was; "
                       f"the result is dropped, so this line does nothing. Bind it: `{receiver} = {call}`")
        else:
            message = (f"`{call}` returns a converted copy of the tensor `{receiver}` and leaves the tensor as it was; "
                       f"the copy is dropped, so this line does nothing (only a module's .{ev.method}() works in place). "
                       f"Bind it: `{receiver} = {call}`")
        ctx.report(self, node, message, fix=_fix(ctx, node, receiver))

    def _has_words(self, ctx) -> bool:
        seen = getattr(self, "_words", None)
        if seen is None or seen[0] is not ctx:
            seen = self._words = (ctx, any(w in ctx.text for w in self.triggers))
        return seen[1]


def _fix(ctx, node: cst.Call, receiver: str):
    """`x.cuda()` -> `x = x.cuda()` when the receiver is a plain name or attribute."""
    if not isinstance(node.func.value, (cst.Name, cst.Attribute)):
        return None
    span = ctx.span(node)
    if span is None:
        return None
    text = f"{receiver} = {ctx.source(node).strip()}"
    return Fix("Bind the converted copy to the same name", (Edit(span, text),), Applicability.UNSAFE)
