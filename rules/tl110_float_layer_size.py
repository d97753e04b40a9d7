import re

import libcst as cst

from tensorlint.python2 import python2_division
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.frameworks import registry
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Ref

from tensorlint.dataflow import descendants

from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_where, per_chunk_text

# the arguments of torch layers that size a weight, a buffer or a loop: they must be ints
_SIZES = frozenset({
    "in_features", "out_features", "in1_features", "in2_features", "in_channels", "out_channels",
    "num_features", "num_channels", "num_groups", "num_embeddings", "embedding_dim", "input_size",
    "hidden_size", "proj_size", "embed_dim", "num_heads", "d_model", "nhead", "dim_feedforward",
})
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# argument node types that can be a float this rule names (exact types: libcst's are ABCs, slow under isinstance)
_MAYBE_FLOAT = frozenset((cst.Float, cst.BinaryOperation, cst.Name))


def _may_get_float(call) -> bool:
    return any(type(a.value) in _MAYBE_FLOAT for a in call.args)


class FloatLayerSize(Rule):
    """
    ## What it does
    Finds a PyTorch layer given a size (channels, features, embedding or hidden size) that is a
    float: a true division (`out_planes / 4`, `hidden / 2`), directly or through a name the
    function binds to one and nowhere else, or a float literal (`nn.Linear(128, 64.)`).

    ## Why is this bad?
    `/` always makes a float in Python 3, even when it divides evenly (`64 / 4 == 16.0`). The
    layer builds its weight with that size and torch raises `TypeError: empty(): argument
    'size' ... must be tuple of ints, but found element of type float` when the model is
    constructed. Code written for Python 2, where `/` of two ints was integer division, fails
    this way.

    ## Example
    ```python
    mid_planes = out_planes / 4
    self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1)
    ```

    ## Use instead
    ```python
    mid_planes = out_planes // 4
    self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1)
    ```

    ## Fix safety
    The fix turns the division into a floor division (`//`). It is unsafe: when the division
    does not come out even, the size is rounded down, which may not be the size that was meant.
    """

    code = "TL110"
    triggers = ("torch",)
    name = "float-layer-size"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "A torch layer's channel/feature size is a float (`/` is true division): TypeError."
    failing = (
        "import torch.nn as nn\n\nclass Bottleneck(nn.Module):\n    def __init__(self, in_planes, out_planes):\n"
        "        super().__init__()\n        mid_planes = out_planes / 4\n"
        "        self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1)  # TL110\n"
        "        self.bn1 = nn.BatchNorm2d(mid_planes)\n",
        "import torch\n\nhidden = 256\nhead = torch.nn.Linear(hidden, hidden / 2)  # TL110\n",
    )
    passing = (
        "import torch.nn as nn\n\nclass Bottleneck(nn.Module):\n    def __init__(self, in_planes, out_planes):\n"
        "        super().__init__()\n        mid_planes = out_planes // 4\n"
        "        self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1)\n"
        "        self.bn1 = nn.BatchNorm2d(mid_planes)\n",
    )
    lookalikes = (
        # int() around the division; a float argument that is not a size
        "import torch\n\nhidden = 256\nhead = torch.nn.Linear(hidden, int(hidden / 2))\n"
        "drop = torch.nn.Dropout(0.5 / 2)\nnorm = torch.nn.BatchNorm1d(hidden, eps=1e-5 / 10)\n",
        # the name is bound again before the call
        "import torch.nn as nn\n\ndef block(c):\n    mid = c / 4\n    mid = int(mid)\n    return nn.Conv2d(c, mid, 1)\n",
    )

    def on_module(self, ctx, ev):
        if "torch" not in ctx.text:
            return
        env = module_names(ctx)
        reported: set = set()  # one finding per float: its first use as a size
        cache: dict = {}  # id(scope) -> its bindings; "parents": the file's parent links, made on first need
        lasts, named = _torch_layer_names()
        if not named.search(ctx.text):
            return  # no torch layer with a size parameter is named in the file: no call makes one
        # the calls with an argument that may be a float this rule can name: a float literal, an
        # operation, a name (literal ints, attributes and calls never are); kept per chunk tree
        for call in calls_where(ctx, "TL110 an argument may be a float", _may_get_float):
            if _last_name(env, call.func) in lasts:
                self._check(ctx, env, call, reported, cache)

    def _check(self, ctx, env, call, reported, cache):
        spec = registry.LAYERS.get(imported_qualname(env, call.func) or "")
        if spec is None or spec.fw != "torch":
            return
        params = list(spec.params)
        positional = [a for a in call.args if a.keyword is None]
        if any(a.star for a in call.args):
            return
        for i, arg in enumerate(call.args):
            name = arg.keyword.value if arg.keyword is not None else params[positional.index(arg)] if positional.index(arg) < len(params) else None
            if name not in _SIZES:
                continue
            why = _float_value(ctx, arg.value, cache)
            if why is None:
                continue
            origin, how = why
            if id(origin) in reported:
                continue
            reported.add(id(origin))
            text = ctx.source(arg.value).strip()
            short = spec_name(call.func)
            where = "" if origin is arg.value else f" (line {ctx.line(origin)})"
            message = (f"{name} of {short} is {text}, a float: {how}{where}; torch raises TypeError when it builds "
                       f"the layer. Use integer division (//) or int(...)")
            fix = None
            if isinstance(origin, cst.BinaryOperation):
                span = ctx.span(origin.operator)
                if span is not None and span.start.line == span.end.line:
                    line = ctx.text.splitlines()[span.start.line - 1]
                    op = line[span.start.column:span.end.column]
                    if op.strip() == "/":
                        fix = Fix("Use integer division (//)", (Edit(span, op.replace("/", "//")),), Applicability.UNSAFE)
            related = [] if origin is arg.value else [(origin, "a float is made here")]
            ctx.report(self, arg.value, message, fix=fix, related=related)


_LAYER_NAMES: list = [None, frozenset(), None]  # (sizes of the tables read, the names, a pattern of them)


def _torch_layer_names():
    """(the last parts of the names that lead to a torch layer with a size parameter (`Linear`,
    and an alias's own name), a pattern that finds any of them in a text). A call whose callee
    ends otherwise makes no such layer, without resolving its name; a text that names none
    calls none (an imported name is named where it is imported)."""
    key = (len(registry.LAYERS), len(registry.ALIASES))
    if _LAYER_NAMES[0] != key:
        torch = {q for q, spec in registry.LAYERS.items() if spec.fw == "torch" and not _SIZES.isdisjoint(spec.params)}
        names = {q.rsplit(".", 1)[-1] for q in torch}
        names.update(a.rsplit(".", 1)[-1] for a, q in registry.ALIASES.items() if q in torch)
        pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)) or "(?!)")
        _LAYER_NAMES[:] = [key, frozenset(names), pattern]
    return _LAYER_NAMES[1], _LAYER_NAMES[2]


def _last_name(env, func) -> str | None:
    """The last part of the name `func` resolves to as `imported_qualname` reads it: the
    attribute of `nn.Linear`, the imported name behind `Linear`."""
    if type(func) is cst.Attribute:
        return func.attr.value
    if type(func) is cst.Name:
        v = env.get(func.value)
        return v.qualname.rsplit(".", 1)[-1] if isinstance(v, Ref) else None
    return None


def spec_name(func) -> str:
    return dotted(func) or "the layer"




def _float_expr(expr):
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        if python2_division():
            return None  # Python 2: `/` of two integers floors (the operands' types are not read here)
        return expr, "`/` is true division and always makes a float"
    if isinstance(expr, cst.Float):
        return expr, "a float literal"
    return None


# `name = ...` followed on its line by a `/` or a float-looking number: every name bound to a
# division or a float literal is among those this finds (lookahead: `a = b = c / 2` gives both)
_FLOAT_LIKE = re.compile(r"\b(\w+)\s*=(?=[^=\n][^\n]*(?:/|\d\.|\.\d))")


def _float_like_names(text: str) -> frozenset:
    return frozenset(m.group(1) for m in _FLOAT_LIKE.finditer(text))


def _float_value(ctx, expr, cache: dict):
    """(the node that makes the float, why) when `expr` is a float: a true division or float
    literal, or a name that its function (or the module) binds only to one."""
    found = _float_expr(expr)
    if found is not None or not isinstance(expr, cst.Name):
        return found
    maybe = cache.get("maybe")
    if maybe is None:  # the names the text assigns a division or a float to: others need no walk
        maybe = cache["maybe"] = set().union(*per_chunk_text(ctx, "TL110 float-like assignments", _float_like_names))
    if expr.value not in maybe:
        return None
    p = cache.get("parents")
    if p is None:
        p = cache["parents"] = parents(ctx)
    scope = p.scope(expr)
    if isinstance(scope, cst.Lambda):
        return None
    binds = cache.get(id(scope))
    if binds is None:
        binds = cache[id(scope)] = _bindings(scope)
    values = binds.get(expr.value, [])
    if any(v is _NONLOCAL for v in values):
        return None
    if isinstance(scope, cst.FunctionDef) and any(prm.name.value == expr.value for prm in _params(scope)):
        return None
    if len(values) != 1 or values[0] is None:
        return None
    return _float_expr(values[0])


_NONLOCAL = object()


def _bindings(scope) -> dict:
    """Name -> the values the scope binds it to (None: not a plain `name = value`; _NONLOCAL:
    declared global or nonlocal)."""
    out: dict = {}
    for n in descendants(scope, prune=_SCOPES):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                names = [t.target] if isinstance(t.target, cst.Name) else [m for m in descendants(t.target) if isinstance(m, cst.Name)]
                for m in names:
                    out.setdefault(m.value, []).append(n.value if isinstance(t.target, cst.Name) and len(n.targets) == 1 else None)
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem, cst.NamedExpr, cst.CompFor)):
            target = getattr(n, "target", None) or getattr(n, "asname", None)
            if target is not None:
                for m in [target, *descendants(target)]:
                    if isinstance(m, cst.Name):
                        out.setdefault(m.value, []).append(None)
        elif isinstance(n, (cst.Global, cst.Nonlocal)):
            for x in n.names:
                out.setdefault(x.name.value, []).append(_NONLOCAL)
    return out


def _params(fdef):
    ps = fdef.params
    out = list(ps.params) + list(ps.posonly_params) + list(ps.kwonly_params)
    for star in (ps.star_arg, ps.star_kwarg):
        if isinstance(star, cst.Param):
            out.append(star)
    return out
