import functools

import libcst as cst

from tensorlint.slices import Slice, Undecided, binding_index, imported_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._common import scope_roots
from ._trees import per_chunk
from ._training import from_other_models, has_closure, module_ids, optimizer_model, parents
from ._untouched import loss_reaches, optimizer_of, stays_in_view

CUT_METHODS = ("detach", "item", "numpy", "tolist", "argmax", "argmin", "round", "sign", "floor", "ceil")
LEAF_FACTORIES = ("torch.tensor", "torch.from_numpy", "torch.Tensor", "torch.FloatTensor", "torch.DoubleTensor")


class ParametersWithoutGradient(Rule):
    """
    ## What it does
    Finds `optimizer.step()` in a training loop where the optimizer holds a model's parameters
    and the loss backpropagated just before reaches that model only through a cut: its output
    went through `.item()`, `.detach()`, `.numpy()`, `.tolist()` or `.data` and was turned back
    into a tensor (`torch.tensor(value, requires_grad=True)`, `torch.from_numpy(...)`), so the
    loss has a gradient, but not with respect to the model. Also when no loss backpropagated
    since the optimizer's `zero_grad()` is computed from its model at all (a GAN's second
    discriminator trained on the first one's loss), provided the file shows every value that
    loss comes from and the model never leaves the file's view (it is not passed to another
    call, stored, aliased or read by another function); a loss that may come from the model
    through code the file does not show leaves the rule silent.

    ## Why is this bad?
    `backward()` runs without error, yet every parameter's `.grad` stays `None` and `step()`
    changes nothing: the loss never goes down and nothing says why. It usually comes from
    "fixing" `element 0 of tensors does not require grad` by rewrapping the loss, or from
    computing the loss in NumPy.

    ## Example
    ```python
    out = model(x)
    loss = torch.tensor(criterion(out, y).item(), requires_grad=True)
    loss.backward()
    optimizer.step()
    ```

    ## Use instead
    ```python
    out = model(x)
    loss = criterion(out, y)
    loss.backward()
    optimizer.step()
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL413"
    name = "parameters-without-gradient"
    severity = Severity.ERROR
    summary = "The optimizer's parameters reach the backpropagated loss only through .item()/.detach()/NumPy: they never change."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 3)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 8), torch.randint(0, 3, (16,))\nfor epoch in range(20):\n    optimizer.zero_grad()\n"
        "    value = nn.functional.cross_entropy(model(x), y).item()\n    loss = torch.tensor(value, requires_grad=True) * 1.0\n"
        "    loss.backward()\n    optimizer.step()  # TL413\n",
        "import numpy as np\nimport torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))\n"
        "opt = torch.optim.Adam(net.parameters(), lr=1e-3)\nxs, ys = torch.randn(32, 4), np.random.rand(32, 1)\n"
        "for step in range(100):\n    pred = net(xs).detach().numpy()\n    err = torch.from_numpy((pred - ys) ** 2).requires_grad_()\n"
        "    loss = err.mean()\n    opt.zero_grad()\n    loss.backward()\n    opt.step()  # TL413\n",
    )
    failing = failing + (
        "import torch\nfrom nets import *\nd_a, d_b = Discriminator(), Discriminator()\n"
        "opt_a = torch.optim.Adam(d_a.parameters())\nopt_b = torch.optim.Adam(d_b.parameters())\n"
        "for real in loader:\n    opt_a.zero_grad()\n    d_a.compute_loss(real).backward()\n    opt_a.step()\n"
        "    opt_b.zero_grad()\n    loss_b = d_a.compute_loss(real)\n    loss_b.backward()\n    opt_b.step()  # TL413\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 3)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "x, y = torch.randn(16, 8), torch.randint(0, 3, (16,))\nfor epoch in range(20):\n    optimizer.zero_grad()\n"
        "    loss = nn.functional.cross_entropy(model(x), y)\n    loss.backward()\n    optimizer.step()\n    print(loss.item())\n",
    )
    lookalikes = (
        # a detached baseline inside a loss that still reaches the model
        "import torch\nimport torch.nn as nn\npolicy = nn.Linear(4, 2)\nopt = torch.optim.Adam(policy.parameters())\n"
        "s, r = torch.randn(8, 4), torch.randn(8)\nfor step in range(10):\n    logp = torch.log_softmax(policy(s), dim=1)[:, 0]\n"
        "    baseline = r.mean().item()\n    loss = -(logp * (r - baseline)).mean()\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n",
        # the loss comes from a helper that is given the model: not followed, not flagged
        "import torch\nimport torch.nn as nn\n\ndef compute_loss(m, xb, yb):\n    return nn.functional.mse_loss(m(xb), yb)\n\n"
        "model = nn.Linear(4, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nx, y = torch.randn(8, 4), torch.randn(8, 1)\n"
        "for step in range(10):\n    score = model(x).detach().mean().item()\n    loss = compute_loss(model, x, y)\n"
        "    opt.zero_grad()\n    loss.backward()\n    opt.step()\n",
        # the model is handed to a wrapper whose method computes the loss: it may run the model
        "import torch\nfrom nets import *\ndisc = Discriminator()\ntrainer = GanTrainer(disc)\n"
        "opt = torch.optim.Adam(disc.parameters())\nfor batch in loader:\n    opt.zero_grad()\n"
        "    loss = trainer.d_loss(batch)\n    loss.backward()\n    opt.step()\n",
    )

    def on_method_call(self, ctx, ev):
        r = ev.receiver
        if ev.method in CUT_METHODS and isinstance(r, Tensor) and r.requires_grad is True and r.models:
            ctx.mark("TL413 cuts", (id(ev.node), r))

    def on_layer_call(self, ctx, ev):
        ctx.mark("TL413 runs", (id(ev.node), True))

    def on_tensor_created(self, ctx, ev):
        if ev.qualname in LEAF_FACTORIES:
            ctx.mark("TL413 leaves", (id(ev.node), True))

    def on_loop(self, ctx, trace):
        if trace.opaque:
            return
        self._never_called(ctx, trace.calls)
        cuts = ctx.marked_map("TL413 cuts")  # (noted in any chunk, kept for those an edit does not run again)
        if not cuts:
            return
        last_backward = None
        for entry in trace.calls:
            if entry[1] == "backward":
                last_backward = entry
                continue
            if entry[1] != "step" or has_closure(entry) or last_backward is None:
                continue
            model = optimizer_model(entry[0])
            loss = last_backward[0]
            if model is None or not getattr(model, "name", None) or not isinstance(loss, Tensor) or loss.fw != "torch" \
                    or loss.requires_grad is not True:
                continue
            self._check(ctx, entry, last_backward, model, cuts)

    def _check(self, ctx, step, back, model, cuts):
        node = back[2]
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute) or node.args:
            return
        done = ctx.__dict__.setdefault("_tl413_done", set())
        if id(step[2]) in done:
            return
        scope = parents(ctx).scope(node)
        if scope is None:
            return
        ids = module_ids(model)
        imports = set().union(*per_chunk(ctx, ("imported names",), imported_names))
        bindings = None
        if isinstance(scope, cst.Module):  # every chunk's assignments: kept with each chunk's tree
            indexes = per_chunk(ctx, ("binding index",), lambda m: binding_index([m]))
            bindings = lambda name: [b for index in indexes for b in index.get(name, ())]  # noqa: E731
        walker = Slice(ctx.line, scope_roots(ctx, scope), [], cuts,
                       ctx.marked_map("TL413 runs"), {model.name}, ctx.marked_map("TL413 leaves"),
                       imports=imports, bindings=bindings)
        try:
            walker.walk(node.func.value, ctx.line(node) or 0)
        except (Undecided, RecursionError):
            return
        through = [c for c in walker.found if cuts[id(c)].models & ids]
        if not through:
            return
        done.add(id(step[2]))
        cut = through[0]
        how = f".{cut.func.attr.value}()" if isinstance(cut.func, cst.Attribute) else "a cut"
        line = ctx.line(getattr(model, "node", None))
        where = f" (line {line})" if line else ""
        ctx.report(self, step[2],
                   f"this optimizer holds the parameters of `{model.name}`{where}, but the loss backpropagated at line "
                   f"{ctx.line(node)} reaches `{model.name}` only through {how} (line {ctx.line(cut)}): every gradient stays "
                   f"None and step() never changes the model",
                   related=[(cut, "the graph is cut here"), (node, "backward() here")])

    def _never_called(self, ctx, calls):
        """An optimizer stepped after the backward() of losses none of which is computed from its
        model: the file shows every value they come from, and none of them runs the model."""
        done = ctx.__dict__.setdefault("_tl413_done", set())
        for i, step in enumerate(calls):
            node = step[2]
            if step[1] != "step" or has_closure(step) or id(node) in done or not _is_name_call(node):
                continue
            opt = node.func.value.value
            modules = [c.module for c in ctx.chunks]
            per_tree = functools.partial(per_chunk, ctx)  # what is read from each chunk's tree is kept with it
            held = optimizer_of(modules, opt, per_tree)
            if held is None:
                continue
            model, opt_assign = held
            since = _since_zero_grad(calls, i, step[0], (opt, model))
            backs = [e for e in since or () if e[1] == "backward"]
            if not backs or any(e[1] == "step" and e[0] is step[0] for e in since):
                continue
            known = optimizer_model(step[0])
            if known is not None and all(from_other_models(e[0], module_ids(known), strict=False) for e in backs):
                continue  # TL411 says it with the models' values
            scope = parents(ctx).scope(node)
            memo = ctx.__dict__.setdefault("_tl413_view", {})
            key = (model, id(scope), id(opt_assign))
            if key not in memo:
                memo[key] = None if scope is None else stays_in_view(parents(ctx), modules, scope, model, opt_assign,
                                                                       per_tree)
            where = memo[key]
            if where is None:
                continue
            roots = scope_roots(ctx, scope)
            sources = []
            for e in backs:
                b = e[2]
                if not isinstance(b, cst.Call) or not isinstance(b.func, cst.Attribute) or parents(ctx).scope(b) is not scope:
                    sources = None
                    break
                found = loss_reaches(ctx.line, roots, modules, b.func.value, model, where == "local", per_tree)
                if found is None:
                    sources = None
                    break
                sources.append((b, found))
            if not sources:
                continue
            done.add(id(node))
            back, found = sources[-1]
            loss_line = ctx.line(back)
            origin = max(found, key=lambda n: ctx.line(n) or 0, default=None)
            made = f" (computed at line {ctx.line(origin)})" if origin is not None else ""
            ctx.report(self, node,
                       f"this optimizer holds the parameters of `{model}` (line {ctx.line(opt_assign)}), but the loss "
                       f"backpropagated at line {loss_line}{made} is not computed from `{model}`: `{model}` is never "
                       f"called on the way to it, so its gradients stay None and step() never changes it",
                       related=[(opt_assign, f"the optimizer of `{model}`"), (back, "backward() here")]
                       + ([(origin, "the loss is computed here")] if origin is not None else []))


def _is_name_call(node) -> bool:
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name))


def _since_zero_grad(calls, i, opt_value, names):
    """The calls between the last zero_grad() of this optimizer (or of its model: `names`) and its
    step at `i`; None when the gradients it steps may come from earlier calls."""
    for j in range(i - 1, -1, -1):
        e = calls[j]
        if e[1] == "zero_grad" and (e[0] is opt_value or (_is_name_call(e[2]) and e[2].func.value.value in names)):
            return calls[j + 1:i]
    return None
