import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._reaching import call_argument, called_name, reaching, scope_bindings
from ._training import parents
from ._trees import calls_written

_RANDOM = frozenset({"rand", "rand_like", "random", "random_sample", "uniform", "uniform_", "rand_"})
_GRAD_FUNCS = ("torch.autograd.grad",)
# wrappers that make a tensor a leaf with gradient: what they wrap is the interpolation itself
_LEAF_WRAPPERS = ("Variable", "requires_grad_", "detach", "clone")


def _single(node):
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1:
        return node.elements[0].value
    return node


def _name(node):
    return node.value if isinstance(node, cst.Name) else None


def _is_one(node) -> bool:
    return (isinstance(node, cst.Integer) and node.value == "1") or (isinstance(node, cst.Float) and float(node.value) == 1.0)


def _weight_of(term):
    """(weight name, operand) of `w * x` / `x * w`, with `(1 - w)` read as the weight `w`
    (complement True); None otherwise."""
    if not isinstance(term, cst.BinaryOperation) or not isinstance(term.operator, cst.Multiply):
        return None
    for w, x in ((term.left, term.right), (term.right, term.left)):
        if _name(w) is not None:
            return _name(w), False, x
        if (isinstance(w, cst.BinaryOperation) and isinstance(w.operator, cst.Subtract) and _is_one(w.left)
                and _name(w.right) is not None):
            return _name(w.right), True, x
    return None


def _interpolation(node):
    """(weight name, first operand, second operand) of `w * a + (1 - w) * b` in either order."""
    if not isinstance(node, cst.BinaryOperation) or not isinstance(node.operator, cst.Add):
        return None
    left, right = _weight_of(node.left), _weight_of(node.right)
    if left is None or right is None or left[0] != right[0] or left[1] == right[1]:
        return None
    return left[0], left[2], right[2]


def _unwrapped(node):
    """The expression inside `Variable(x, requires_grad=True)`, `x.requires_grad_(True)`,
    `x.detach().requires_grad_()`; `node` itself otherwise."""
    for _ in range(4):
        if isinstance(node, cst.Call) and called_name(node) in _LEAF_WRAPPERS:
            if isinstance(node.func, cst.Attribute) and called_name(node) != "Variable":
                node = node.func.value
            elif node.args and node.args[0].keyword is None:
                node = node.args[0].value
            else:
                return node
        else:
            return node
    return node


def _full_shape_of(arg, operands: set) -> bool:
    """Whether `arg` is the whole shape of one of the operands: `x.shape`, `x.size()`."""
    if isinstance(arg, cst.Attribute) and arg.attr.value == "shape":
        return _name(arg.value) in operands
    if (isinstance(arg, cst.Call) and called_name(arg) == "size" and not arg.args
            and isinstance(arg.func, cst.Attribute)):
        return _name(arg.func.value) in operands
    return False


def _per_element_draw(node, operands: set):
    """The random draw in `node` whose shape is the whole shape of an operand: `torch.rand_like(x)`,
    `torch.rand(x.size())`, `np.random.random(size=x.shape)`, `torch.rand(*x.shape)`; or None."""
    from tensorlint.dataflow import descendants

    for n in [node, *descendants(node)]:
        if not isinstance(n, cst.Call) or called_name(n) not in _RANDOM:
            continue
        if called_name(n) == "rand_like":
            if n.args and _name(n.args[0].value) in operands:
                return n
            continue
        args = [a.value for a in n.args if a.keyword in (None,) or a.keyword.value in ("size", "shape")]
        if len(args) == 1 and _full_shape_of(args[0], operands):
            return n
    return None


class PenaltyWeightPerElement(Rule):
    """
    ## What it does
    Finds a gradient penalty (WGAN-GP and its relatives) whose interpolation weight is drawn
    with the whole shape of the samples: `alpha = torch.rand(real.size())`,
    `alpha = torch.rand_like(real)`, `alpha = Tensor(np.random.random(size=real.shape))`, then
    `interpolates = alpha * real + (1 - alpha) * fake` differentiated with `torch.autograd.grad`.

    ## Why is this bad?
    The penalty is meant at points on the straight lines between a real and a generated sample:
    one weight per sample, `alpha` of shape `(batch, 1, 1, 1)`. With a weight per element, every
    pixel mixes the two samples in its own proportion, so the points lie anywhere in the box the
    pair spans and not on the line between them. The critic's gradient norm is constrained at
    the wrong points; training runs, without an error, on a different objective than the one the
    penalty was designed for.

    ## Example
    ```python
    alpha = torch.rand(real.size(), device=real.device)
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    ```

    ## Use instead
    ```python
    alpha = torch.rand(real.size(0), 1, 1, 1, device=real.device)
    ```

    ## Fix safety
    There is no automatic fix: the number of singleton axes depends on the samples' rank.
    """

    code = "TL429"
    triggers = ("grad(",)
    name = "penalty-weight-per-element"
    severity = Severity.WARNING
    summary = "A gradient penalty interpolates real and generated samples with a weight per element, not one per sample."
    failing = (
        "import torch\nfrom torch import autograd\n\ndef gradient_penalty(D, real, fake):\n"
        "    alpha = torch.rand(real.size())  # TL429\n    interpolates = alpha * real + (1 - alpha) * fake\n"
        "    interpolates.requires_grad_(True)\n    out = D(interpolates)\n"
        "    grads = autograd.grad(outputs=out, inputs=interpolates, grad_outputs=torch.ones_like(out), create_graph=True)[0]\n"
        "    return ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n",
        "import numpy as np\nimport torch\nfrom torch.autograd import Variable\n\ndef penalty(D, real_samples, fake_samples):\n"
        "    alpha = torch.FloatTensor(np.random.random(size=real_samples.shape))  # TL429\n"
        "    interpolates = Variable(alpha * real_samples + ((1 - alpha) * fake_samples), requires_grad=True)\n"
        "    d = D(interpolates)\n    g = torch.autograd.grad(d, interpolates, torch.ones_like(d), create_graph=True)[0]\n"
        "    return ((g.norm(2, dim=1) - 1) ** 2).mean()\n",
    )
    passing = (
        "import torch\nfrom torch import autograd\n\ndef gradient_penalty(D, real, fake):\n"
        "    alpha = torch.rand(real.size(0), 1, 1, 1)\n    interpolates = alpha * real + (1 - alpha) * fake\n"
        "    interpolates.requires_grad_(True)\n    out = D(interpolates)\n"
        "    grads = autograd.grad(outputs=out, inputs=interpolates, grad_outputs=torch.ones_like(out), create_graph=True)[0]\n"
        "    return ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()\n",
    )
    lookalikes = (
        # a per-sample weight expanded to the samples' shape; noise added to the data, no interpolation
        "import torch\n\ndef gp(D, real, fake):\n    alpha = torch.rand(real.size(0), 1).expand(real.size())\n"
        "    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)\n    d = D(x)\n"
        "    g = torch.autograd.grad(d.sum(), x, create_graph=True)[0]\n    return ((g.norm(2, dim=1) - 1) ** 2).mean()\n\n"
        "def r1(D, real):\n    noise = torch.rand(real.shape)\n    x = (real + 0.1 * noise).requires_grad_(True)\n"
        "    g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]\n    return g.pow(2).sum()\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "grad(" not in text or "rand" not in text or "1 -" not in text:
            return
        env = module_names(ctx)
        p = None
        for call in calls_written(ctx, ("grad",)):
            if called_name(call) != "grad" or (imported_qualname(env, call.func) or "") not in _GRAD_FUNCS:
                continue
            x = _single(call_argument(call, 1, "inputs"))
            if _name(x) is None:
                continue
            p = p or parents(ctx)
            _, binds = scope_bindings(ctx, p, call)
            if binds is None:
                continue
            self._check(ctx, p, binds, call, x)

    def _check(self, ctx, p, binds, call, x):
        use, value = call, None
        for _ in range(3):  # `x = a*r + (1-a)*f; x = Variable(x, requires_grad=True)`
            value = reaching(ctx, p, binds, x.value, use)
            inner = _unwrapped(value) if value is not None else None
            if isinstance(inner, cst.Name) and inner.value == x.value:
                use = value
                continue
            value = inner
            break
        mix = _interpolation(value) if value is not None else None
        if mix is None:
            return
        weight, a, b = mix
        operands = {n for n in (_name(a), _name(b)) if n is not None}
        drawn = reaching(ctx, p, binds, weight, value)
        draw = _per_element_draw(drawn, operands) if drawn is not None and operands else None
        if draw is None:
            return
        ctx.report(self, drawn,
                   f"{weight} is drawn with the whole shape of the samples ({ctx.source(draw).strip()}): one weight per "
                   f"element, so {ctx.source(value).strip()} mixes each pixel in its own proportion and the gradient "
                   f"penalty (autograd.grad at line {ctx.line(call)}) is taken at points off the lines between the "
                   f"paired samples; draw one weight per sample, of shape (batch, 1, ..., 1)",
                   related=[(call, "the penalty's gradient is taken here")])
