import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import MutableList, Seq, Tensor, is_float_dtype


class FloatTensorIndex(Rule):
    """
    ## What it does
    Finds a PyTorch tensor or NumPy array indexed by a tensor that the program shows to hold
    floating-point values: the result of a true division `/` (of integer indices too: `topk`
    and `argmax` positions divided by a size), of `.float()`, of arithmetic with a float, or a
    tensor made with a float dtype. Only a dtype the program establishes counts; an index of
    unknown dtype is not judged.

    ## Why is this bad?
    Tensor and array indices must be integers (or booleans for a mask). Since PyTorch 1.6 `/`
    is true division even for integer tensors, so `indices / vocab_size`, which used to floor,
    gives a float tensor, and indexing with it stops the program: `IndexError: tensors used as
    indices must be long, int, byte or bool tensors` (NumPy: `arrays used as indices must be of
    integer (or boolean) type`).

    ## Example
    ```python
    scores, flat = logits.view(-1).topk(k)
    rows = flat / vocab_size
    beams = beams[rows]
    ```

    ## Use instead
    ```python
    rows = torch.div(flat, vocab_size, rounding_mode="floor")  # or flat // vocab_size
    beams = beams[rows]
    ```

    ## Fix safety
    There is no automatic fix: floor division is what beam searches mean, but whether a
    division was meant to floor or the index to be rounded is the program's choice.
    """

    code = "TL441"
    name = "float-tensor-index"
    severity = Severity.ERROR
    python3_only = True  # Python 2 programs ran on PyTorch releases whose `/` floored integer tensors
    summary = "A tensor or array indexed by a float tensor (often `indices / n`, true division): it raises IndexError."
    failing = (
        # a beam search: positions in the flattened scores divided by the vocabulary size
        "import torch\nscores = torch.randn(3, 100)\nbeams = torch.zeros(3, 1, dtype=torch.long)\n"
        "_, flat = scores.view(-1).topk(3)\nvocab_size = scores.size(1)\n"
        "rows = flat / vocab_size  # TL441\nbeams = beams[rows]\n",
        # written inline, with torch.topk and a literal size
        "import torch\nx = torch.randn(4, 50)\nseqs = torch.zeros(4, 7, dtype=torch.long)\n"
        "vals, idx = torch.topk(x.view(-1), 4)\nseqs = torch.cat([seqs[idx / 50], (idx % 50).unsqueeze(1)], dim=1)  # TL441\n",
        # an index cast to float on purpose, in a function
        "import torch\n\ndef pick(t):\n    order = torch.argsort(t[:, 0]).float()\n    return t[order]  # TL441\n\n"
        "out = pick(torch.randn(5, 2))\n",
        # a NumPy array indexed by a true division of integer positions
        "import numpy as np\nimport torch\nitems = np.zeros((10, 4))\npos = np.arange(10)\nhalf = torch.from_numpy(items[pos / 2])  # TL441\n",
        # in a module's forward, a size read from the input
        "import torch\nimport torch.nn as nn\n\nclass Decoder(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 20)\n\n"
        "    def forward(self, h, beams):\n        scores = self.fc(h)\n        _, top = scores.view(-1).topk(2)\n"
        "        prev = top / scores.size(1)  # TL441\n        return beams[prev]\n\n"
        "out = Decoder()(torch.randn(2, 8), torch.zeros(2, 3, dtype=torch.long))\n",
    )
    passing = (
        "import torch\nscores = torch.randn(3, 100)\nbeams = torch.zeros(3, 1, dtype=torch.long)\n"
        "_, flat = scores.view(-1).topk(3)\nvocab_size = scores.size(1)\n"
        "rows = flat // vocab_size\nbeams = beams[rows]\n",
        "import torch\nscores = torch.randn(3, 100)\nbeams = torch.zeros(3, 1, dtype=torch.long)\n"
        "_, flat = scores.view(-1).topk(3)\nrows = torch.div(flat, 100, rounding_mode='floor')\nbeams = beams[rows]\n",
    )
    lookalikes = (
        # cast back to integers before indexing
        "import torch\nx = torch.randn(4, 50)\nseqs = torch.zeros(4, 7)\n_, idx = x.view(-1).topk(4)\n"
        "rows = (idx / 50).long()\ny = seqs[rows]\n",
        # a float mask compared first is a bool mask
        "import torch\nx = torch.randn(6, 3)\nw = torch.rand(6)\ny = x[w > 0.5]\n",
        # a dict keyed by tensors: any hashable key is valid
        "import torch\nd = {}\nk = torch.randn(3)\nd[k] = 1\nv = d[k]\n",
        # a torch tensor indexed by a float NumPy array: torch converts it
        "import numpy as np\nimport torch\nx = torch.randn(5, 2)\nidx = np.array([0.0, 1.0])\ny = x[idx]\n",
        # the index's dtype is not known (an operand of unknown type)
        "import torch\n\ndef pick(t, idx, scale):\n    return t[idx / scale]\n",
        # floats as values, not as indexes
        "import torch\nx = torch.randn(5)\ni = torch.tensor([1, 3])\nx[i] = x[i] / 2\n",
    )

    def on_subscript(self, ctx, ev):
        obj = ev.obj
        if isinstance(obj, Tensor):
            if obj.fw not in ("torch", "np"):
                return
        elif not isinstance(obj, (Seq, MutableList)):
            return
        for ix, node in zip(ev.index, ev.index_nodes):
            if not isinstance(ix, Tensor) or not is_float_dtype(ix.dtype) or ix.fw not in ("torch", "np"):
                continue
            if isinstance(obj, Tensor) and obj.fw == "torch" and ix.fw == "np":
                continue  # torch converts a NumPy index
            self._report(ctx, ev, obj, ix, node)
            return

    def _report(self, ctx, ev, obj, ix, node):
        kind = "an array" if isinstance(obj, Tensor) and obj.fw == "np" else "a tensor" if isinstance(obj, Tensor) else "a list"
        division = ix.node if isinstance(ix.node, cst.BinaryOperation) and isinstance(ix.node.operator, cst.Divide) else None
        line = ctx.line(ev.node)
        if division is not None and ctx.line(division) is not None:  # (a division in a project module: at the index)
            what = f"`{ix.name}` ({ix.dtype})" if ix.name else f"{ix.dtype} values"
            ctx.report(
                self, division,
                f"`/` is true division, even of integer tensors: it gives {what}, and the result indexes "
                f"{kind} at line {line}, which raises IndexError (indices must be integers); use `//` or "
                f"torch.div(..., rounding_mode='floor')",
                related=[(ev.node, "the float tensor is used as an index here")],
            )
            return
        what = f"`{ix.name}`" if ix.name else "the index"
        made = ix.node is not None and ix.node is not node and ctx.line(ix.node) is not None
        related = [(ix.node, f"{what} gets its {ix.dtype} dtype here")] if made else []
        ctx.report(
            self, ev.node,
            f"{kind} indexed by {what}, a {ix.dtype} tensor: indices must be integers (or booleans), so this "
            f"raises IndexError; cast the index with .long() or compute it with integer operations",
            related=related,
        )
