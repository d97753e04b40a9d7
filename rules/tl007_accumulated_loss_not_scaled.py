import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._episodes import SCOPES, name_of, names_in
from ._training import parents

_CLIPS = frozenset(("clip_grad_norm_", "clip_grad_norm", "clip_grad_value_"))
_SCALE_OPS = (cst.Divide, cst.FloorDivide, cst.Multiply)
_SCALE_AUG = (cst.DivideAssign, cst.FloorDivideAssign, cst.MultiplyAssign)


class AccumulatedLossNotScaled(Rule):
    """
    ## What it does
    Finds gradient accumulation over micro-batches whose loss is not divided by the number of
    micro-steps: a loop `for micro_step in range(K):` that draws a new batch, computes the loss
    on it and calls `backward()` on every pass, with no `step()` and no `zero_grad()` inside,
    followed by one optimizer step (or a loop over the batches that calls `backward()` on every
    pass and steps under `if (i + 1) % K == 0:`), where neither the loss nor the gradients are scaled by
    anything, `K` is bound to a number above 1, and the step's size depends on the scale of the
    gradient: the gradients are clipped before the step, or the optimizer is plain SGD. Loops
    that divide the loss (`loss / K`, `loss = loss / accum`), multiply it, scale the gradients,
    step inside the loop, index their data by the loop's variable (one loss per task, summed
    on purpose), files that reduce a loss with `reduction='sum'`, and Adam-type optimizers
    without clipping (whose step barely depends on the gradient's scale) stay silent.

    ## Why is this bad?
    `backward()` adds each micro-batch's gradient to `.grad`, so after `K` passes the gradient
    is the sum of `K` mean gradients: `K` times the gradient of the batch the accumulation
    stands for. With SGD every step is `K` times too long. With clipping, the threshold meant
    for the batch's gradient cuts one `K` times larger, so the update is clipped far more often
    than configured and the learning rate schedule no longer means what it says. The loss that
    is logged is one micro-batch's, which hides it.

    ## Example
    ```python
    for micro_step in range(gradient_accumulation_steps):
        logits, loss = model(X, Y)
        X, Y = get_batch('train')
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    ```

    ## Use instead
    ```python
    for micro_step in range(gradient_accumulation_steps):
        logits, loss = model(X, Y)
        loss = loss / gradient_accumulation_steps
        X, Y = get_batch('train')
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    ```

    ## Fix safety
    There is no automatic fix: dividing the loss changes the scale the learning rate and the
    clipping threshold were tuned for.
    """

    code = "TL007"
    triggers = (".backward(",)
    name = "accumulated-loss-not-scaled"
    severity = Severity.WARNING
    summary = ("Gradients accumulated over K micro-batches whose losses are not divided by K, before a clipped or "
               "SGD step: the step sees K times the batch's gradient.")
    failing = (
        "import torch\n\ndef train(model, optimizer, get_batch, iters):\n    accum = 8\n    X, Y = get_batch()\n"
        "    for it in range(iters):\n        for micro_step in range(accum):\n            logits, loss = model(X, Y)\n"
        "            X, Y = get_batch()\n            loss.backward()  # TL007\n"
        "        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n        optimizer.step()\n"
        "        optimizer.zero_grad(set_to_none=True)\n",
        "import torch\nimport torch.nn.functional as F\n\nmodel = torch.nn.Linear(10, 2)\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nloader_iter = iter(loader)\nACCUM_STEPS = 4\n"
        "for step in range(1000):\n    opt.zero_grad()\n    for _ in range(ACCUM_STEPS):\n        x, y = next(loader_iter)\n"
        "        loss = F.cross_entropy(model(x), y)\n        loss.backward()  # TL007\n    opt.step()\n",
    )
    passing = (
        "import torch\n\ndef train(model, optimizer, get_batch, iters):\n    accum = 8\n    X, Y = get_batch()\n"
        "    for it in range(iters):\n        for micro_step in range(accum):\n            logits, loss = model(X, Y)\n"
        "            loss = loss / accum\n            X, Y = get_batch()\n            loss.backward()\n"
        "        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n        optimizer.step()\n"
        "        optimizer.zero_grad(set_to_none=True)\n",
    )
    lookalikes = (
        # divided in the backward call; one loss per task (indexed by the loop's variable)
        "import torch\nimport torch.nn.functional as F\n\nmodel = torch.nn.Linear(10, 2)\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nACCUM = 4\n"
        "for step in range(1000):\n    for _ in range(ACCUM):\n        x, y = next(it)\n"
        "        loss = F.cross_entropy(model(x), y)\n        (loss / ACCUM).backward()\n    opt.step()\n    opt.zero_grad()\n"
        "    for k in range(ACCUM):\n        loss = F.cross_entropy(model(xs[k]), ys[k])\n        loss.backward()\n"
        "    opt.step()\n    opt.zero_grad()\n",
        # Adam without clipping; one micro-step; the step inside the loop
        "import torch\nimport torch.nn.functional as F\n\nmodel = torch.nn.Linear(10, 2)\n"
        "opt = torch.optim.Adam(model.parameters())\nsgd = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "for step in range(100):\n    for _ in range(4):\n        x, y = next(it)\n"
        "        F.cross_entropy(model(x), y).backward()\n        loss = F.cross_entropy(model(x), y)\n"
        "        loss.backward()\n    opt.step()\n    opt.zero_grad()\n"
        "    for _ in range(1):\n        x, y = next(it)\n        loss = F.cross_entropy(model(x), y)\n        loss.backward()\n"
        "    sgd.step()\n    sgd.zero_grad()\n"
        "    for _ in range(4):\n        x, y = next(it)\n        loss = F.cross_entropy(model(x), y)\n        loss.backward()\n"
        "        sgd.step()\n        sgd.zero_grad()\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ".backward(" not in text or ".step(" not in text or ("range(" not in text and "%" not in text):
            return
        if "reduction='sum'" in text or 'reduction="sum"' in text or "size_average=False" in text:
            return
        trees = [c.module for c in ctx.chunks]
        p = None
        for tree in trees:
            for loop in statements_of(tree, (cst.For, cst.While)):
                k = _micro_steps(loop) if isinstance(loop, cst.For) else None
                p = p or parents(ctx)
                hit = (_unscaled(p, trees, loop, k) if k is not None else None) or _unscaled_every(trees, loop)
                if hit is None:
                    continue
                backward, loss, step, why, k = hit
                count = ctx.source(k).strip()
                if p.inside(step, loop):
                    how = (f"on every pass of this loop, each on a new batch, and the step at line {ctx.line(step)} runs "
                           f"once every `{count}` passes: `{count}` gradients add up")
                else:
                    how = (f"on each of the `{count}` passes of this loop, each on a new batch, and the gradients add "
                           f"up; the step at line {ctx.line(step)} follows the loop")
                ctx.report(self, backward,
                           f"`{loss}` is backpropagated {how} with neither the loss nor the gradients divided by "
                           f"`{count}`: the step sees `{count}` times the gradient of the accumulated batch, {why}. "
                           f"Divide the loss by `{count}` before `backward()`")


def _micro_steps(loop):
    """`K` of `for _ in range(K):` (or `range(0, K)`), a name, attribute or integer."""
    it = loop.iter
    if not (isinstance(it, cst.Call) and name_of(it.func) == "range") or any(a.keyword or a.star for a in it.args):
        return None
    args = [a.value for a in it.args]
    if len(args) == 2 and isinstance(args[0], cst.Integer) and args[0].value == "0":
        args = args[1:]
    if len(args) != 1 or not isinstance(args[0], (cst.Name, cst.Attribute, cst.Integer)):
        return None
    return args[0]


def _own_nodes(block):
    return list(descendants(block, prune=SCOPES))


def _method_calls(nodes, names) -> list:
    return [n for n in nodes if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in names]


def _unscaled(p, trees, loop, k):
    body = _own_nodes(loop.body)
    if _method_calls(body, ("step", "zero_grad")) or not _above_one(trees, k):
        return None
    backwards = _method_calls(body, ("backward",))
    if len(backwards) != 1 or backwards[0].args:
        return None
    backward = backwards[0]
    loss = _backpropagated_name(backward.func.value)
    var = names_in(loop.target)
    if loss is None or not _fresh_batch(loop, loss, var) or _scaled_in(body, loss):
        return None
    after = _following(p, loop)
    if after is None:
        return None
    nodes = [n for stmt in after for n in [stmt, *descendants(stmt, prune=SCOPES)]]
    steps = [c for c in _method_calls(nodes, ("step",)) if _is_optimizer_step(c)]
    if not steps or _grads_scaled(nodes):
        return None
    step = steps[0]
    why = _consequence(trees, nodes, step)
    return None if why is None else (backward, loss, step, why, k)


def _consequence(trees, nodes, step) -> str | None:
    """Why the gradient's scale changes the step: clipping among `nodes`, or plain SGD."""
    if _method_calls(nodes, _CLIPS) or any(name_of(c.func) in _CLIPS for c in nodes if isinstance(c, cst.Call)):
        return "and the clipping before the step cuts a gradient that many times larger than its threshold was set for"
    if _is_sgd(trees, _stepped_optimizer(step)):
        return "so each SGD step is that many times longer than the learning rate says"
    return None


def _every_k(test):
    """`K` of a test `(i + 1) % K == 0` or `i % K == 0` (either side of the comparison)."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Equal)):
        return None
    left, right = test.left, test.comparisons[0].comparator
    for mod, zero in ((left, right), (right, left)):
        if isinstance(zero, cst.Integer) and zero.value == "0" and isinstance(mod, cst.BinaryOperation) \
                and isinstance(mod.operator, cst.Modulo) and isinstance(mod.right, (cst.Name, cst.Integer)):
            return mod.right
    return None


def _unscaled_every(trees, loop):
    """The other way to accumulate: `backward()` on every pass of the loop over the batches and the
    step under `if (i + 1) % K == 0:`."""
    own = list(loop.body.body) if isinstance(loop.body, cst.IndentedBlock) else []
    guards = [stmt for stmt in own if isinstance(stmt, cst.If) and _every_k(stmt.test) is not None]
    if len(guards) != 1:
        return None
    guard = guards[0]
    k = _every_k(guard.test)
    inside = {id(n) for n in [guard, *descendants(guard, prune=SCOPES)]}
    body = _own_nodes(loop.body)
    outside = [n for n in body if id(n) not in inside]
    guarded = [n for n in body if id(n) in inside]
    steps = [c for c in _method_calls(guarded, ("step",)) if _is_optimizer_step(c)]
    if not steps or any(_is_optimizer_step(c) for c in _method_calls(outside, ("step",))) \
            or _method_calls(outside, ("zero_grad",)) or not _above_one(trees, k):
        return None
    backwards = _method_calls(outside, ("backward",))
    if len(backwards) != 1 or backwards[0].args or not _unconditional(backwards[0], loop, body):
        return None
    backward = backwards[0]
    loss = _backpropagated_name(backward.func.value)
    batch = names_in(loop.target) if isinstance(loop, cst.For) else set()
    if loss is None or _scaled_in(body, loss) or _grads_scaled(guarded) or not _fresh_batch(loop, loss, set(), batch):
        return None
    why = _consequence(trees, guarded, steps[0])
    return None if why is None else (backward, loss, steps[0], why, k)


def _unconditional(call, loop, body) -> bool:
    """Whether `call` runs on every pass: no `if`, loop, `try` or `with` of the loop's body holds it
    besides `with` blocks (autocast)."""
    holders = [n for n in body if isinstance(n, (cst.If, cst.For, cst.While, cst.Try))
               and any(d is call for d in descendants(n))]
    return not holders


def _backpropagated_name(receiver) -> str | None:
    """`loss` of `loss.backward()` or `scaler.scale(loss).backward()`."""
    if isinstance(receiver, cst.Name):
        return receiver.value
    if isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute) and receiver.func.attr.value == "scale" \
            and len(receiver.args) == 1:
        return name_of(receiver.args[0].value)
    return None


def _bindings_of(block, name: str) -> list:
    out = []
    for stmt in statements_of(block, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
        targets = [t.target for t in stmt.targets] if isinstance(stmt, cst.Assign) else [stmt.target]
        if any(name in names_in(t) for t in targets):
            out.append(stmt)
    return out


def _fresh_batch(loop, loss: str, var: set, given: frozenset | set = frozenset()) -> bool:
    """Whether the loss is bound in the loop from a call that reads data the loop binds anew on
    every pass from a call that does not read the loop's variable (`X, Y = get_batch()`,
    `x, y = next(it)`), and the loss reads no loop variable itself."""
    bindings = _bindings_of(loop.body, loss)
    if not bindings:
        return False
    fetched = set(given)
    for stmt in statements_of(loop.body, (cst.Assign,)):
        if isinstance(stmt.value, cst.Call) and not names_in(stmt.value) & var:
            for t in stmt.targets:
                fetched |= names_in(t.target)
    fetched.discard(loss)
    return all(isinstance(b, cst.Assign) and not names_in(b.value) & var for b in bindings) \
        and any(names_in(b.value) & fetched for b in bindings)


def _scaled_in(nodes, loss: str) -> bool:
    """A division or product in the loss's bindings, or `loss /= ...` (any scale: the rule does not
    guess whether it is the right one)."""
    for n in nodes:
        if isinstance(n, cst.AugAssign) and isinstance(n.operator, _SCALE_AUG) and loss in names_in(n.target):
            return True
        if isinstance(n, cst.Assign) and any(loss in names_in(t.target) for t in n.targets) \
                and any(isinstance(m, cst.BinaryOperation) and isinstance(m.operator, _SCALE_OPS)
                        for m in [n.value, *descendants(n.value)]):
            return True
    return False


def _following(p, loop) -> list | None:
    """The statements after `loop` in its block."""
    parent = p.parent.get(loop)
    body = getattr(parent, "body", None)
    if not isinstance(body, (list, tuple)):
        return None
    for i, stmt in enumerate(body):
        if stmt is loop:
            return list(body[i + 1:])
    return None


def _is_optimizer_step(call) -> bool:
    """`opt.step()` or `scaler.step(opt)`; not `env.step(action)` nor a scheduler's step."""
    receiver = call.func.value
    text = (name_of(receiver) or getattr(getattr(receiver, "attr", None), "value", "") or "").lower()
    if "sched" in text:
        return False
    if not call.args:
        return True
    return "scaler" in text and len(call.args) == 1 and name_of(call.args[0].value) is not None


def _grads_scaled(nodes) -> bool:
    """`p.grad /= k`, `p.grad.div_(k)`, `p.grad.mul_(s)`, `p.grad = p.grad / k`."""
    for n in nodes:
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("div_", "mul_"):
            return True
        if isinstance(n, (cst.AugAssign, cst.Assign)) and "grad" in names_in(n):
            return True
    return False


def _stepped_optimizer(step) -> str | None:
    """`opt` of `opt.step()` or `scaler.step(opt)`."""
    if step.args:
        return name_of(step.args[0].value)
    return name_of(step.func.value)


def _is_sgd(trees, name) -> bool:
    """Whether every binding of `name` in the file is a call of an `SGD` class."""
    if name is None:
        return False
    found = []
    for tree in trees:
        for stmt in statements_of(tree, (cst.Assign,)):
            if any(name_of(t.target) == name for t in stmt.targets):
                v = stmt.value
                f = v.func if isinstance(v, cst.Call) else None
                found.append(f is not None and (name_of(f) == "SGD" or isinstance(f, cst.Attribute) and f.attr.value == "SGD"))
    return bool(found) and all(found)


def _above_one(trees, k) -> bool:
    """Whether `K` is an integer above 1, or a name every binding of which in the file is a
    constant and one of which is above 1 (`accum = 5`, `accum *= 8`)."""
    if isinstance(k, cst.Integer):
        return _int(k) > 1
    name = name_of(k)
    if name is None:
        return False
    values = []
    for tree in trees:
        for stmt in statements_of(tree, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = [t.target for t in stmt.targets] if isinstance(stmt, cst.Assign) else [stmt.target]
            if any(name_of(t) == name for t in targets) or any(name in names_in(t) for t in targets):
                value = _constant(stmt.value) if stmt.value is not None and any(name_of(t) == name for t in targets) else None
                values.append(value)
    return bool(values) and any(v is not None and v > 1 for v in values) \
        and all(v is not None and v >= 1 for v in values)


def _int(n) -> int:
    try:
        return int(n.value.replace("_", ""), 0)
    except ValueError:
        return 0


def _constant(v):
    """The value of an integer literal or a product of them; None otherwise."""
    if isinstance(v, cst.Integer):
        return _int(v)
    if isinstance(v, cst.BinaryOperation) and isinstance(v.operator, cst.Multiply):
        a, b = _constant(v.left), _constant(v.right)
        return a * b if a is not None and b is not None else None
    return None
