import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Tensor

from tensorlint.dataflow import descendants

from ._training import parents


class GradUsedBeforeBackward(Rule):
    """
    ## What it does
    Finds `w.grad.zero_()`, `w.grad.data.zero_()` (or any other use of `w.grad`'s value) on a
    tensor the program made with `requires_grad=True`, at a point where no backward pass has run
    yet: the first iteration of a training loop that clears the gradients before it computes
    them. A check such as `if w.grad is not None:` around the use keeps it silent (also around
    the uses of other tensors' gradients, which the same backward fills).

    ## Why is this bad?
    A new leaf tensor has no gradient: `w.grad` is `None` until the first `backward()` reaches
    it. `w.grad.zero_()` then raises `AttributeError: 'NoneType' object has no attribute
    'zero_'` on the first iteration.

    ## Example
    ```python
    w = torch.randn(10, 1, requires_grad=True)
    for t in range(100):
        loss = ((x @ w - y) ** 2).sum()
        w.grad.zero_()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
    ```

    ## Use instead
    ```python
    w = torch.randn(10, 1, requires_grad=True)
    for t in range(100):
        loss = ((x @ w - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    ```

    ## Fix safety
    There is no fix: where the clearing belongs (after the update, or guarded) depends on the loop.
    """

    code = "TL420"
    name = "grad-used-before-backward"
    severity = Severity.ERROR
    summary = "`w.grad` is used before any backward pass: it is still None on a new leaf tensor."
    failing = (
        "import torch\nx, y = torch.randn(64, 10), torch.randn(64, 1)\nw = torch.randn(10, 1, requires_grad=True)\n"
        "for t in range(100):\n    loss = ((x.mm(w) - y) ** 2).sum()\n    w.grad.data.zero_()  # TL420\n    loss.backward()\n"
        "    w.data -= 1e-3 * w.grad.data\n",
    )
    passing = (
        "import torch\nx, y = torch.randn(64, 10), torch.randn(64, 1)\nw = torch.randn(10, 1, requires_grad=True)\n"
        "for t in range(100):\n    loss = ((x.mm(w) - y) ** 2).sum()\n    loss.backward()\n"
        "    w.data -= 1e-3 * w.grad.data\n    w.grad.data.zero_()\n",
    )
    lookalikes = (
        # the weight's gradient tested, the bias's cleared beside it: one backward gives both theirs
        "import torch\nx, y = torch.randn(64, 10), torch.randn(64, 1)\nw = torch.randn(10, 1, requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\nfor t in range(100):\n    if w.grad is not None:\n"
        "        w.grad.data.zero_()\n        b.grad.data.zero_()\n    loss = ((x.mm(w) + b - y) ** 2).sum()\n"
        "    loss.backward()\n    with torch.no_grad():\n        w -= 1e-3 * w.grad\n        b -= 1e-3 * b.grad\n",
        # guarded by a check that the gradient exists
        "import torch\nx, y = torch.randn(64, 10), torch.randn(64, 1)\nw = torch.randn(10, 1, requires_grad=True)\n"
        "for t in range(100):\n    if w.grad is not None:\n        w.grad.zero_()\n    loss = ((x.mm(w) - y) ** 2).sum()\n"
        "    loss.backward()\n    with torch.no_grad():\n        w -= 1e-3 * w.grad\n",
        # a gradient given by hand before the loop
        "import torch\nx, y = torch.randn(64, 10), torch.randn(64, 1)\nw = torch.randn(10, 1, requires_grad=True)\n"
        "w.grad = torch.zeros_like(w)\nfor t in range(100):\n    w.grad.zero_()\n    loss = ((x.mm(w) - y) ** 2).sum()\n"
        "    loss.backward()\n    with torch.no_grad():\n        w -= 1e-3 * w.grad\n",
    )

    def on_grad_read(self, ctx, ev):
        if ev.backwards or not _fresh_leaf(ev.tensor):
            return
        p = parents(ctx)
        use = p.parent.get(ev.node)
        if not isinstance(use, cst.Attribute) or use.value is not ev.node:
            return  # `w.grad` itself (compared, passed on): not dereferenced here
        name = dotted(ev.node.value)
        if not name or _guarded(p, ev.node, name):
            return
        ctx.report(self, ev.node,
                   f"`{name}.grad` is None here: `{name}` is a new tensor that requires gradients and no backward() has "
                   f"run yet, so using its gradient raises AttributeError ('NoneType' object has no attribute "
                   f"'{use.attr.value}'); clear the gradient after backward() and the update, or check `{name}.grad is not None`")


def _fresh_leaf(t) -> bool:
    """A torch tensor exactly as a call made it with `requires_grad=True` (not a parameter of a
    model, whose gradient may come from training the program does not show)."""
    if not isinstance(t, Tensor) or t.fw != "torch" or t.requires_grad is not True or t.param:
        return False
    made = t.node
    return isinstance(made, cst.Call) and any(
        a.keyword is not None and a.keyword.value == "requires_grad" and isinstance(a.value, cst.Name) and a.value.value == "True"
        for a in made.args)


def _guarded(p, node, name: str) -> bool:
    """An `if` / `while` / conditional expression around the use that tests a gradient
    (`name.grad`, or the gradient of a tensor trained with it: `if w.grad is not None:
    w.grad.zero_(); b.grad.zero_()`, where one backward gives both theirs), or a `try` that may
    catch the error."""
    for a in p.ancestors(node):
        if isinstance(a, (cst.Try, cst.TryStar)):
            return True
        test = getattr(a, "test", None) if isinstance(a, (cst.If, cst.While, cst.IfExp)) else None
        if test is None:
            continue
        for n in (test, *descendants(test)):
            if isinstance(n, cst.Attribute) and n.attr.value == "grad" and dotted(n.value):
                return True
    return False
