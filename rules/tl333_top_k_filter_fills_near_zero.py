import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_named

# functions that read their argument as logits
_LOGIT_READERS = ("softmax", "log_softmax", "gumbel_softmax", "categorical")
# TensorFlow's samplers that read logits (torch.multinomial reads probabilities)
_TF_LOGIT_SAMPLERS = ("tensorflow.multinomial", "tensorflow.random.multinomial", "tensorflow.compat.v1.multinomial")
_BELOW = (cst.LessThan, cst.LessThanEqual)
_ABOVE = (cst.GreaterThan, cst.GreaterThanEqual)


def _number(node) -> float | None:
    """The value of a numeric literal, signed or not (`1e-10`, `-1e-10`, `0`)."""
    sign = 1.0
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        sign = -1.0 if isinstance(node.operator, cst.Minus) else 1.0
        node = node.expression
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return sign * float(node.value.replace("_", ""))
        except ValueError:
            return None
    return None


def _root(node) -> str | None:
    """`v` for `v`, `v[:, [-1]]`, `v[..., -1, None]`, `v.unsqueeze(1)`."""
    while True:
        if isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value
        elif isinstance(node, cst.Name):
            return node.value
        else:
            return None


def _topk_values(call, p) -> str | None:
    """The name bound to the values of `torch.topk(...)`: `v, ix = topk(...)`, `v = topk(...)[0]`,
    `v = topk(...).values`."""
    node, parent = call, p.parent.get(call)
    if isinstance(parent, cst.Attribute) and parent.attr.value == "values":
        node, parent = parent, p.parent.get(parent)
    elif isinstance(parent, cst.Subscript) and len(parent.slice) == 1:
        index = parent.slice[0].slice
        if isinstance(index, cst.Index) and _number(index.value) == 0:
            node, parent = parent, p.parent.get(parent)
    while node is not call and isinstance(parent, cst.Subscript) and parent.value is node:  # `.values[..., -1, None]`
        node, parent = parent, p.parent.get(parent)
    if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
        return None
    target = parent.targets[0].target
    if node is call and isinstance(target, (cst.Tuple, cst.List)) and target.elements:
        first = target.elements[0].value
        return first.value if isinstance(first, cst.Name) else None
    return target.value if node is not call and isinstance(target, cst.Name) else None


def _below(mask, name: str, values) -> bool:
    """`mask` is `name < values[...]` (or `values[...] > name`): the entries below the top k."""
    if not isinstance(mask, cst.Comparison) or len(mask.comparisons) != 1:
        return False
    op, right = mask.comparisons[0].operator, mask.comparisons[0].comparator
    left = mask.left
    if isinstance(op, _BELOW):
        return isinstance(left, cst.Name) and left.value == name and _root(right) in values
    if isinstance(op, _ABOVE):
        return isinstance(right, cst.Name) and right.value == name and _root(left) in values
    return False


def _aliases(func, values: str) -> frozenset:
    """`values` and the names `func` binds to a piece of it (`kth = values[:, -1, None]`)."""
    names = {values}
    for n in descendants(func):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
            if _root(n.value) in names:
                names.add(n.targets[0].target.value)
    return frozenset(names)


def _fill_value(ctx, env, node, name: str) -> float | None:
    """The number a fill stands for: a literal, `zeros_like(x)`, `ones_like(x) * c`, `full_like(x, c)`."""
    c = _number(node)
    if c is not None:
        return c
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
        for one, other in ((node.left, node.right), (node.right, node.left)):
            if _fill_value(ctx, env, one, name) == 1.0:
                return _number(other)
        return None
    if not isinstance(node, cst.Call):
        return None
    last = (imported_qualname(env, node.func) or dotted(node.func)).rsplit(".", 1)[-1]
    if last == "zeros_like" and node.args:
        return 0.0
    if last == "ones_like" and node.args:
        return 1.0
    if last == "full_like" and len(node.args) >= 2:
        return _number(node.args[1].value)
    return None


def _fills(ctx, env, p, func, values):
    """(node, the name that holds the filtered tensor, the fill expression, its number) for each
    `x[x < v[...]] = c`, `x.masked_fill_(x < v[...], c)`, `y = x.masked_fill(x < v[...], c)` or
    `y = where(x < v[...], c, x)` in `func` (torch or TensorFlow)."""
    for n in descendants(func):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Subscript):
            sub = n.targets[0].target
            if isinstance(sub.value, cst.Name) and len(sub.slice) == 1 and isinstance(sub.slice[0].slice, cst.Index):
                if _below(sub.slice[0].slice.value, sub.value.value, values):
                    yield n, sub.value.value, n.value, _number(n.value)
            continue
        if type(n) is not cst.Call:
            continue
        last = (imported_qualname(env, n.func) or dotted(n.func)).rsplit(".", 1)[-1]
        if isinstance(n.func, cst.Attribute) and last in ("masked_fill", "masked_fill_"):
            name = n.func.value
            if isinstance(name, cst.Name) and len(n.args) == 2 and _below(n.args[0].value, name.value, values):
                holder = _bound_to(p, n) if last == "masked_fill" else name.value
                if holder is not None:
                    yield n, holder, n.args[1].value, _fill_value(ctx, env, n.args[1].value, name.value)
        elif last == "where" and len(n.args) == 3 and isinstance(n.args[2].value, cst.Name):
            name = n.args[2].value.value
            holder = _bound_to(p, n)
            if holder is not None and _below(n.args[0].value, name, values):
                yield n, holder, n.args[1].value, _fill_value(ctx, env, n.args[1].value, name)


def _bound_to(p, call) -> str | None:
    """The name `call`'s result is bound to (`y = call`), or `_RETURNED` for `return call`."""
    parent = p.parent.get(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        return parent.targets[0].target.value
    return _RETURNED if isinstance(parent, cst.Return) else None


_RETURNED = "<returned>"


def _is_logit_reader(env, call) -> bool:
    """A softmax, or a TensorFlow sampler that reads logits."""
    q = imported_qualname(env, call.func) or dotted(call.func)
    return q.rsplit(".", 1)[-1] in _LOGIT_READERS or q in _TF_LOGIT_SAMPLERS


def _reads_as_logits(env, call, name: str) -> bool:
    """`call` is a softmax (or a distribution given `logits=`) of an expression that reads `name`."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in _LOGIT_READERS and dotted(func.value) == name:
        return True  # x.softmax(-1)
    if _is_logit_reader(env, call):
        arg = call.args[0].value if call.args and call.args[0].keyword is None else None
    else:
        arg = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "logits"), None)
    return arg is not None and any(isinstance(n, cst.Name) and n.value == name for n in [arg, *descendants(arg)])


class TopKFilterFillsNearZero(Rule):
    """
    ## What it does
    Finds a top-k filter of logits that sets the entries below the k-th largest to a finite
    number near zero (`logits[logits < v[:, [-1]]] = 1e-10`, `masked_fill(..., 0)`,
    `tf.where(logits < kth, tf.zeros_like(logits), logits)`), where `v` holds the values of
    `torch.topk` / `tf.math.top_k` / `keras.ops.top_k` and the filtered tensor then goes into a
    softmax, `tf.random.categorical` or a distribution's `logits=` (in the same function, or
    through the function's result at a call site of the file). Filters on probabilities
    (renormalised by a sum, not a softmax) and fills far below any logit (`-inf`, `-1e10`) are
    left alone.

    ## Why is this bad?
    A logit of 0 is not a removed entry: after the softmax it keeps the weight `exp(0) = 1`,
    which is more than any kept logit below 0 gets. Top-k sampling then samples the
    tokens it meant to exclude, often more than the ones it kept (with a vocabulary of
    thousands, most of the probability mass goes to the "removed" entries).

    ## Example
    ```python
    v, ix = torch.topk(logits, k)
    out = logits.clone()
    out[out < v[:, [-1]]] = 1e-10
    probs = F.softmax(out, dim=-1)
    ```

    ## Use instead
    ```python
    out[out < v[:, [-1]]] = -float("inf")
    ```

    ## Fix safety
    The fix writes `-float("inf")` as the fill. It is unsafe where every entry of a row can be
    filtered out (a softmax of a row of `-inf` is NaN), which a top-k filter never does.
    """

    code = "TL333"
    name = "top-k-filter-fills-near-zero"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "A top-k filter sets the logits it removes to a number near 0 before a softmax: they keep their probability."
    triggers = ("topk", "top_k(")
    failing = (
        "import torch\nimport torch.nn.functional as F\n\n"
        "def top_k_logits(logits, k):\n    v, ix = torch.topk(logits, k)\n    out = logits.clone()\n"
        "    out[out < v[:, [-1]]] = 1e-10  # TL333\n    return out\n\n"
        "def sample(model, x, k):\n    logits = model(x)[:, -1, :]\n    logits = top_k_logits(logits, k)\n"
        "    probs = F.softmax(logits, dim=-1)\n    return torch.multinomial(probs, num_samples=1)\n",
        "import torch\n\n"
        "def next_token(logits, k=50):\n    kth = torch.topk(logits, k).values[..., -1, None]\n"
        "    logits = logits.masked_fill(logits < kth, 0.0)  # TL333\n"
        "    return torch.distributions.Categorical(logits=logits).sample()\n",
        "import torch\n\n"
        "def pick(scores, k):\n    top = torch.topk(scores, k, dim=-1)[0]\n"
        "    scores[top[:, -1:] > scores] = 0  # TL333\n    return torch.softmax(scores / 0.8, dim=-1)\n",
    )
    failing += (
        "import tensorflow as tf\n\n"
        "def sample(logits, k):\n    values, _ = tf.math.top_k(logits, k=k)\n    min_values = values[:, -1, tf.newaxis]\n"
        "    logits = tf.where(logits < min_values, tf.zeros_like(logits), logits)  # TL333\n"
        "    return tf.random.categorical(logits, num_samples=1)\n",
    )
    passing = (
        "import torch\nimport torch.nn.functional as F\n\n"
        "def top_k_logits(logits, k):\n    v, ix = torch.topk(logits, k)\n    out = logits.clone()\n"
        "    out[out < v[:, [-1]]] = -float('Inf')\n    return out\n\n"
        "def sample(logits, k):\n    return F.softmax(top_k_logits(logits, k), dim=-1)\n",
    )
    lookalikes = (
        # probabilities filtered to zero and renormalised by their sum
        "import torch\n\ndef top_k_probs(probs, k):\n    v, _ = torch.topk(probs, k)\n"
        "    probs[probs < v[:, [-1]]] = 0.0\n    return probs / probs.sum(-1, keepdim=True)\n",
        # a fill far below any logit
        "import torch\n\ndef filt(logits, k):\n    v = torch.topk(logits, k)[0]\n"
        "    logits[logits < v[:, -1:]] = -1e10\n    return torch.softmax(logits, -1)\n",
        # the filtered tensor is not what the softmax reads
        "import torch\n\ndef filt(logits, k):\n    v, _ = torch.topk(logits, k)\n    mask = logits.clone()\n"
        "    mask[mask < v[:, [-1]]] = 0\n    return torch.softmax(logits, -1), mask\n",
        # TensorFlow: the removed logits get -1e10
        "import tensorflow as tf\n\n"
        "def sample(logits, k):\n    values, _ = tf.math.top_k(logits, k=k)\n    min_values = values[:, -1, tf.newaxis]\n"
        "    logits = tf.where(logits < min_values, tf.ones_like(logits) * -1e10, logits)\n"
        "    return tf.random.categorical(logits, num_samples=1)\n",
        # a threshold that is not a top-k value
        "import torch\n\ndef filt(logits, t):\n    v, _ = torch.topk(logits, 3)\n"
        "    logits[logits < t] = 0\n    return torch.softmax(logits, -1), v\n",
    )

    def on_module(self, ctx, ev):
        if not any(word in ctx.text for word in self.triggers):
            return
        calls = calls_named(ctx, ("topk", "top_k"))
        if not calls:
            return
        env = module_names(ctx)
        p = parents(ctx)
        seen = set()
        for call in calls:
            q = imported_qualname(env, call.func) or ""
            if not (q in ("torch.topk", "tensorflow.math.top_k", "tensorflow.nn.top_k", "keras.ops.top_k")
                    or not q and isinstance(call.func, cst.Attribute) and call.func.attr.value == "topk"):
                continue
            values = _topk_values(call, p)
            func = p.scope(call)
            if values is None or not isinstance(func, cst.FunctionDef):
                continue
            for stmt, name, fill, c in _fills(ctx, env, p, func, _aliases(func, values)):
                if c is None or not -1.0 < c < 1.0 or id(stmt) in seen:
                    continue
                reader = self._logit_reader(ctx, env, p, func, stmt, name)
                if reader is not None:
                    seen.add(id(stmt))
                    self._report(ctx, stmt, fill, reader)

    def _logit_reader(self, ctx, env, p, func, stmt, name):
        """The softmax that reads the filtered tensor: later in `func`, or at a caller of the file
        that binds `func`'s result (which returns the tensor) to a name."""
        line = ctx.line(stmt) or 0
        if name != _RETURNED:
            for n in descendants(func):
                if type(n) is cst.Call and (ctx.line(n) or 0) > line and _reads_as_logits(env, n, name):
                    return n
        returns = [n for n in descendants(func) if isinstance(n, cst.Return)]
        if not returns or not all(r.value is stmt or isinstance(r.value, cst.Name) and r.value.value == name for r in returns):
            return None
        for site in calls_named(ctx, (func.name.value,)):
            if dotted(site.func).rsplit(".", 1)[-1] != func.name.value:
                continue
            caller = p.scope(site)
            if caller is None:
                continue
            parent = p.parent.get(site)
            if isinstance(parent, cst.Arg):  # softmax(top_k(logits, k))
                outer = p.parent.get(parent)
                if isinstance(outer, cst.Call) and _is_logit_reader(env, outer) and outer.args[0] is parent:
                    return outer
                continue
            if not isinstance(parent, cst.Assign) or len(parent.targets) != 1 or not isinstance(parent.targets[0].target, cst.Name):
                continue
            bound, at = parent.targets[0].target.value, ctx.line(site) or 0
            for n in descendants(caller):
                if type(n) is cst.Call and (ctx.line(n) or 0) > at and _reads_as_logits(env, n, bound):
                    return n
        return None

    def _report(self, ctx, stmt, fill, reader):
        span = ctx.span(fill)
        fix = Fix('Fill with -float("inf")', (Edit(span, '-float("inf")'),), Applicability.UNSAFE) if span is not None else None
        ctx.report(
            self, stmt,
            f"the entries below the k-th largest are set to {ctx.source(fill).strip()}, a logit near 0, not removed: "
            f"`{dotted(reader.func) or 'the call'}` at line {ctx.line(reader)} still gives each of them about the weight of a logit of 0, more than any "
            f"kept logit below 0 gets, so the filter samples what it meant to exclude; fill with -inf",
            fix=fix, related=[(reader, "the filtered logits go into this softmax")],
        )
