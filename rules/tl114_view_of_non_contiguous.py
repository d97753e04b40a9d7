import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.frameworks import layout
from tensorlint.rule import Rule
from tensorlint.values import Tensor, shape_list

from ._common import value_name
from .tl207_reshape_size_mismatch import target_dims


class ViewOfNonContiguous(Rule):
    """
    ## What it does
    Finds `x.view(...)` of a PyTorch tensor whose memory layout cannot take the new shape: a
    tensor made non-contiguous by `transpose`, `permute`, `.t()`, `.T`, `.mT`, `expand` or a
    slice, viewed with a shape that merges dims that are not next to each other in memory. The
    check is torch's own: the dims are cut into groups that are contiguous in memory; a view may
    split a dim or merge dims inside one group, never across groups. It runs only where every
    dim is known or is the batch of a `DataLoader` (a size of two or more that the file does not
    fix: the view is judged for every such batch), and the strides follow from known operations
    on a tensor known to be contiguous (a tensor a factory makes, `.contiguous()`, a linear
    layer's output, the results of `topk`, a batch that the default collate stacks). An
    elementwise result (`a + b`, `pred.eq(target)`, `x * 2`) is laid out as torch lays it out:
    like its first operand whose strides tell two dims apart; so is an elementwise function of
    one tensor (`torch.exp(x)`, `x.sigmoid()`, `F.relu(x)`) and a `*_like` factory in its default
    `preserve_format` (`torch.randn_like(std)`); a copy (`clone()`, `.to(dtype)`)
    or a move (`.cuda()`, `.to(device)`) of a dense tensor keeps its strides. The top-k accuracy
    helper of many training scripts is judged whatever model made the scores: `topk(k, 1)` has
    two dims or more and `.t()` takes no more, so the indices are `[n, k]` (read as
    `_, pred = ...`, `[1]` or the named field `.indices`), and `target.view(1, -1).expand_as(pred)`
    (or `target.unsqueeze(0)`, `target[None]`) makes `n` the batch size of `target`. The layout of
    anything else (a `reshape` result, a function's argument of unknown origin) is not known,
    and the view is not judged.

    ## Why is this bad?
    The call fails: `RuntimeError: view size is not compatible with input tensor's size and
    stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...)
    instead.` `transpose` and `permute` only change the strides; the data stays where it was.

    ## Example
    ```python
    x = torch.randn(8, 16, 32)
    y = x.transpose(1, 2).view(8, -1)
    ```

    ## Use instead
    ```python
    y = x.transpose(1, 2).reshape(8, -1)  # or .contiguous().view(8, -1)
    ```

    ## Fix safety
    The fix replaces `view` by `reshape`, which copies the data where a view is not possible and
    gives the same values: safe.
    """

    code = "TL114"
    name = "view-of-non-contiguous"
    severity = Severity.ERROR
    summary = "view() of a tensor whose strides cannot take the new shape (after transpose/permute): it raises."
    fix = Applicability.SAFE
    failing = (
        "import torch\nx = torch.randn(8, 16, 32)\ny = x.transpose(1, 2).view(8, -1)  # TL114\n",
        "import torch\nx = torch.randn(4, 5, 6)\np = x.permute(2, 0, 1)\nflat = p.view(-1)  # TL114\n",
        "import torch\nw = torch.zeros(3, 4)\nv = w.t().view(12)  # TL114\n",
        "import torch\nw = torch.zeros(3, 4)\nv = w.T.view(-1)  # TL114\n",
        "import torch\nx = torch.randn(6, 4)\nv = x[:, :2].view(12)  # TL114\n",
        "import torch\nx = torch.randn(10, 4)\nv = x[::2].view(-1)  # TL114\n",
        "import torch\nx = torch.randn(4, 1)\nv = x.expand(4, 3).view(12)  # TL114\n",
        # the top-k accuracy helper of many training scripts, on a loader's batch
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16)\n"
         "for x, y in loader:\n    pred = x.topk(5, 1)[1].t()\n    correct = pred.eq(y.view(1, -1).expand_as(pred))\n"
         "    hits = correct[:5].view(-1)  # TL114\n"),
        # the same helper on the scores of a model whose output the file does not show, the
        # labels moved to the accelerator where there is one
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16)\n"
         "for x, y in loader:\n    if torch.cuda.is_available():\n        y = y.cuda(non_blocking=True)\n"
         "    _, pred = model(x).topk(5, 1, True, True)\n    pred = pred.t()\n"
         "    correct = pred.eq(y.view(1, -1).expand_as(pred))\n"
         "    hits = [correct[:k].view(-1).float().sum(0) for k in (1, 5)]  # TL114\n"),
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n\n"
         "def accuracy(output, target, topk=(1,)):\n    maxk = max(topk)\n"
         "    _, pred = torch.topk(output, maxk, dim=1)\n    pred = pred.t()\n"
         "    correct = pred.eq(target.view(1, -1).expand_as(pred))\n"
         "    return [correct[:k].view(-1).float().sum() for k in topk]  # TL114\n\n"
         "net = torch.jit.load('net.pt')\n"
         "for xb, yb in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    top1, top5 = accuracy(net(xb), yb.to('cuda'), topk=(1, 5))\n"),
        # the named fields of topk's result, the labels given their leading axis by unsqueeze
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    pred = torch.topk(model(x), 5, dim=1).indices.t()\n"
         "    correct = pred.eq(y.unsqueeze(0).expand_as(pred))\n"
         "    hits = correct[:5].view(-1).float().sum()  # TL114\n"),
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    ranked = x.sort(1, descending=True)\n    pred = ranked.indices[:, :3].t()\n"
         "    correct = pred.eq(y[None].expand_as(pred))\n"
         "    hits = correct.view(-1)  # TL114\n"),
        ("import torch\nimport torch.nn as nn\n\n"
         "class Net(nn.Module):\n"
         "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(16, 32)\n\n"
         "    def forward(self, x):\n        h = self.fc(x)\n        h = h.transpose(0, 1)\n"
         "        return h.view(-1)  # TL114\n\n"
         "out = Net()(torch.randn(8, 16))\n"),
        # the layout of a permuted tensor kept through an elementwise function and a *_like factory
        ("import torch\nmu = torch.randn(5, 5, 4, 16).permute(2, 0, 1, 3)\nstd = torch.exp(0.5 * mu)\n"
         "z = torch.randn_like(std) * std + mu\nflat = z.view(-1, 16)  # TL114\n"),
        "import torch\nx = torch.randn(3, 4)\ny = x.t().sigmoid().view(12)  # TL114\n",
    )
    passing = (
        "import torch\nx = torch.randn(8, 16, 32)\ny = x.transpose(1, 2).reshape(8, -1)\n",
        "import torch\nx = torch.randn(8, 16, 32)\ny = x.transpose(1, 2).contiguous().view(8, -1)\n",
    )
    lookalikes = (
        # a *_like factory asked for a contiguous layout, an elementwise result made contiguous
        ("import torch\nmu = torch.randn(5, 5, 4, 16).permute(2, 0, 1, 3)\n"
         "eps = torch.randn_like(mu, memory_format=torch.contiguous_format)\nflat = eps.view(-1, 16)\n"),
        "import torch\nx = torch.randn(3, 4)\ny = x.t().sigmoid().contiguous().view(12)\n",
        # splitting a dim is always possible
        "import torch\nx = torch.randn(8, 16, 32)\ny = x.transpose(1, 2).view(8, 4, 8, 16)\n",
        # the dims merged are still next to each other in memory
        "import torch\nx = torch.randn(4, 5, 6)\np = x.permute(1, 2, 0).view(30, 4)\n",
        "import torch\nx = torch.randn(2, 3, 4, 5)\ny = x.transpose(0, 1).view(3, 2, 20)\n",
        # a transpose that swaps a dim of size 1 moves nothing
        "import torch\nx = torch.randn(1, 6, 8)\ny = x.transpose(0, 1).view(-1)\n",
        # a slice along the first dim only keeps the rows contiguous
        "import torch\nx = torch.randn(10, 4)\nv = x[2:6].view(-1)\n",
        # the first row of the transposed top-k: one row is contiguous whatever the batch
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16)\n"
         "for x, y in loader:\n    pred = x.topk(5, 1)[1].t()\n    correct = pred.eq(y.view(1, -1).expand_as(pred))\n"
         "    hits = correct[:1].view(-1)\n"),
        # the named field of the best guess only: one row is contiguous
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    pred = torch.topk(model(x), 5, dim=1).indices.t()\n"
         "    correct = pred.eq(y.unsqueeze(0).expand_as(pred))\n    hits = correct[:1].view(-1)\n"),
        # the labels given a trailing axis: the comparison is laid out like the untransposed indices
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    pred = torch.topk(model(x), 5, dim=1).indices\n"
         "    correct = pred.eq(y.unsqueeze(1).expand_as(pred))\n    hits = correct[:, :5].view(-1)\n"),
        # the helper asked for the best guess only: one row is contiguous
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    _, pred = model(x).topk(1, 1, True, True)\n    pred = pred.t()\n"
         "    correct = pred.eq(y.view(1, -1).expand_as(pred))\n    hits = correct[:1].view(-1)\n"),
        # without expand_as nothing says the scores have one row per sample of the batch
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    _, pred = model(x).topk(5, 1, True, True)\n    pred = pred.t()\n"
         "    correct = pred.eq(y.view(1, -1))\n    hits = correct[:5].view(-1)\n"),
        # top-k along dim 0 of scores of unknown rank: `.t()` does not fix their shape
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    _, pred = model(x).topk(5, 0)\n    pred = pred.t()\n"
         "    correct = pred.eq(y.view(1, -1).expand_as(pred))\n    hits = correct[:5].view(-1)\n"),
        # reshape copies where it must
        ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
         "model = torch.load('model.pt')\n"
         "for x, y in DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 10, (64,))), batch_size=16):\n"
         "    _, pred = model(x).topk(5, 1, True, True)\n    pred = pred.t()\n"
         "    correct = pred.eq(y.view(1, -1).expand_as(pred))\n    hits = correct[:5].reshape(-1)\n"),
        # a reshape's result may be a copy: its layout is not known
        "import torch\nx = torch.randn(8, 16, 32)\ny = x.transpose(1, 2).reshape(8, 32, 16).view(8, -1)\n",
        # the shape is not known
        "import torch\n\ndef f(x):\n    return x.transpose(1, 2).view(x.size(0), -1)\n",
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "for (xb,) in DataLoader(TensorDataset(torch.randn(64, 3, 8)), batch_size=16):\n"
        "    y = xb.transpose(1, 2).view(16, -1)\n",
        # a layer whose output layout is not known
        "import torch\nimport torch.nn as nn\nrnn = nn.LSTM(8, 16, batch_first=True)\n"
        "out, _ = rnn(torch.randn(4, 5, 8))\ny = out.view(-1, 16)\n",
    )

    def on_reshape(self, ctx, ev):
        t = ev.receiver
        func = getattr(ev.node, "func", None)
        if not isinstance(t, Tensor) or not isinstance(func, cst.Attribute) or func.attr.value != "view":
            return
        st = layout.strides(t)
        if st is None:
            return
        target = target_dims(ev)
        new = layout.resolved_shape(t.shape, target)
        if new is None or layout.view_strides(t.shape, st, new) is not None:
            return
        span = ctx.span(func.attr)
        fix = Fix("Use reshape(...)", (Edit(span, "reshape"),), Applicability.SAFE) if span is not None else None
        related = [(t.node, "its memory layout is made here")] if t.node is not None and t.node is not ev.node else []
        if layout.symbolic(t.shape):
            # the strides hold stand-ins for the batch size: say what they mean instead
            layout_text, when = "its dims laid out in memory in another order", "for a batch of more than one sample "
            new = target
        else:
            layout_text, when = f"strides {shape_list(st)}", ""
        ctx.report(
            self, ev.node,
            f"view of {_receiver(ctx, func.value, t)} (shape {shape_list(t.shape)}, {layout_text}) as "
            f"{shape_list(new)} merges dims that are not contiguous in memory: {when}torch raises 'view size is not "
            f"compatible with input tensor's size and stride'; use reshape(...) or contiguous().view(...)",
            fix=fix, related=related,
        )


def _receiver(ctx, node, t) -> str:
    """The tensor viewed: its name, else the expression written (`correct[:k]`) where short."""
    if t.name:
        return value_name(ctx, t)
    text = ctx.source(node)
    return f"`{text}`" if len(text) <= 40 and "\n" not in text else value_name(ctx, t)
