import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._losses import additive_terms
from ._training import parents

CUT_METHODS = ("detach", "item", "numpy", "tolist", "stop_gradient")


def _cut_in_chain(cuts, node):
    """The recorded cut (`.detach()`, `.item()`, ...) in the method chain `node` ends with:
    `adv.detach().mean()` holds the cut at `adv.detach()`."""
    while isinstance(node, cst.Call):
        if id(node) in cuts:
            return node, cuts[id(node)]
        if not isinstance(node.func, cst.Attribute):
            return None
        node = node.func.value
    return None


class DetachedLossTerm(Rule):
    """
    ## What it does
    Finds a term of the loss that is backpropagated (`loss.backward()`, `tape.gradient(loss,
    ...)`) which was computed from the model and then cut from the graph before it was added
    in: `.detach()`, `.item()`, `.numpy()`, `.tolist()`, `tf.stop_gradient(...)`. Only terms
    added to (or subtracted from) the loss count; a detached value used inside a term (a
    baseline, a target) or only logged is not a finding.

    ## Why is this bad?
    The cut term is a constant for the optimizer: its gradient is zero, so the part of the
    objective it stands for (an adversarial loss, a regularizer, an entropy bonus) is printed
    with the loss but never trained. Nothing fails; the model just ignores it.

    ## Example
    ```python
    adv = criterion(discriminator(fake), real_labels)
    loss = recon + 0.01 * adv.detach().item()
    loss.backward()
    ```

    ## Use instead
    ```python
    adv = criterion(discriminator(fake), real_labels)
    loss = recon + 0.01 * adv
    loss.backward()
    print(adv.item())
    ```

    ## Fix safety
    There is no automatic fix: whether the term was meant to be trained is for the author to say.
    """

    code = "TL412"
    name = "detached-loss-term"
    severity = Severity.WARNING
    summary = "A term computed from the model is cut from the graph and then added to the backpropagated loss."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 8), torch.randn(16, 1)\nfor step in range(10):\n    opt.zero_grad()\n    pred = model(x)\n"
        "    mse = nn.functional.mse_loss(pred, y)\n    l1 = pred.abs().mean()\n"
        "    loss = mse + 0.1 * l1.item()  # TL412\n    loss.backward()\n    opt.step()\n",
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "opt_g = torch.optim.Adam(G.parameters())\nz, target = torch.randn(6, 4), torch.randn(6, 8)\n"
        "fake = G(z)\nadv = nn.BCELoss()(D(fake), torch.ones(6, 1)).detach()\nrecon = (fake - target).pow(2).mean()\n"
        "g_loss = recon\ng_loss += 0.01 * adv  # TL412\ng_loss.backward()\nopt_g.step()\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])\n"
        "x, y = tf.random.normal((8, 4)), tf.one_hot([0, 1, 2, 0, 1, 2, 0, 1], 3)\nwith tf.GradientTape() as tape:\n"
        "    logits = model(x)\n    ce = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))\n"
        "    activity = tf.reduce_mean(tf.square(logits))\n"
        "    loss = ce + 1e-4 * tf.stop_gradient(activity)  # TL412\ngrads = tape.gradient(loss, model.trainable_variables)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 8), torch.randn(16, 1)\nfor step in range(10):\n    opt.zero_grad()\n    pred = model(x)\n"
        "    mse = nn.functional.mse_loss(pred, y)\n    l1 = pred.abs().mean()\n"
        "    loss = mse + 0.1 * l1\n    loss.backward()\n    opt.step()\n    print(loss.item(), l1.item())\n",
    )
    lookalikes = (
        # detached values inside a term: a baseline, a bootstrapped target, a GAN's fake batch
        "import torch\nimport torch.nn as nn\npolicy, value = nn.Linear(4, 2), nn.Linear(4, 1)\ns, r = torch.randn(8, 4), torch.randn(8, 1)\n"
        "logp = torch.log_softmax(policy(s), dim=1)[:, :1]\nv = value(s)\n"
        "loss = -(logp * (r - v.detach())).mean() + nn.functional.mse_loss(v, r)\nloss.backward()\n",
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nz, real = torch.randn(6, 4), torch.randn(6, 8)\n"
        "d_loss = D(real).mean() - D(G(z).detach()).mean()\nd_loss.backward()\n",
        # a detached term only logged or compared
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 1)\nx, y = torch.randn(16, 8), torch.randn(16, 1)\n"
        "pred = model(x)\nloss = nn.functional.mse_loss(pred, y)\nreport = loss.item() + pred.abs().mean().item()\n"
        "if pred.detach().max() > 10:\n    print(report)\nloss.backward()\n",
    )

    def on_method_call(self, ctx, ev):
        r = ev.receiver
        if ev.method in CUT_METHODS:
            if isinstance(r, Tensor) and r.requires_grad is True:
                ctx.mark("TL412 cuts", (id(ev.node), r))  # (kept for the chunks an edit does not run again)
            return
        if ev.method == "backward" and isinstance(r, Tensor) and r.requires_grad is not False and not ev.args:
            func = ev.node.func if isinstance(ev.node, cst.Call) else None
            if isinstance(func, cst.Attribute):
                self._check(ctx, func.value, ev.node)

    def on_tape_gradient(self, ctx, ev):
        t = ev.target
        if isinstance(t, Tensor) and t.requires_grad is not False and isinstance(ev.node, cst.Call) and ev.node.args:
            self._check(ctx, ev.node.args[0].value, ev.node)

    def _check(self, ctx, expr, use):
        cuts = ctx.marked_map("TL412 cuts")
        if not cuts:
            return
        line = ctx.line(use)
        if line is None:
            return
        scope = parents(ctx).scope(use)
        done = ctx.__dict__.setdefault("_tl412_done", set())
        for term, where in additive_terms(ctx, expr, scope, line):
            found = _cut_in_chain(cuts, term)
            if found is None or id(where) in done:
                continue
            done.add(id(where))
            cut_node, value = found
            how = cut_node.func.attr.value if isinstance(cut_node.func, cst.Attribute) else "a cut"
            how = "tf.stop_gradient" if how == "stop_gradient" else f".{how}()"
            name = f"`{value.name}`" if value.name else None
            if name is None:
                inner = cut_node.args[0].value if how == "tf.stop_gradient" and cut_node.args else cut_node.func.value
                text = ctx.source(inner)
                name = f"`{text}`" if len(text) <= 48 and "\n" not in text else "a value computed from the model"
            ctx.report(self, where,
                       f"{name} is cut from the graph by {how} and then added to the loss backpropagated at line {line}: "
                       f"this term is reported with the loss but its gradient is zero, so it is never trained",
                       related=[(use, "the loss is backpropagated here")] + ([(value.node, "the term is computed here")] if value.node is not None else []))
