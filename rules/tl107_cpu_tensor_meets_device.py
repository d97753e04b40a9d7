import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.frameworks import devices
from tensorlint.rule import Rule
from tensorlint.values import ANY, Container, Layer, Seq, Tensor, exact_items, shape_list

from ._training import parents


# wrappers that move the inputs of the module they wrap to its device themselves
_SCATTERS = ("DataParallel", "data_parallel")

# a gradient penalty on a critic moved to the GPU where one is present, given `grads`
_PENALTY = (
    "import torch\nimport torch.nn as nn\n"
    "cuda = torch.cuda.is_available()\n"
    "net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\n"
    "real = torch.randn(16, 4, requires_grad=True)\n"
    "if cuda:\n    net.cuda()\n    real = real.cuda()\n"
    "out = net(real)\n"
    "g = torch.autograd.grad(out, real, {grads}, create_graph=True)[0]"
)


class CpuTensorMeetsDevice(Rule):
    """
    ## What it does
    Finds a PyTorch tensor the program makes on the CPU (a factory such as `torch.ones`,
    `torch.zeros`, `torch.tensor(data)`, `torch.from_numpy(a)` without `device=`, or `.cpu()`)
    that meets a module or tensor the program moved to the accelerator (`.cuda()`,
    `.to(device)` with `device = torch.device("cuda" if torch.cuda.is_available() else "cpu")`,
    `device="cuda"`, the legacy `torch.cuda.FloatTensor` types): given to the module, to its loss with the module's output, combined with
    such a tensor, joined to one by `torch.cat`/`torch.stack`, or passed as the gradients of
    such a tensor to `torch.autograd.grad(..., grad_outputs)` or `backward(gradient)`. A module
    moved under a condition (`if args.cuda: model.cuda()`) counts: the run fails whenever the
    condition holds. A tensor's device is known only where the program fixes it: a factory (also
    `torch.tensor` or `torch.LongTensor` of a list comprehension of Python numbers, such as
    `[float(v) for v in row]`, `[t.item() for t in ts]` or `[w for w in ids]` over a list of
    numbers), a sample a map-style dataset's `__getitem__` builds, batched by a `DataLoader`,
    a batch a `collate_fn` of the file builds from such samples, and what a method computes from
    one tensor alone (`out.sum(dim=1)`, `x.float()`, `x.view(-1)`: a reduction, a cast or a
    reshape lives where its tensor lives). One moved on some paths and not on others, an
    argument of unknown origin, a batch a collate function from elsewhere makes or the output of
    an operation not followed is not judged, and a zero-dimensional tensor (which torch lets
    meet a CUDA tensor) is not reported, nor is a CPU tensor in the `else` of an `if` whose body
    moves work to the accelerator (`if self.gpu_mode: ....cuda() else: ...`): that is the
    program's CPU path, taken when the flag that moved the model is off.

    ## Why is this bad?
    torch does not move tensors between devices by itself: on a machine with a GPU the call
    raises `RuntimeError: Expected all tensors to be on the same device, but found at least two
    devices, cuda:0 and cpu!` (or, for the gradients, `invalid gradient at index 0 - expected
    device cuda:0 but got cpu`). The program runs on a machine without a GPU, which hides the
    mistake until it is trained where it was meant to be.

    ## Example
    ```python
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    D = Discriminator().to(device)
    out = D(real)
    grad = torch.autograd.grad(out, real, torch.ones(out.size(0), 1), create_graph=True)[0]
    ```

    ## Use instead
    ```python
    grad = torch.autograd.grad(out, real, torch.ones_like(out), create_graph=True)[0]
    # or torch.ones(out.size(0), 1, device=device)
    ```

    ## Fix safety
    No fix is offered: which device the tensor should be made on (`device=` of the program's
    device variable, a `*_like` factory of the tensor it meets, `.to(...)`) is the program's
    choice.
    """

    code = "TL107"
    name = "cpu-tensor-meets-device"
    severity = Severity.ERROR
    summary = "A tensor made on the CPU meets a module or tensor the program moved to the GPU: it raises there."
    failing = (
        ("import torch\nimport torch.nn as nn\n"
         "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\n"
         "model = nn.Linear(4, 1).to(device)\n"
         "x = torch.randn(8, 4)\n"
         "y = model(x)  # TL107\n"),
        _PENALTY.format(grads="torch.ones(real.size(0), 1)") + "  # TL107\n",
        ("import torch\nimport torch.nn as nn\n"
         "model = nn.Linear(4, 1).cuda()\n"
         "out = model(torch.randn(8, 4).cuda())\n"
         "loss = nn.MSELoss()(out, torch.zeros(8, 1))  # TL107\n"),
        ("import numpy as np\nimport torch\nimport torch.nn as nn\n"
         "model = nn.Linear(4, 2).to('cuda')\n"
         "h = model(torch.randn(3, 4, device='cuda'))\n"
         "bias = torch.from_numpy(np.ones((3, 2), dtype=np.float32))\n"
         "z = h + bias  # TL107\n"),
        ("import torch\nimport torch.nn as nn\n"
         "device = 'cuda:0' if torch.cuda.is_available() else 'cpu'\n"
         "enc = nn.Linear(4, 6).to(device)\n"
         "code = enc(torch.rand(2, 4).to(device))\n"
         "both = torch.cat([code, torch.zeros(2, 3)], dim=1)  # TL107\n"),
        ("import torch\nimport torch.nn as nn\n\n"
         "class Critic(nn.Module):\n"
         "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 1)\n\n"
         "    def forward(self, x):\n        return self.fc(x)\n\n"
         "critic = Critic().cuda()\n"
         "x = torch.randn(5, 4).cuda().requires_grad_()\n"
         "v = critic(x)\n"
         "v.backward(torch.ones(5, 1))  # TL107\n"),
    )
    passing = (
        ("import torch\nimport torch.nn as nn\n"
         "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\n"
         "model = nn.Linear(4, 1).to(device)\n"
         "x = torch.randn(8, 4).to(device)\n"
         "y = model(x)\n"),
        _PENALTY.format(grads="torch.ones_like(out)") + "\n",
    )
    lookalikes = (
        # nothing is moved: everything stays on the CPU
        ("import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\nx = torch.randn(8, 4)\n"
         "out = model(x)\nloss = nn.MSELoss()(out, torch.zeros(8, 1))\n"),
        # everything is moved
        ("import torch\nimport torch.nn as nn\ndevice = torch.device('cuda')\n"
         "model = nn.Linear(4, 1).to(device)\nx = torch.randn(8, 4, device=device)\n"
         "out = model(x)\nloss = nn.MSELoss()(out, torch.zeros(8, 1, device=device))\n"
         "g = torch.autograd.grad(out, x, torch.ones(8, 1).to(device))\n"),
        # moved on one path only: where it lives is not known
        ("import torch\nimport torch.nn as nn\nimport sys\nmodel = nn.Linear(4, 1)\nx = torch.randn(8, 4)\n"
         "if len(sys.argv) > 1:\n    model.cuda()\n    x = x.cuda()\nout = model(x)\n"),
        # a device the file does not fix
        ("import torch\nimport torch.nn as nn\n\ndef run(device):\n"
         "    model = nn.Linear(4, 1).to(device)\n    return model(torch.randn(8, 4))\n"),
        # a zero-dimensional CPU tensor may meet a CUDA tensor
        ("import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1).cuda()\n"
         "out = model(torch.randn(8, 4).cuda())\nscaled = out * torch.tensor(0.5)\n"),
        # the default device is changed: factories make CUDA tensors
        ("import torch\nimport torch.nn as nn\ntorch.set_default_device('cuda')\n"
         "model = nn.Linear(4, 1).cuda()\ny = model(torch.randn(8, 4))\n"),
        # DataParallel moves the inputs of the module it wraps
        ("import torch\nimport torch.nn as nn\nmodel = nn.DataParallel(nn.Linear(4, 1)).cuda()\n"
         "y = model(torch.randn(8, 4))\n"),
        # moved back to the CPU before it meets the CPU tensor
        ("import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1).cuda()\n"
         "out = model(torch.randn(8, 4).cuda()).cpu()\nloss = nn.MSELoss()(out, torch.zeros(8, 1))\n"),
        # a module moved and then given a tensor moved the same way
        ("import torch\nimport torch.nn as nn\nuse_gpu = torch.cuda.is_available()\nmodel = nn.Linear(4, 1)\n"
         "x = torch.randn(8, 4)\nif use_gpu:\n    model = model.cuda()\n    x = x.cuda()\ny = model(x)\n"),
    )

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        if not isinstance(layer, (Layer, Container)) or getattr(layer, "device", None) != "cuda" or not ev.args:
            return
        if any(word in (ctx.text or "") for word in _SCATTERS):
            return
        # a layer's every tensor argument (an RNN's initial state too); a Sequential's first
        given = ev.args if isinstance(layer, Layer) else ev.args[:1]
        for i, arg in enumerate(given):
            for x in _items(arg) or ():
                if _on_cpu(x):
                    where = (ev.site.arg if ev.site.arg is not None else ev.site.node) if i == 0 else ev.node
                    self._report(ctx, where, x, f"{layer.describe()}, whose parameters the program put on the GPU")
                    return

    def on_loss_call(self, ctx, ev):
        if ev.fw == "torch" and len(ev.args) >= 2:
            self._pair(ctx, ev.node, ev.args[0], ev.args[1], f"the loss {ev.loss.describe()}")

    def on_elementwise(self, ctx, ev):
        if ev.args:
            self._pair(ctx, ev.node, ev.receiver, ev.args[0], "an arithmetic operation")

    def on_join(self, ctx, ev):
        parts = [p for p in ev.parts if isinstance(p, Tensor)]
        if any(devices.of(p) == "cuda" for p in parts):
            for p in parts:
                if _on_cpu(p):
                    self._report(ctx, ev.node, p, f"{ev.qualname}, with a tensor on the GPU")
                    return

    def on_grad_outputs(self, ctx, ev):
        outs, grads = _items(ev.outputs), _items(ev.grads)
        if outs is None or grads is None:
            return
        for out, grad in zip(outs, grads):
            if devices.of(out) == "cuda" and _on_cpu(grad):
                where = ev.grads_node if ev.grads_node is not None and len(grads) == 1 else ev.node
                self._report(ctx, where, grad, f"the gradients of {_name(ctx, out)}, which lives on the GPU")
                return

    def _pair(self, ctx, node, a, b, what):
        for cpu, other in ((a, b), (b, a)):
            if devices.of(other) == "cuda" and _on_cpu(cpu):
                self._report(ctx, node, cpu, f"{what} with {_name(ctx, other)}, which lives on the GPU")
                return

    def _report(self, ctx, node, t, what):
        if _cpu_path(ctx, node):
            return
        related = [(t.node, "made on the CPU here")] if t.node is not None and t.node is not node else []
        ctx.report(
            self, node,
            f"{_name(ctx, t)} (shape {shape_list(t.shape)}) is on the CPU and given to {what}: on a "
            f"machine with a GPU torch raises 'Expected all tensors to be on the same device'; create it with "
            f"device=... or move it with .to(device)",
            related=related,
        )


def _cpu_path(ctx, node) -> bool:
    """Whether `node` is in the `else` of an `if` whose body moves work to the accelerator
    (`if self.gpu_mode: ....cuda() else: ...`): the program's CPU path, taken when the flag
    that moved the model is off."""
    p = parents(ctx)
    child = node
    for a in p.ancestors(node):
        if isinstance(a, cst.If) and a.orelse is child and any(_moves(n) for n in descendants(a.body)):
            return True
        child = a
    return False


def _moves(n) -> bool:
    return (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("cuda", "to")
            or isinstance(n, cst.Arg) and n.keyword is not None and n.keyword.value == "device")


def _name(ctx, t) -> str:
    """"`x` (line 7)" or "the tensor of line 7": where the value got the device it has."""
    line = ctx.line(t.node) if t.node is not None else None
    where = f" (line {line})" if line else ""
    return f"`{t.name}`{where}" if t.name else f"the tensor of line {line}" if line else "a tensor"


def _on_cpu(t) -> bool:
    """A torch tensor the program makes on the CPU, of known rank above 0 (a zero-dimensional CPU
    tensor may meet a CUDA tensor)."""
    if devices.of(t) != "cpu" or t.shape is None:
        return False
    return (t.rank or 0) > 0 or (len(t.shape) > 1 and t.shape[0] is ANY)


def _items(v):
    if isinstance(v, Tensor):
        return [v]
    items = exact_items(v) if isinstance(v, Seq) else None
    return list(items) if items is not None else None
