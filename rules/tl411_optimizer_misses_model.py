from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Optimizer, Tensor

from ._training import CLEARS, from_other_models, has_closure, module_ids, optimizer_model


def _label(ctx, model) -> str:
    name = f"`{model.name}`" if getattr(model, "name", None) else "a model"
    line = ctx.line(getattr(model, "node", None))
    return f"{name} (line {line})" if line else name


class OptimizerMissesModel(Rule):
    """
    ## What it does
    Finds `optimizer.step()` in a training loop where the optimizer was built on the parameters
    of one model, but the loss that was just backpropagated comes from other models only: the
    optimizer was made for a teacher, a discriminator, or for a model that was then replaced
    by a new instance (`model = build_model()` again). A submodule counts as part of its model.

    ## Why is this bad?
    `backward()` fills the `.grad` of the model that is trained, `step()` updates another set of
    parameters (whose `.grad` is `None`, so it does nothing). The model never changes; the loss
    stays flat and nothing raises.

    ## Example
    ```python
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    model = build_model(hidden=64)  # a new model: the optimizer still holds the old one
    ```

    ## Use instead
    ```python
    model = build_model(hidden=64)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL411"
    name = "optimizer-misses-model"
    severity = Severity.ERROR
    summary = "The optimizer stepped in the loop was built on parameters of another model."
    failing = (
        "import torch\nimport torch.nn as nn\nteacher = nn.Linear(16, 4)\nstudent = nn.Linear(16, 4)\n"
        "optimizer = torch.optim.Adam(teacher.parameters())\nx, y = torch.randn(10, 16), torch.randint(0, 4, (10,))\n"
        "for step in range(100):\n    optimizer.zero_grad()\n    loss = nn.functional.cross_entropy(student(x), y)\n"
        "    loss.backward()\n    optimizer.step()  # TL411\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nteacher = nn.Linear(16, 4)\nstudent = nn.Linear(16, 4)\n"
        "optimizer = torch.optim.Adam(student.parameters())\nx, y = torch.randn(10, 16), torch.randint(0, 4, (10,))\n"
        "for step in range(100):\n    optimizer.zero_grad()\n    loss = nn.functional.cross_entropy(student(x), y)\n"
        "    loss.backward()\n    optimizer.step()\n",
    )
    lookalikes = (
        # a GAN: each optimizer steps after the backward of its own model's loss
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(8, 4), nn.Linear(4, 1)\n"
        "opt_g, opt_d = torch.optim.Adam(G.parameters()), torch.optim.Adam(D.parameters())\nz, real = torch.randn(6, 8), torch.randn(6, 4)\n"
        "for step in range(100):\n    opt_d.zero_grad()\n    d_loss = D(real).mean() - D(G(z).detach()).mean()\n    d_loss.backward()\n"
        "    opt_d.step()\n    opt_g.zero_grad()\n    g_loss = -D(G(z)).mean()\n    g_loss.backward()\n    opt_g.step()\n",
        # fine-tuning only the head of a model
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4))\n"
        "optimizer = torch.optim.SGD(model[2].parameters(), lr=0.1)\nx, y = torch.randn(10, 16), torch.randint(0, 4, (10,))\n"
        "for step in range(100):\n    optimizer.zero_grad()\n    nn.functional.cross_entropy(model(x), y).backward()\n    optimizer.step()\n",
    )

    def on_loop(self, ctx, trace):
        if trace.opaque:
            return
        # the backward() calls each optimizer's step() may take gradients from: those since the
        # loop began or since that optimizer last stepped or cleared its gradients. Two models
        # trained side by side (`loss_a.backward(); loss_b.backward(); opt_a.step(); opt_b.step()`)
        # give each optimizer the backward of its own model.
        pending: list = []
        since: dict = {}
        for entry in trace.calls:
            if entry[1] == "backward":
                pending.append(entry)
                continue
            if entry[1] in CLEARS and isinstance(entry[0], Optimizer):
                since[id(entry[0])] = len(pending)
                continue
            if entry[1] != "step" or has_closure(entry):
                continue
            window = pending[since.get(id(entry[0]), 0):]
            since[id(entry[0])] = len(pending)
            model = optimizer_model(entry[0])
            if model is None or not window:
                continue
            ids = module_ids(model)
            if not all(from_other_models(back[0], ids) for back in window):
                continue
            back = window[-1]
            ctx.report(self, entry[2],
                       f"this optimizer was built on the parameters of {_label(ctx, model)}, but the loss backpropagated at "
                       f"line {ctx.line(back[2])} does not come from that model: step() never updates the model being trained",
                       related=[(entry[0].node, "optimizer made here"), (back[2], "backward() here")])

