import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from tensorlint.dataflow import descendants
from tensorlint.values import Optimizer, Tensor

from ._training import (
    CLEARS, backward_calls, has_closure, insert_before, is_model, module_ids, optimizer_model, parents, receiver_node,
    same_scope, source, step_calls,
)


class MissingZeroGrad(Rule):
    """
    ## What it does
    Finds a training loop that calls `backward()` and `optimizer.step()` but never clears the
    gradients: no `optimizer.zero_grad()`, `model.zero_grad()`, `p.grad = None` or
    `p.grad.zero_()` in the loop (or in the functions it calls). Each optimizer that steps is
    judged on its own: in a GAN loop, `opt_g.zero_grad()` does not clear the discriminator's
    gradients, so a missing `opt_d.zero_grad()` is reported. Gradient accumulation, where
    `step()` runs under a schedule such as `if (i + 1) % accum == 0:`, is not reported; a guard
    on a value (`if torch.isfinite(loss):`) is not a schedule, so it is. An optimizer built on
    the parameters of modules that the loop's other `zero_grad()` calls clear (an infoGAN's
    `Adam(itertools.chain(G.parameters(), D.parameters()))` beside the cleared optimizers of `G`
    and `D`) has its gradients cleared too.

    ## Why is this bad?
    `backward()` adds to `.grad`. Without clearing, every step applies the sum of all gradients
    since the start of training: the effective learning rate grows with each iteration and
    training diverges or oscillates, without any error.

    ## Example
    ```python
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Use instead
    ```python
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Fix safety
    The fix inserts `optimizer.zero_grad()` just before the `backward()` call, at its
    indentation. It is safe: the gradients are cleared before they are computed, and
    accumulation patterns are never reported. With several optimizers, the call goes before
    the first `backward()` that computes gradients for that optimizer's step (the
    discriminator's loss for `opt_d`, the generator's loss for `opt_g`), never after one whose
    gradients the step still needs; when that `backward()` cannot be told, or two optimizers
    share parameters (clearing one would clear gradients the other still needs), there is no
    fix.
    """

    code = "TL403"
    name = "missing-zero-grad"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "A loop calls `backward()` and `optimizer.step()` but never clears the gradients."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor epoch in range(100):\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()  # TL403\n    optimizer.step()\n",
        # a GAN: the generator's gradients are cleared, the discriminator's never are
        "import torch\nimport torch.nn as nn\nG = nn.Linear(4, 8)\nD = nn.Linear(8, 1)\n"
        "opt_g = torch.optim.Adam(G.parameters())\nopt_d = torch.optim.Adam(D.parameters())\nreal = torch.randn(16, 8)\n"
        "bce = nn.BCEWithLogitsLoss()\nfor it in range(100):\n    fake = G(torch.randn(16, 4))\n"
        "    d_loss = bce(D(real), torch.ones(16, 1)) + bce(D(fake.detach()), torch.zeros(16, 1))\n"
        "    d_loss.backward()  # TL403\n    opt_d.step()\n    opt_g.zero_grad()\n"
        "    g_loss = bce(D(fake), torch.ones(16, 1))\n    g_loss.backward()\n    opt_g.step()\n",
        # a guard on the loss is not gradient accumulation
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor epoch in range(100):\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()  # TL403\n    if torch.isfinite(loss):\n        optimizer.step()\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor epoch in range(100):\n    optimizer.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    optimizer.step()\n",
    )
    lookalikes = (
        # a GAN that clears both: through the optimizer and through the model
        "import torch\nimport torch.nn as nn\nG = nn.Linear(4, 8)\nD = nn.Linear(8, 1)\n"
        "opt_g = torch.optim.Adam(G.parameters())\nopt_d = torch.optim.Adam(D.parameters())\nreal = torch.randn(16, 8)\n"
        "bce = nn.BCEWithLogitsLoss()\nfor it in range(100):\n    fake = G(torch.randn(16, 4))\n    D.zero_grad()\n"
        "    d_loss = bce(D(real), torch.ones(16, 1)) + bce(D(fake.detach()), torch.zeros(16, 1))\n"
        "    d_loss.backward()\n    opt_d.step()\n    opt_g.zero_grad()\n"
        "    g_loss = bce(D(fake), torch.ones(16, 1))\n    g_loss.backward()\n    opt_g.step()\n",
        # gradient accumulation
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    loss = nn.functional.mse_loss(model(x), y) / 4\n"
        "    loss.backward()\n    if (i + 1) % 4 == 0:\n        opt.step()\n        opt.zero_grad()\n",
        # clearing by hand, or through the model
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    for p in model.parameters():\n        p.grad = None\n"
        "    nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\nfor i in range(100):\n    model.zero_grad()\n"
        "    nn.functional.mse_loss(model(x), y).backward()\n    opt.step()\n",
        # LBFGS: the closure clears and computes the gradients
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.LBFGS(model.parameters())\n"
        "x, y = torch.randn(20, 5), torch.randn(20, 1)\n\ndef closure():\n    opt.zero_grad()\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()\n    return loss\n\nfor i in range(10):\n    opt.step(closure)\n",
    )

    def on_loop(self, ctx, trace):
        if trace.hidden:
            return  # something unseen may have cleared the gradients (a call given the optimizer)
        calls = trace.calls
        # `backward()` on a tensor, or on a value the analysis could not follow when the loop gave
        # a gradient-carrying tensor to code it could not follow (a loss imported from a module
        # that is not here), or `loss.backward()` without arguments on a value the analysis could
        # not follow (the output of a model whose class is not here), in a loop stepping a torch
        # optimizer (only torch tensors have `backward()` there) where no code that is not
        # followed received a name the loop did not bind (it could be the model, and clear it)
        backs = [(i, c) for i, c in backward_calls(calls) if isinstance(c[0], Tensor) or trace.unseen_loss or (not c[3] and not trace.unknown_given)]
        steps = step_calls(calls)
        if not backs or not steps or any(has_closure(c) for _, c in steps):
            return
        cleared = _cleared(calls)
        if cleared is None or _untraced_clears(ctx, trace, calls):
            return  # something clears gradients in a way that cannot be attributed: stay silent
        opts: list = []  # stepped optimizers, in the order of their first step
        for i, c in steps:
            if not any(_key(o) == _key(c[0]) for o, _ in opts):
                opts.append((c[0], i))
        p = parents(ctx)
        missing = []
        covered = _cleared_sources(calls)
        for opt, first in opts:
            if _is_cleared(opt, cleared) or _covered(opt, covered):
                continue
            own_steps = [c for _, c in steps if _key(c[0]) == _key(opt)]
            if any(p.conditional_between(c[2], trace.node) and not _value_guard(ctx, p, c[2], trace.node, backs) for c in own_steps):
                continue  # gradient accumulation: step() every few iterations
            missing.append((opt, first, own_steps[0]))
        groups: dict = {}  # backward node -> the optimizers whose clearing goes before it
        for opt, first, step in missing:
            back = _feeding_backward(opt, first, backs, steps, [o for o, _ in opts], len(opts) == 1)
            key = id(back[2]) if back is not None else ("step", id(step[2]))
            groups.setdefault(key, (back, []))[1].append((opt, step))
        for back, members in groups.values():
            self._report(ctx, p, back, members, [o for o, _ in opts])

    def _report(self, ctx, p, back, members, all_opts):
        names = []
        for _opt, step in members:
            recv = receiver_node(step[2])
            names.append(source(ctx, recv) if isinstance(recv, (cst.Name, cst.Attribute)) else None)
        label = " and ".join(f"{n}.step()" if n else "optimizer.step()" for n in names)
        lines = ("line " if len(members) == 1 else "lines ") + ", ".join(str(ctx.line(step[2])) for _, step in members)
        call = " and ".join(f"{n}.zero_grad()" if n else "optimizer.zero_grad()" for n in names)
        fix = None
        if back is not None and all(names) and not any(_shares_parameters(opt, all_opts) for opt, _ in members):
            stmt = p.statement(back[2])
            if stmt is not None and all(same_scope(ctx, back[2], step[2]) for _, step in members):
                fix = insert_before(ctx, stmt, [f"{n}.zero_grad()" for n in names],
                                    f"Insert {call} before backward()", Applicability.SAFE)
        where = back[2] if back is not None else members[0][1][2]
        which = "" if len(all_opts) == 1 else f" of {' and '.join(n or 'the optimizer' for n in names)}"
        ctx.report(self, where,
                   f"gradients{which} are never cleared in this loop: backward() adds to .grad and {label} ({lines}) "
                   f"{'applies' if len(members) == 1 else 'apply'} the sum of all past gradients; call {call} every iteration",
                   fix=fix, related=[(step[2], "step() here") for _, step in members])


def _key(opt):
    """One optimizer per place it is built: a loop over a literal list runs its body once per
    item, and builds one optimizer value each time."""
    return id(opt.node) if opt.node is not None else id(opt)


def _cleared(calls):
    """What the loop clears: (ids of optimizers, ids of modules), or None when something is
    cleared whose reach is not known (`p.grad = None`, a `zero_` on some tensor, an unknown object)."""
    opts, modules = set(), set()
    for receiver, method, _node, _args, _kwargs in calls:
        if method not in CLEARS:
            continue
        if method == "zero_grad" and isinstance(receiver, Optimizer):
            opts.add(_key(receiver))
        elif method == "zero_grad" and is_model(receiver):
            modules |= module_ids(receiver)
        else:
            return None
    return frozenset(opts), frozenset(modules)


def _is_cleared(opt, cleared) -> bool:
    opts, modules = cleared
    if _key(opt) in opts:
        return True
    model = optimizer_model(opt)
    if model is None:
        return bool(modules)  # built on parameters we cannot attribute: any model.zero_grad() may be its
    return bool(module_ids(model) & modules)  # a part of the model cleared: perhaps the only part that trains


def _sources(opt) -> set:
    """The modules an optimizer is built on, as written (`self.G`, `self.D` in `Adam(chain(
    self.G.parameters(), self.D.parameters()))`): the receivers of every `.parameters()` in its
    first argument; empty when the argument holds anything else (a name, a list of tensors)."""
    node = opt.node if isinstance(opt, Optimizer) else None
    if not isinstance(node, cst.Call) or not node.args or node.args[0].keyword is not None:
        return set()
    out = set()
    for n in (node.args[0].value, *descendants(node.args[0].value)):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "parameters":
            text = dotted(n.func.value)
            if not text:
                return set()
            out.add(text)
        elif isinstance(n, cst.Name) and not _part_of_parameters_call(node.args[0].value, n):
            return set()
    return out


def _part_of_parameters_call(root, name) -> bool:
    """Whether `name` is part of a `x.parameters()` call (or of the call that chains them) under `root`."""
    for n in (root, *descendants(root)):
        if isinstance(n, cst.Call):
            if isinstance(n.func, cst.Attribute) and n.func.attr.value == "parameters":
                if any(m is name for m in descendants(n.func)):
                    return True
            elif any(m is name for m in (n.func, *descendants(n.func))):
                return True  # `itertools.chain`, `list`: the joining call itself
    return False


def _cleared_sources(calls) -> set:
    """The modules (as written) whose gradients the loop's `zero_grad()` calls clear: those of
    each cleared optimizer and each cleared model named by a plain dotted expression."""
    out = set()
    for receiver, method, node, _args, _kwargs in calls:
        if method != "zero_grad":
            continue
        if isinstance(receiver, Optimizer):
            out |= _sources(receiver)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and dotted(node.func.value):
            out.add(dotted(node.func.value))
    return out


def _covered(opt, covered: set) -> bool:
    """An optimizer never cleared itself, built on modules whose gradients other `zero_grad()`
    calls of the loop clear (an info-loss optimizer over a generator and a discriminator that
    their own optimizers clear)."""
    mine = _sources(opt)
    return bool(mine) and mine <= covered


def _untraced_clears(ctx, trace, calls) -> bool:
    """Code in the loop that clears gradients but did not run in the trace (a branch the
    interpreter could not follow, a method of something unknown)."""
    text = source(ctx, trace.node) or ""
    if "zero_grad" not in text and "grad = None" not in text and "grad.zero_" not in text and "set_to_none" not in text:
        return False
    traced = {id(c[2]) for c in calls if c[1] in CLEARS}
    for node in descendants(trace.node):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("zero_grad", "zero_"):
            if id(node) not in traced:
                return True
        elif isinstance(node, (cst.Assign, cst.AugAssign)) and ".grad" in (source(ctx, node) or "").split("=")[0]:
            if id(node) not in traced:
                return True
    return False


def _feeds(back, opt):
    """Does the backpropagated value reach the optimizer's parameters? None when unknown."""
    model = optimizer_model(opt)
    if model is None or not getattr(back[0], "models", None):
        return None
    return bool(back[0].models & module_ids(model))


def _feeding_backward(opt, first, backs, steps, all_opts, alone):
    """The backward() before which `opt.zero_grad()` belongs: the first one this iteration that
    computes gradients for `opt`'s next step. A backward() that feeds another optimizer stepping
    before `opt` belongs to that optimizer's step (the discriminator's block of a GAN loop), so
    clearing `opt` there would be too early only if it fed `opt` alone."""
    if alone:
        return backs[0][1]  # one optimizer: clear before the first backward of the iteration
    prev = max((i for i, c in steps if i < first and _key(c[0]) != _key(opt)), default=-1)
    for i, back in backs:
        if i >= first or _feeds(back, opt) is not True:
            continue
        if i > prev:
            return back
        between = [c[0] for j, c in steps if i < j < first and _key(c[0]) != _key(opt)]
        if not any(_feeds(back, other) is not False for other in between):
            return back
    # no backward() of its own: one shared with the optimizers stepping before it (an encoder's
    # and a decoder's optimizer after one reconstruction loss)
    shared = next((back for i, back in backs if i < first and _feeds(back, opt) is True), None)
    if shared is not None:
        return shared
    # what it backpropagates cannot be told (a model whose class is not here): the only
    # backward() since the last other optimizer's step is the one this step applies
    own = [back for i, back in backs if prev < i < first]
    return own[0] if len(own) == 1 and _feeds(own[0], opt) is None else None


def _shares_parameters(opt, all_opts) -> bool:
    """Another stepped optimizer trains modules this one trains too (or cannot be told apart):
    clearing one would clear gradients the other still needs."""
    others = [o for o in all_opts if _key(o) != _key(opt)]
    if not others:
        return False
    model = optimizer_model(opt)
    if model is None:
        return True
    mine = module_ids(model)
    for other in others:
        theirs = optimizer_model(other)
        if theirs is None or mine & module_ids(theirs):
            return True
    return False


_GUARD_CALLS = ("isfinite", "isnan", "isinf")


def _value_guard(ctx, p, step_node, loop, backs) -> bool:
    """Is every `if` around `step()` a guard on a value (`if torch.isfinite(loss):`,
    `if loss.item() < 1e3:`) rather than a schedule (`if (i + 1) % accum == 0:`)? Only guards
    that do not count iterations."""
    seen = False
    for a in p.ancestors(step_node):
        if a is loop:
            return seen
        if isinstance(a, (cst.While, cst.Try, cst.IfExp, cst.FunctionDef, cst.Lambda)):
            return False
        if isinstance(a, cst.If):
            if not _guard_test(a.test, backs) or _inside_else(p, step_node, a):
                return False
            seen = True
    return False


def _inside_else(p, node, if_node) -> bool:
    return if_node.orelse is not None and p.inside(node, if_node.orelse)


def _guard_test(test, backs) -> bool:
    from tensorlint.syntax import dotted

    names = {getattr(c[0], "name", None) for _, c in backs} - {None}
    found = False
    for node in (test, *descendants(test)):
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Modulo, cst.FloorDivide)):
            return False  # counts iterations
        if isinstance(node, cst.Call) and dotted(node.func).split(".")[-1] in _GUARD_CALLS:
            found = True
        elif isinstance(node, cst.Name) and node.value in names:
            found = True
    return found
