import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names, text_fact
from ._trees import per_chunk

# torch's normalization layers, with whether they keep learned or running state by default
_NORMS = {
    "BatchNorm1d": True, "BatchNorm2d": True, "BatchNorm3d": True, "SyncBatchNorm": True, "LayerNorm": True,
    "GroupNorm": True, "RMSNorm": True, "LocalResponseNorm": False,
    "InstanceNorm1d": False, "InstanceNorm2d": False, "InstanceNorm3d": False,
}
# Keras's: batch normalization keeps its moving statistics whatever its keywords say
_KERAS_NORMS = {"LayerNormalization": True, "BatchNormalization": True, "GroupNormalization": True,
                "UnitNormalization": False}
# the keywords that turn that state off (or on, for instance normalization)
_STATE_KEYWORDS = ("affine", "elementwise_affine", "track_running_stats", "center", "scale")
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _self_attr(node) -> str | None:
    """`attr` for `self.attr`, else None."""
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self":
        return node.attr.value
    return None


def _names(node) -> set:
    """The variable names `node` reads or binds (not the attribute names of `a.b`)."""
    nodes = (node, *descendants(node))
    attrs = {id(n.attr) for n in nodes if type(n) is cst.Attribute}
    return {n.value for n in nodes if type(n) is cst.Name and id(n) not in attrs}


def _flag(test) -> tuple | None:
    """(`a.b`, truth) for an `if` test that reads one name or attribute chain, `not` undone:
    `if self.pre_norm:` gives ("self.pre_norm", True), `if not self.pre_norm:` ("self.pre_norm",
    False); None for any other test."""
    truth = True
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        test, truth = test.expression, not truth
    text = dotted(test)
    return (text, truth) if text else None


def _branches(stmts, path, out):
    """Each statement of a body, nested ones included, with the if-branches that hold it (a tuple
    of (id of the `if`, branch index, the flag that branch runs under or None)) and whether a
    loop holds it."""
    for st in stmts:
        out.append((st, path))
        t = type(st)
        if t is cst.If:
            flag = _flag(st.test)
            _branches(st.body.body, path + ((id(st), 0, flag, _leaves(st.body.body)),), out)
            other = st.orelse
            if other is not None:
                inner = [other] if type(other) is cst.If else other.body.body
                _branches(inner, path + ((id(st), 1, flag and (flag[0], not flag[1]), _leaves(inner)),), out)
        elif t in (cst.For, cst.While):
            _branches(st.body.body, path + ((id(st), "loop", None, False),), out)
        elif t in (cst.With, cst.Try):
            _branches(st.body.body, path, out)


def _leaves(stmts) -> bool:
    """Whether a branch's block ends by leaving `forward` (`return`, `raise`): what follows the
    `if` never runs after it."""
    last = stmts[-1] if stmts else None
    return type(last) is cst.SimpleStatementLine and any(type(s) in (cst.Return, cst.Raise) for s in last.body)


def _apart(a, b, rebound=frozenset()) -> bool:
    """Whether two branch paths lie on different branches of one `if` (never both run), under
    opposite values of one flag that `forward` never rebinds (`if self.pre_norm:` then `if not
    self.pre_norm:` or its `else`: a pre-norm and a post-norm layout, one of which runs), or in
    a loop (a call repeated by the loop is not a second sub-layer), or whether the earlier path
    `a` lies in a branch that returns and `b` outside it (the branch leaves `forward` before
    the later call can run)."""
    if any(step[1] == "loop" for step in a + b):
        return True
    ifs = {step[0]: step[1] for step in a}
    if any(step[0] in ifs and ifs[step[0]] != step[1] for step in b):
        return True
    inside = {step[:2] for step in b}
    if any(len(step) > 3 and step[3] and step[:2] not in inside for step in a):
        return True
    flags = {step[2][0]: step[2][1] for step in a if step[2] is not None and step[2][0] not in rebound}
    return any(step[2] is not None and step[2][0] in flags and flags[step[2][0]] != step[2][1] for step in b)


def _rebound(forward) -> frozenset:
    """The names and attribute chains `forward` assigns (`flag = ...`, `self.flag = ...`)."""
    out = set()
    for n in descendants(forward.body):
        kind = type(n)
        if kind is cst.Assign:
            targets = [t.target for t in n.targets]
        elif kind in (cst.AugAssign, cst.AnnAssign):
            targets = [n.target]
        elif kind in (cst.For, cst.NamedExpr):
            targets = [n.target]
        else:
            continue
        for t in targets:
            out |= {dotted(x) for x in (t, *descendants(t)) if dotted(x)}
    return frozenset(out)


def _input(call: cst.Call):
    """The one value a layer call normalizes: its only positional argument, keywords such as
    Keras's `training=` aside; None for any other call."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) != 1 or positional[0].star:
        return None
    return positional[0].value


def _norm_calls(module) -> list:
    """(class, attribute, constructor call, [(call, statement, path), ...]) for every attribute
    that a class's `__init__` binds to a call of a `...Norm...` name and that its `forward`
    calls more than once."""
    out = []
    for cls in statements_of(module, (cst.ClassDef,)):
        methods = {f.name.value: f for f in cls.body.body if type(f) is cst.FunctionDef}
        init, forward = methods.get("__init__"), methods.get("forward") or methods.get("call")
        if init is None or forward is None:
            continue
        made = {}
        for n in descendants(init, prune=(cst.ClassDef, cst.Lambda)):
            if type(n) is cst.Assign and type(n.value) is cst.Call and len(n.targets) == 1:
                attr = _self_attr(n.targets[0].target)
                func = n.value.func
                short = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
                if attr is not None and (short in _NORMS or short in _KERAS_NORMS):
                    made[attr] = None if attr in made else n.value  # bound twice: not one layer
        if not any(made.values()):
            continue
        placed = []
        _branches(forward.body.body, (), placed)
        calls = {}
        for st, path in placed:
            if type(st) not in (cst.SimpleStatementLine,):
                continue
            for n in descendants(st, prune=_SCOPES):
                if type(n) is cst.Call and made.get(_self_attr(n.func)) is not None and _input(n) is not None:
                    calls.setdefault(_self_attr(n.func), []).append((n, st, path))
        for attr, found in calls.items():
            if len(found) > 1:
                out.append((cls, attr, made[attr], found, forward))
    return out


def _flows(first, second, forward) -> bool:
    """Whether the second call's input depends on the first call's output inside `forward`: the
    second is nested in the first's argument's result (`norm(f(norm(x)))`), or it reads a name
    bound, directly or through later assignments, from the statement of the first."""
    call1, st1, _ = first
    call2, st2, _ = second
    if any(n is call1 for n in descendants(_input(call2))):
        return True
    tainted: set = set()
    started = False
    for st in (n for n in descendants(forward.body) if type(n) is cst.SimpleStatementLine):
        if st is st2:
            return started and bool(_names(_input(call2)) & tainted)
        for small in st.body:
            if type(small) not in (cst.Assign, cst.AugAssign, cst.AnnAssign):
                continue
            targets = [t.target for t in small.targets] if type(small) is cst.Assign else [small.target]
            bound = set().union(*(_names(t) for t in targets)) if targets else set()
            value = small.value
            if value is None:
                continue
            if st is st1 or (started and _names(value) & tainted):
                tainted |= bound
                started = True
            elif started:
                tainted -= bound  # rebound from something else
    return False


_KERAS_MODULES = ("keras.layers", "tf.keras.layers", "tensorflow.keras.layers")


def _stateful(ctor: cst.Call, short: str, table: dict) -> bool:
    """Whether the layer keeps learned or running state: the default for its kind unless a
    keyword says otherwise (`affine=False`, `elementwise_affine=False`, `center=False,
    scale=False`, ...); Keras's batch normalization always keeps its moving statistics."""
    if short == "BatchNormalization":
        return True
    words = {a.keyword.value: a.value for a in ctor.args if a.keyword is not None}
    values = [words[k] for k in _STATE_KEYWORDS if k in words]
    if not values or table is _KERAS_NORMS and len(values) < 2:
        return table[short]  # Keras: both center and scale must be off
    if any(type(v) is not cst.Name or v.value not in ("True", "False") for v in values):
        return False  # decided at run time
    return any(v.value == "True" for v in values)


class NormalizationSharedAcrossSublayers(Rule):
    """
    ## What it does
    Finds one normalization layer (torch's `nn.LayerNorm`, `nn.BatchNorm2d`, `nn.GroupNorm`,
    ...; Keras's `LayerNormalization`, `BatchNormalization`, `GroupNormalization`) that a
    module's `forward` (a Keras layer's or model's `call`) applies at two depths of the same path: the second call
    normalizes a value computed from the first call's output, as in a Transformer layer that
    keeps one `self.layer_norm` for the attention and the feed-forward sub-layers. Calls on
    different branches of an `if` (or of two `if`s on opposite values of one flag that
    `forward` does not change: `if self.pre_norm:` and `if not self.pre_norm:`), a call in a
    branch that returns and one after that branch (one path or the other runs), a call
    repeated by a loop, calls on independent inputs (two towers of a siamese network), and layers without learned or running state (`affine=False`,
    `elementwise_affine=False`, `center=False, scale=False`, instance normalization by default)
    are left alone. In Keras, calling one layer at several places is how weights are shared, on
    purpose between two inputs; between two sub-layers of one path it is the same mistake.

    ## Why is this bad?
    A normalization layer is not a pure function: it holds a scale and a shift per feature
    (and, for batch normalization, running statistics). Applied after two different
    sub-layers, it has to serve two distributions with one set: the sub-layers cannot each
    learn their own scale, and batch normalization's running mean and variance average the
    statistics of both places, so evaluation normalizes each with the wrong values. Each
    sub-layer of the architecture has its own normalization.

    ## Example
    ```python
    self.layer_norm = nn.LayerNorm(hid_dim)
    ...
    src = self.layer_norm(src + self.dropout(self.self_attention(src)))
    src = self.layer_norm(src + self.dropout(self.feed_forward(src)))
    ```

    ## Use instead
    ```python
    self.attn_layer_norm = nn.LayerNorm(hid_dim)
    self.ff_layer_norm = nn.LayerNorm(hid_dim)
    ```

    ## Fix safety
    There is no automatic fix: the module needs a second layer, and a checkpoint saved with one
    no longer loads as it is.
    """

    code = "TL230"
    triggers = ("Norm",)
    name = "normalization-shared-across-sublayers"
    severity = Severity.WARNING
    summary = "One normalization layer applied after two sub-layers of the same path: they share its scale, shift and running statistics."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass EncoderLayer(nn.Module):\n    def __init__(self, d):\n"
        "        super().__init__()\n        self.attn = nn.MultiheadAttention(d, 4)\n        self.ff = nn.Linear(d, d)\n"
        "        self.norm = nn.LayerNorm(d)  # TL230\n\n    def forward(self, x):\n"
        "        x = self.norm(x + self.attn(x, x, x)[0])\n        x = self.norm(x + self.ff(x))\n        return x\n",
        "import torch.nn as nn\nimport torch.nn.functional as F\n\nclass Block(nn.Module):\n    def __init__(self, c):\n"
        "        super().__init__()\n        self.conv1 = nn.Conv2d(c, c, 3, padding=1)\n        self.conv2 = nn.Conv2d(c, c, 3, padding=1)\n"
        "        self.bn = nn.BatchNorm2d(c)  # TL230\n\n    def forward(self, x):\n        out = F.relu(self.bn(self.conv1(x)))\n"
        "        return F.relu(self.bn(self.conv2(out)) + x)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\nclass EncoderLayer(nn.Module):\n    def __init__(self, d):\n"
        "        super().__init__()\n        self.attn = nn.MultiheadAttention(d, 4)\n        self.ff = nn.Linear(d, d)\n"
        "        self.norm1 = nn.LayerNorm(d)\n        self.norm2 = nn.LayerNorm(d)\n\n    def forward(self, x):\n"
        "        x = self.norm1(x + self.attn(x, x, x)[0])\n        x = self.norm2(x + self.ff(x))\n        return x\n",
    )
    lookalikes = (
        # two towers that share one encoder on purpose: the inputs are independent
        "import torch.nn as nn\n\nclass Siamese(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, 8)\n        self.norm = nn.LayerNorm(8)\n\n    def forward(self, a, b):\n"
        "        return self.norm(self.fc(a)), self.norm(self.fc(b))\n",
        # a layer without state: nothing is shared
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n"
        "        self.ff = nn.Linear(d, d)\n        self.norm = nn.LayerNorm(d, elementwise_affine=False)\n\n"
        "    def forward(self, x):\n        x = self.norm(x)\n        return self.norm(x + self.ff(x))\n",
        # one call, on either branch
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, d, pre=True):\n        super().__init__()\n"
        "        self.pre = pre\n        self.ff = nn.Linear(d, d)\n        self.norm = nn.LayerNorm(d)\n\n"
        "    def forward(self, x):\n        if self.pre:\n            return x + self.ff(self.norm(x))\n"
        "        else:\n            return self.norm(x + self.ff(x))\n",
        # pre-norm or post-norm by a flag, tested twice: one of the two calls runs
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, d, pre=True):\n        super().__init__()\n"
        "        self.pre = pre\n        self.ff = nn.Linear(d, d)\n        self.norm = nn.LayerNorm(d)\n\n"
        "    def forward(self, x):\n        residual = x\n        if self.pre:\n            x = self.norm(x)\n"
        "        x = residual + self.ff(x)\n        if not self.pre:\n            x = self.norm(x)\n        return x\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL230 text", lambda t: "Norm" in t and ("forward" in t or "def call" in t)):
            return
        env = None
        for found in per_chunk(ctx, "TL230 norm calls", _norm_calls):
            for cls, attr, ctor, calls, forward in found:
                env = env if env is not None else module_names(ctx)
                q = imported_qualname(env, ctor.func) or ""
                module, _, short = q.rpartition(".")
                table = _NORMS if module == "torch.nn" else _KERAS_NORMS if module in _KERAS_MODULES else {}
                if short not in table or not _stateful(ctor, short, table):
                    continue
                self._check(ctx, cls, attr, ctor, short, calls, forward)

    def _check(self, ctx, cls, attr, ctor, short, calls, forward):
        rebound = _rebound(forward)
        for i, a in enumerate(calls):
            for b in calls[i + 1:]:
                if _apart(a[2], b[2], rebound):
                    continue
                # the call that runs first: the inner one of nested calls, else the earlier statement's
                first, second = (a, b) if _flows(a, b, forward) else (b, a) if _flows(b, a, forward) else (None, None)
                if first is None:
                    continue
                ctx.report(self, ctor,
                           f"this {short} (`self.{attr}`) normalizes at line {ctx.line(second[0])} a value computed from its own "
                           f"output at line {ctx.line(first[0])}: the two sub-layers of `{cls.name.value}` share one scale and "
                           f"shift{' and one set of running statistics' if 'Batch' in short else ''}; give each its own {short}",
                           related=[(first[0], "first applied here"), (second[0], "applied again here")])
                return
