import re

import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._reparam import EXP_CALL, SQUARE_TEXT, TEXT, gaussian_kl_log_variance
from ._trees import per_chunk, text_matches

_SUMS = frozenset(("torch.sum", "tensorflow.reduce_sum", "tensorflow.math.reduce_sum", "keras.backend.sum"))
_MEANS = frozenset(("torch.mean", "tensorflow.reduce_mean", "tensorflow.math.reduce_mean", "keras.backend.mean"))
# Keras losses that average over the last axis (one value per example)
_KERAS_MEAN_LOSSES = frozenset(("binary_crossentropy", "mse", "MSE", "mean_squared_error", "mae", "MAE",
                                "mean_absolute_error"))
_KERAS_LOSS_MODULES = frozenset(("keras.objectives", "keras.metrics", "keras.losses"))
# torch losses whose default reduction is the mean over every element
_TORCH_LOSSES = frozenset(("binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss", "l1_loss"))
_KERAS_MEAN_LOSS_CLASSES = frozenset(("BinaryCrossentropy", "MeanSquaredError", "MeanAbsoluteError"))
_TORCH_LOSS_CLASSES = frozenset(("BCELoss", "BCEWithLogitsLoss", "MSELoss", "L1Loss"))
# element-wise functions: a mean of what they compute averages over the features
_ELEMENTWISE = frozenset(("square", "abs", "log", "exp", "pow", "sqrt", "sigmoid", "flatten", "clip", "clip_by_value",
                          "maximum", "minimum", "sigmoid_cross_entropy_with_logits", "log1p"))


def _number(node):
    """The value of a numeric literal (through a minus sign); None otherwise."""
    sign = 1
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        node, sign = node.expression, -1
    if type(node) is cst.Integer:
        try:
            return sign * int(node.value, 0)
        except ValueError:  # a Python 2 octal such as 0777
            return None
    if type(node) is cst.Float:
        try:
            return sign * float(node.value)
        except ValueError:
            return None
    return None


def _torch_reduction(call, made: bool = False) -> str | None:
    """"mean" or "sum": how a torch loss function or loss class reduces, by its `reduction=`;
    None for `reduction='none'`, a reduction the file does not spell, or the old
    `size_average=` / `reduce=` (which a loss class, `made`, also takes by position)."""
    if any(a.keyword is not None and a.keyword.value in ("size_average", "reduce") for a in call.args):
        return None
    if made and any(a.keyword is None for a in call.args):
        return None
    reduction = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "reduction"), None)
    if reduction is None:
        return "mean"
    if type(reduction) is cst.SimpleString and reduction.evaluated_value in ("sum", "mean"):
        return reduction.evaluated_value
    return None


def _terms(node, out: list) -> None:
    if type(node) is cst.BinaryOperation and type(node.operator) in (cst.Add, cst.Subtract) and not node.lpar:
        _terms(node.left, out)
        _terms(node.right, out)
    else:
        out.append(node)


class _Scope:
    def __init__(self, node, parent):
        self.node, self.parent = node, parent
        self.bound: dict = {}  # name -> every value bound to it here (None for a binding of unknown value)

    def value(self, name: str):
        """The one value bound to `name` in this scope, or in the enclosing ones where this scope
        binds nothing to it; None when it is bound more than once or not at all."""
        scope = self
        while scope is not None:
            values = scope.bound.get(name)
            if values is not None:
                return values[0] if len(values) == 1 else None
            scope = scope.parent
        return None


def _bind_target(scope: _Scope, target, value) -> None:
    if type(target) is cst.Name:
        scope.bound.setdefault(target.value, []).append(value)
    elif type(target) in (cst.Tuple, cst.List):
        values = value.elements if type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(target.elements) else None
        for k, e in enumerate(target.elements):
            _bind_target(scope, e.value, values[k].value if values is not None else None)


class _Scan:
    """Per chunk: each scope's bindings and the sums (`a + b`) written in it."""

    def __init__(self, module):
        self.sums: list = []  # (scope, node)
        top = _Scope(None, None)
        stack = [(n, top) for n in reversed(code_children(module))]
        while stack:
            n, scope = stack.pop()
            kind = type(n)
            if kind in (cst.FunctionDef, cst.Lambda):
                inner = _Scope(n, scope)
                params = n.params
                for p in (*params.posonly_params, *params.params, *params.kwonly_params):
                    inner.bound.setdefault(p.name.value, []).append(None)
                scope = inner
            elif kind is cst.Assign:
                for t in n.targets:
                    _bind_target(scope, t.target, n.value)
            elif kind in (cst.AugAssign, cst.AnnAssign, cst.For):
                _bind_target(scope, n.target, None)
                if kind is cst.AugAssign and type(n.target) is cst.Name:
                    scope.bound.setdefault(n.target.value, []).append(None)
            elif kind is cst.BinaryOperation and type(n.operator) is cst.Add:
                self.sums.append((scope, n))
            stack.extend((c, scope) for c in reversed(code_children(n)))


class _Spent(Exception):
    """The reading of one sum took more steps than any term needs: names bound to themselves
    (`n = n * 2`, `k = K.sum(k)`) would otherwise be followed forever."""


class _Reader:
    def __init__(self, env):
        self.env = env
        self.left = 0  # steps left for the sum being read

    def tick(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Spent

    def qualname(self, call) -> str:
        return imported_qualname(self.env, call.func) or ""

    def resolve(self, node, scope):
        seen = 0
        while type(node) is cst.Name and seen < 8:
            self.tick()
            value = scope.value(node.value)
            if value is None:
                return node
            node, seen = value, seen + 1
        return node

    def count(self, node, scope) -> int | None:
        """The value of an integer count: a literal, a name bound once to one, or their product."""
        self.tick()
        node = self.resolve(node, scope)
        if type(node) is cst.Integer:
            return _number(node)
        if type(node) is cst.BinaryOperation and type(node.operator) is cst.Multiply:
            left, right = self.count(node.left, scope), self.count(node.right, scope)
            return left * right if left is not None and right is not None else None
        return None

    def strip(self, node, scope):
        """(`x`, the count it is multiplied by) for `x` scaled by numbers (`-0.5 * x`, `x / 2`)
        or integer counts (`original_dim * x`, `rows * cols * x`); count 1 for a scale by
        numbers alone; None for a scale by anything else."""
        node = self.resolve(node, scope)
        count = 1
        while True:
            self.tick()
            if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
                node = self.resolve(node.expression, scope)
                continue
            if type(node) is not cst.BinaryOperation or type(node.operator) not in (cst.Multiply, cst.Divide):
                return node, count
            op = type(node.operator)
            if op is cst.Divide:
                if _number(node.right) is None:
                    return None
                node = self.resolve(node.left, scope)
                continue
            scale = next((rest for factor, rest in ((node.left, node.right), (node.right, node.left))
                          if _number(factor) is not None and type(factor) is not cst.Integer), None)
            if scale is not None:
                node = self.resolve(scale, scope)
                continue
            if op is cst.Multiply:
                for factor, rest in ((node.left, node.right), (node.right, node.left)):
                    n = self.count(factor, scope)
                    if n is not None:
                        count *= n
                        node = self.resolve(rest, scope)
                        break
                else:
                    return None
                continue
            return None

    def reduction(self, call):
        """"sum" or "mean" for a framework reduction (a function or a method) and its operand."""
        if type(call) is not cst.Call:
            return None
        name = self.qualname(call)
        kind = "sum" if name in _SUMS else "mean" if name in _MEANS else None
        if kind is not None:
            first = next((a.value for a in call.args if a.keyword is None), None)
            return (kind, first) if first is not None else None
        func = call.func
        if type(func) is cst.Attribute and func.attr.value in ("sum", "mean") and not name:
            return func.attr.value, func.value
        return None

    def kl(self, node, scope):
        """How a Gaussian KL term is reduced over its latent units ("sum" or "mean"), through a
        scale by numbers and an outer reduction over the batch; None when `node` is not one."""
        self.tick()
        stripped = self.strip(node, scope)
        if stripped is None or stripped[1] != 1:
            return None
        red = self.reduction(stripped[0])
        if red is None:
            return None
        operand = self.strip(red[1], scope)
        if operand is None or operand[1] != 1:
            return None
        if gaussian_kl_log_variance(operand[0].with_changes(lpar=(), rpar=())
                                    if type(operand[0]) is cst.BinaryOperation else operand[0]) is not None:
            return red[0], stripped[0]
        inner = self.kl(operand[0], scope)
        return (inner[0], stripped[0]) if inner is not None else None

    def elementwise(self, node, scope) -> bool:
        node = self.resolve(node, scope)
        for n in (node, *descendants(node)):
            if type(n) is cst.Call:
                name = self.qualname(n)
                last = (name or (n.func.attr.value if type(n.func) is cst.Attribute else "")).rsplit(".", 1)[-1]
                if name.endswith("binary_crossentropy") and name.startswith("keras.backend"):
                    continue
                if last not in _ELEMENTWISE:
                    return False
        return True

    def reconstruction(self, node, scope):
        """How a reconstruction term is reduced over the features: "mean" (a Keras loss
        function, a torch loss of the default reduction, a mean of element-wise errors) or
        "sum" (a sum, `reduction='sum'`, a mean scaled by an integer count)."""
        stripped = self.strip(node, scope)
        if stripped is None:
            return None
        core, count = stripped
        kind = self._core(core, scope)
        if kind is None:
            return None
        if count > 1:
            return ("sum" if kind[0] == "mean" else None), kind[1]
        return kind

    def _core(self, node, scope):
        self.tick()
        if type(node) is not cst.Call:
            return None
        name = self.qualname(node)
        module, _, last = name.rpartition(".")
        if module in _KERAS_LOSS_MODULES and last in _KERAS_MEAN_LOSSES:
            return "mean", node
        if module == "torch.nn.functional" and last in _TORCH_LOSSES:
            kind = _torch_reduction(node)
            return (kind, node) if kind is not None else None
        if type(node.func) is cst.Name:
            # a loss object the scope (or an enclosing one) binds once: `mse = keras.losses.MeanSquaredError()`
            made = self.resolve(node.func, scope)
            if type(made) is cst.Call:
                made_name = self.qualname(made)
                made_module, _, made_last = made_name.rpartition(".")
                if made_module == "keras.losses" and made_last in _KERAS_MEAN_LOSS_CLASSES:
                    return "mean", node  # every reduction a Keras loss object takes averages over the last axis first
                if made_module == "torch.nn" and made_last in _TORCH_LOSS_CLASSES:
                    kind = _torch_reduction(made, True)
                    return (kind, node) if kind is not None else None
        red = self.reduction(node)
        if red is None:
            return None
        if red[0] == "sum":
            return "sum", node
        operand = self.strip(red[1], scope)
        if operand is None:
            return None
        inner = self._core(operand[0], scope)
        if inner is not None:
            return (inner[0] if operand[1] == 1 else "sum" if inner[0] == "mean" else None), node
        return ("mean", node) if operand[1] == 1 and self.elementwise(operand[0], scope) else None


def _mismatches(ctx):
    env = module_names(ctx)
    reader = _Reader(env)
    out, seen = [], set()
    for scan in per_chunk(ctx, ("kl reconstruction scan",), _Scan):
        for scope, node in scan.sums:
            terms: list = []
            _terms(node, terms)
            if len(terms) < 2:
                continue
            reader.left = 400
            try:
                kls = [(t, reader.kl(t, scope)) for t in terms]
                kls = [(t, k) for t, k in kls if k is not None]
                if len(kls) != 1:
                    continue
                kl_term, (kl_kind, kl_node) = kls[0]
                recs = [reader.reconstruction(t, scope) for t in terms if t is not kl_term]
            except _Spent:
                continue
            if len(recs) != 1 or recs[0] is None or recs[0][0] == kl_kind:
                continue
            key = (id(kl_node), id(recs[0][1]))
            if key not in seen:
                seen.add(key)
                out.append((kl_kind, kl_node, recs[0][1], node))
    return out


_REDUCTION_TEXT = (re.compile(r"sum\s*\("), re.compile(r"mean\s*\("))  # two literals: an alternation is tried at every position


class KlReconstructionReductionMismatch(Rule):
    """
    ## What it does
    Finds a VAE loss that adds a Gaussian KL term (`1 + E - mu**2 - exp(E)`, in any order)
    and a reconstruction term reduced the other way: the KL summed over the latent units while
    the reconstruction is a mean over the features (a Keras `binary_crossentropy` / `mse`
    function or loss object, which averages over the last axis; a torch
    `F.binary_cross_entropy` / `F.mse_loss` / `nn.MSELoss()` of the default
    `reduction='mean'`; a mean of squared or absolute errors), or
    the KL averaged over the latent units while the reconstruction is summed (a sum,
    `reduction='sum'`, or a mean multiplied by the feature count: `original_dim * bce(x, y)`).
    The terms are followed through names bound once and through scales by numbers; an outer
    mean over the batch does not change how a term reduces its units.

    ## Why is this bad?
    The evidence lower bound sums the reconstruction log-likelihood over the features and the
    KL divergence over the latent units. A mean on one side only divides that term by its
    unit count: averaging 784 pixels against a KL summed over 2 latent units weights the KL
    784 times too much (the posterior collapses onto the prior and the decoder turns out
    blurry means), averaging the KL against a summed reconstruction divides it by the number
    of latent units (codes that drift from the prior, and samples drawn from the prior that
    look like noise). Nothing fails, the loss goes down: only the samples show it.

    The rule stays silent when the KL term is multiplied by anything but a number (a weight
    or an annealing factor: a beta-VAE chooses its balance), when a term's name is bound more
    than once, when the reconstruction comes from a function or loss object the file does not
    show, or reduces with `reduction='none'` or the old `size_average=`.

    ## Example
    ```python
    def vae_loss(x, x_decoded_mean):
        xent_loss = objectives.binary_crossentropy(x, x_decoded_mean)
        kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return xent_loss + kl_loss
    ```

    ## Use instead
    ```python
        xent_loss = original_dim * objectives.binary_crossentropy(x, x_decoded_mean)
    ```

    ## Fix safety
    There is no automatic fix: a weight on the KL term that is meant (a beta-VAE) is written as
    a factor, which this rule leaves alone.
    """

    code = "TL456"
    name = "kl-reconstruction-reduction-mismatch"
    severity = Severity.WARNING
    summary = "A VAE loss sums its KL term over the latent units but averages its reconstruction over the features, or the reverse."
    failing = (
        "from keras import backend as K\nfrom keras import objectives\n\n\n"
        "def vae_loss(x, x_decoded_mean, z_mean, z_log_var):\n"
        "    xent_loss = objectives.binary_crossentropy(x, x_decoded_mean)  # TL456\n"
        "    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n"
        "    return xent_loss + kl_loss\n",
        "import torch\nimport torch.nn.functional as F\n\n\ndef loss_function(recon_x, x, mu, logvar):\n"
        "    rec = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')\n"
        "    kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())  # TL456\n"
        "    return rec + kld\n",
    )
    passing = (
        "from keras import backend as K\nfrom keras import objectives\n\noriginal_dim = 784\n\n\n"
        "def vae_loss(x, x_decoded_mean, z_mean, z_log_var):\n"
        "    xent_loss = original_dim * objectives.binary_crossentropy(x, x_decoded_mean)\n"
        "    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)\n"
        "    return xent_loss + kl_loss\n",
    )
    lookalikes = (
        # a weight on the KL term (a beta-VAE), and both terms summed
        "import torch\nimport torch.nn.functional as F\n\n\ndef loss_function(recon_x, x, mu, logvar, beta):\n"
        "    rec = F.mse_loss(recon_x, x)\n"
        "    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())\n"
        "    bce = F.binary_cross_entropy(recon_x, x, reduction='sum')\n"
        "    return rec + beta * kld, bce + kld\n",
    )

    def on_module(self, ctx, ev):
        if not (text_matches(ctx, EXP_CALL) and text_matches(ctx, SQUARE_TEXT) and text_matches(ctx, _REDUCTION_TEXT)
                and text_matches(ctx, TEXT)):
            return
        for kl_kind, kl_node, rec_node, node in _mismatches(ctx):
            rec = " ".join(ctx.source(rec_node).split())
            kl = " ".join(ctx.source(kl_node).split())
            if kl_kind == "sum":
                ctx.report(self, rec_node,
                           f"`{rec}` averages the reconstruction error over the features, while the KL term "
                           f"`{kl}` (line {ctx.line(kl_node)}) sums over the latent units: the KL is weighted by "
                           f"the feature count against the reconstruction; sum the reconstruction over the features "
                           f"(or multiply it by their count)",
                           related=[(kl_node, "the KL term, summed over the latent units")])
            else:
                ctx.report(self, kl_node,
                           f"`{kl}` averages the KL divergence over the latent units, while the reconstruction "
                           f"`{rec}` (line {ctx.line(rec_node)}) sums over the features: the KL is weighted down "
                           f"by the latent unit count against the reconstruction; sum the KL over the latent units",
                           related=[(rec_node, "the reconstruction term, summed over the features")])
