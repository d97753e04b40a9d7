import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Applicability, Severity
from tensorlint.syntax import dotted
from tensorlint.rule import Rule
from tensorlint.values import MutableList, Seq, Tensor, Unknown

from ._training import append_call, backward_calls, in_starred, parents, step_calls, under_no_grad, used_only_as_number


def _unfollowed(value) -> bool:
    """A value whose graph the analysis does not know: unknown, or a torch tensor made from
    unknown values (a loss helper of a project module given the output of a model that is not
    here). `backward()` on it in the loop says it has one."""
    return isinstance(value, Unknown) or isinstance(value, Tensor) and value.fw == "torch" and value.requires_grad is None


def _target_and_added(node):
    """(accumulator, node of the added expression) of `total += x` / `total = total + x`; the
    accumulator is a name or an attribute chain (`self.running_loss`)."""
    if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign):
        return dotted(node.target) or None, node.value
    if isinstance(node, cst.Assign) and isinstance(node.value, cst.BinaryOperation) and isinstance(node.value.operator, cst.Add):
        name = dotted(node.targets[0].target)
        if name and dotted(node.value.left) == name:
            return name, node.value.right
        if name and dotted(node.value.right) == name:
            return name, node.value.left  # `total = loss + total`
    return None, None


def _rebinds(block, name, skip) -> bool:
    """Does a block bind `name` anew (`total = 0.0` at the start of each epoch)?"""
    for node in descendants(block, prune=(cst.Assign, cst.AnnAssign, cst.FunctionDef)):
        if isinstance(node, cst.Assign) and node is not skip:
            if any(dotted(t.target) == name for t in node.targets):
                return True
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            if dotted(node.target) == name:
                return True
    return False


def _backward_of(scopes, name) -> bool:
    """Is `name` backward()-ed somewhere (`total.backward()`, `(total / n).backward()`,
    `torch.autograd.grad(total, params)`, `autograd.backward(total)`)?"""
    for scope in scopes:
        for node in descendants(scope):
            if not isinstance(node, cst.Call) or not isinstance(node.func, (cst.Attribute, cst.Name)):
                continue
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "backward":
                targets = [func.value]
            elif dotted(func).split(".")[-1] in ("grad", "backward") and "autograd" in dotted(func) or dotted(func) == "grad":
                targets = [a.value for a in node.args]
            else:
                continue
            if any(dotted(n) == name for t in targets for n in (t, *descendants(t))):
                return True
    return False


def _same_binding(p, a, b, name) -> bool:
    """Are nodes `a` and `b` in statements of one block, with no statement between them that
    binds `name` (so both read the same value)?"""
    sa, sb = p.statement(a), p.statement(b)
    if sa is None or sb is None or p.parent.get(sa) is not p.parent.get(sb):
        return False
    block = p.parent.get(sa)
    body = list(getattr(block, "body", ()))
    if sa not in body or sb not in body:
        return False
    i, j = sorted((body.index(sa), body.index(sb)))
    between = body[i + 1:j]
    return not any(_binds(stmt, name) for stmt in between)


def _binds(stmt, name) -> bool:
    for node in (stmt, *descendants(stmt, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))):
        if isinstance(node, cst.Assign) and any(name in _names(t.target) for t in node.targets):
            return True
        if isinstance(node, (cst.AnnAssign, cst.AugAssign)) and name in _names(node.target):
            return True
        if isinstance(node, (cst.For, cst.CompFor)) and name in _names(node.target):
            return True
        if isinstance(node, cst.NamedExpr) and name in _names(node.target):
            return True
        if isinstance(node, (cst.With,)) and any(item.asname is not None and name in _names(item.asname.name) for item in node.items):
            return True
    return False


def _names(target) -> set:
    return {n.value for n in (target, *descendants(target)) if isinstance(n, cst.Name)}


def _scopes(ctx, p, node, name) -> list:
    """Where a later backward() of `name` would be: the function (or module) holding `node`; for
    an attribute (`self.losses`), which other methods can reach, every chunk of the file."""
    if "." in name:
        return [chunk.module for chunk in ctx.chunks]
    scope = p.scope(node)
    return [scope] if scope is not None else []


class LossAccumulatesGraph(Rule):
    """
    ## What it does
    Finds a loss tensor added into a running total across iterations (`total += loss`,
    `total = total + loss`, `total = loss + total`, `self.total = self.total + loss`), or kept in a
    list made outside the loop (`losses.append(loss)`, `losses += [loss]`, `losses.extend([loss])`),
    in a loop that calls `backward()` on it every iteration, without
    `.item()` or `.detach()`.

    ## Why is this bad?
    The total (or the list) references the autograd graph of every iteration it was added
    from. None of them can be freed until the total is: memory grows with every batch and long
    epochs end in "CUDA out of memory". Logging needs the number, not the graph.

    ## Example
    ```python
    running_loss = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        running_loss += loss
    ```

    ## Use instead
    ```python
        running_loss += loss.item()
    ```
    Summing losses on purpose and calling `backward()` on the sum (accumulating over parts of a
    batch) is not reported, nor is a list of losses that is backpropagated together later, nor
    a list of outputs (only the tensor the loop calls `backward()` on counts), nor a sum made
    under `with torch.no_grad():` inside the loop (it records no graph; a list appended to
    there still keeps each loss with its graph, and is reported). Attributes
    (`self.running_loss += loss`, `self.history.append(loss)`) count like names.

    ## Fix safety
    The fix is chosen from how the total is used. When the loss is a scalar and every later use
    of the total (and of the names it flows into) is one a Python number allows (arithmetic,
    comparisons, f-strings, `print`, a logger), it appends `.item()`. When the total is later
    used as a tensor (`total.item()`, `total.cpu()`, `total[0]`, `torch.stack(...)`), returned,
    or stored where its uses cannot be followed, it appends `.detach()` instead: the total stays
    a tensor, so every use that worked before still works, without the graphs. For a list the
    fix appends `.detach()`: the list keeps tensors (so `torch.stack(losses)` still works)
    without their graphs. Starred arguments (`total += sum(*parts)`) get no fix.
    """

    code = "TL409"
    name = "loss-accumulates-graph"
    severity = Severity.WARNING
    fix = Applicability.SAFE
    summary = "A loss tensor accumulated across iterations without `.item()` keeps every graph alive."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\ntotal = 0.0\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n    total += loss  # TL409\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\nlosses = []\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n    losses.append(loss)  # TL409\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\ntotal = 0.0\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n    total += loss.item()\n",
    )
    lookalikes = (
        # summing losses of several heads, then one backward on the sum
        "import torch\nimport torch.nn as nn\nheads = [nn.Linear(5, 1) for _ in range(3)]\nx, y = torch.randn(8, 5), torch.randn(8, 1)\n"
        "total = 0\nfor head in heads:\n    total += nn.functional.mse_loss(head(x), y)\ntotal.backward()\n",
        # a loss built within the iteration
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss += 0.01 * model(x).abs().mean()\n    loss.backward()\n    opt.step()\n",
        # validation totals under no_grad
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nx, y = torch.randn(40, 5), torch.randn(40, 1)\n"
        "val = 0.0\nwith torch.no_grad():\n    for i in range(10):\n        val += nn.functional.mse_loss(model(x), y)\n",
        # a total summed under no_grad() after the step: the sum records no graph
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\ntotal = 0.0\nfor step in range(100):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n"
        "    with torch.no_grad():\n        total += loss\n",
        # a loss history of numbers, and the outputs kept for metrics
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(5, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.05)\n"
        "x, y = torch.randn(40, 5), torch.randn(40, 1)\nlosses, outs = [], []\nfor step in range(100):\n    opt.zero_grad()\n"
        "    out = model(x)\n    loss = nn.functional.mse_loss(out, y)\n    loss.backward()\n    opt.step()\n"
        "    losses.append(loss.item())\n    outs.append(out)\n",
    )

    def on_loop(self, ctx, trace):
        # the loop's own evidence (backward() and the sum of one binding) holds whatever the code
        # it could not follow did
        self._unseen_losses(ctx, trace)
        if trace.opaque:
            return
        backs = [c for _, c in backward_calls(trace.calls) if isinstance(c[0], Tensor) and c[0].requires_grad is True]
        if not backs:
            return
        p = parents(ctx)
        self._appended(ctx, trace, backs, p)
        for node, _old, added in trace.augassigns:
            if not isinstance(added, Tensor) or added.fw != "torch" or added.requires_grad is not True:
                continue
            name, added_node = _target_and_added(node)
            if name is None or not p.inside(node, trace.node):
                continue
            if any(c[0].name == name for c in backs):
                continue
            if under_no_grad(ctx, node, trace.node):
                continue  # a sum made under no_grad() records no graph
            if _rebinds(trace.node.body, name, node):
                continue  # reset every iteration of this loop: judged with the inner loop
            if _backward_of(_scopes(ctx, p, node, name), name):
                continue
            what = f"`{added.name}`" if added.name else "a loss tensor"
            ctx.report(self, node,
                       f"`{name}` accumulates {what} across iterations without .item(): it keeps the autograd graph of every "
                       f"iteration alive and memory grows each step",
                       fix=self._fix(ctx, p, node, name, added, added_node), related=[(backs[0][2], "backward() every iteration")])

    @staticmethod
    def _fix(ctx, p, node, name, added, added_node):
        """`.item()` when the total is only ever used as a number and the loss is a scalar;
        otherwise `.detach()`, which keeps a tensor (so `total.item()`, `total.cpu()`,
        `torch.stack` and the like still work) without its graph."""
        if in_starred(ctx, added_node):
            return None
        scopes = _scopes(ctx, p, node, name)
        if added.shape == () and scopes and used_only_as_number(ctx, scopes, name):
            return append_call(ctx, added_node, ".item()", "Accumulate the number with .item()", Applicability.SAFE)
        return append_call(ctx, added_node, ".detach()", "Accumulate the value without its graph: .detach()", Applicability.SAFE)

    def _unseen_losses(self, ctx, trace):
        """`total += loss` where `loss` is a value the analysis could not follow (the result of a
        loss function from a module that is not here, or a torch tensor computed from values it
        could not follow, so whether it has a graph is not known), but the same loop calls `loss.backward()`
        and steps a torch optimizer: a tensor with a graph, whatever it was computed by. Only when
        the two statements sit in the same block with no new binding of `loss` between them."""
        backs = {}
        for _, c in backward_calls(trace.calls):
            call = c[2]
            if _unfollowed(c[0]) and isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) \
                    and isinstance(call.func.value, cst.Name) and all(a.keyword is not None for a in call.args):
                backs.setdefault(call.func.value.value, call)
        if not backs or not step_calls(trace.calls):
            return
        p = parents(ctx)
        for node, _old, added in trace.augassigns:
            if not _unfollowed(added):
                continue
            name, added_node = _target_and_added(node)
            if name is None or not isinstance(added_node, cst.Name) or added_node.value not in backs:
                continue
            back = backs[added_node.value]
            if not p.inside(node, trace.node) or not _same_binding(p, back, node, added_node.value):
                continue
            if under_no_grad(ctx, node, trace.node):
                continue
            if _rebinds(trace.node.body, name, node) or _backward_of(_scopes(ctx, p, node, name), name):
                continue
            ctx.report(self, node,
                       f"`{name}` accumulates `{added_node.value}`, which this loop backpropagates (line {ctx.line(back)}), "
                       f"without .item(): it keeps the autograd graph of every iteration alive and memory grows each step",
                       fix=append_call(ctx, added_node, ".item()", "Accumulate the number with .item()", Applicability.UNSAFE)
                       if not in_starred(ctx, added_node) else None,
                       related=[(back, "backward() every iteration")])

    def _appended(self, ctx, trace, backs, p):
        """`losses.append(loss)` (or `extend([loss])`, `insert(0, loss)`, `losses += [loss]`,
        `losses = losses + [loss]`) with the tensor this loop calls backward() on: the list keeps
        every iteration's graph alive."""
        done = set()
        for node, name, added, arg in self._kept(trace, backs):
            if not name or not p.inside(node, trace.node) or id(node) in done:
                continue
            if _rebinds(trace.node.body, name, node if isinstance(node, cst.Assign) else None):
                continue  # a new list every iteration
            if _backward_of(_scopes(ctx, p, node, name), name):
                continue  # the kept losses are backpropagated together later: on purpose
            done.add(id(node))
            fix = None
            if arg is not None and not in_starred(ctx, arg):
                fix = append_call(ctx, arg, ".detach()", "Keep the value without its graph: .detach()", Applicability.SAFE)
            ctx.report(self, node,
                       f"`{name}` keeps `{added.name or 'the loss'}` of every iteration: each one holds its autograd graph "
                       f"alive and memory grows each step; keep `{added.name or 'loss'}.detach()` (or `.item()`)",
                       fix=fix, related=[(backs[0][2], "backward() every iteration")])

    @staticmethod
    def _kept(trace, backs):
        """(statement or call, list name, loss tensor, node of the expression to detach or None)
        for each place the loop puts its loss into a list."""
        def is_loss(v):
            return (isinstance(v, Tensor) and v.fw == "torch" and v.requires_grad is True
                    and any(c[0] is v or (v.name and c[0].name == v.name) for c in backs))

        def in_literal(literal, items):
            """The loss among the items of a list written out (`[loss]`), and its node."""
            for i, v in enumerate(items):
                if is_loss(v):
                    elements = getattr(literal, "elements", None)
                    node = elements[i].value if isinstance(literal, (cst.List, cst.Tuple)) and len(elements) == len(items) else None
                    return v, node
            return None, None

        for receiver, method, node, args, _kwargs in trace.calls:
            if not isinstance(receiver, MutableList) or not isinstance(node, cst.Call):
                continue
            name = dotted(node.func.value) if isinstance(node.func, cst.Attribute) else ""
            if method == "append" and len(args) == 1 and is_loss(args[0]):
                yield node, name, args[0], node.args[0].value
            elif method == "insert" and len(args) == 2 and is_loss(args[1]) and len(node.args) == 2:
                yield node, name, args[1], node.args[1].value
            elif method == "extend" and len(args) == 1 and isinstance(args[0], (Seq, MutableList)) and node.args:
                added, arg = in_literal(node.args[0].value, args[0].items)
                if added is not None:
                    yield node, name, added, arg
        for node, _old, added in trace.augassigns:
            if not isinstance(added, (Seq, MutableList)):
                continue
            name, added_node = _target_and_added(node)
            loss, arg = in_literal(added_node, added.items)
            if loss is not None:
                yield node, name, loss, arg
