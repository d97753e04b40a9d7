import libcst as cst

from tensorlint.cstwalk import nodes_by_scope
from tensorlint.dataflow import all_params, descendants, names_read, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._training import parents


def _assigned_name(stmt, call):
    """`name` when `stmt` is `name = <expression holding call>` with one plain name target."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        value = small.value
    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        value = small.value
    else:
        return None
    if value is not call and not any(n is call for n in descendants(value)):
        return None
    name = small.targets[0].target.value if isinstance(small, cst.Assign) else small.target.value
    return None if name.startswith("_") else name


def _bindings(scope) -> dict:
    """name -> lines where the scope binds it (assignments, loop targets, with-as)."""
    out: dict = {}
    for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        targets = []
        if isinstance(n, cst.AssignTarget):
            targets = [n.target]
        elif isinstance(n, (cst.AnnAssign, cst.AugAssign, cst.For)):
            targets = [n.target]
        elif isinstance(n, cst.AsName):
            targets = [n.name]
        elif isinstance(n, cst.NamedExpr):
            targets = [n.target]
        for t in targets:
            for name in store_names(t):
                out.setdefault(name, []).append(n)
    return out


def _first_arg(call: cst.Call):
    for a in call.args:
        if a.keyword is None and not a.star:
            return a.value
    return None


def _layer_calls(ctx, ev) -> list:
    """(call, label) of the layer calls in a function's own body, read from the code so the answer
    never depends on which parts of the file ran: `self.fc(x)` where `__init__` made `fc` a
    framework layer or model, and a layer built and applied at once (`Dense(64)(x)`)."""
    from ._common import layer_attributes, text_fact

    func = ev.node
    attrs = layer_attributes(ctx, ev.func.owner) if ev.func.owner is not None else frozenset()
    if not attrs and not text_fact(ctx, "calls a call", lambda text: ")(" in text):
        return []  # no layer attribute to call, and nothing made and called at once in the file
    body = func.body
    if not isinstance(body, cst.IndentedBlock) or (len(body.body) < 2 and isinstance(body.body[0], cst.SimpleStatementLine)
                                                   and len(body.body[0].body) < 2):
        return []  # one simple statement: no later statement to feed a stale value to
    out = []
    for n in _own_calls(ctx, ev):
        f = n.func
        if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == "self" and f.attr.value in attrs:
            out.append((n, f"self.{f.attr.value}"))
        elif isinstance(f, cst.Call) and isinstance(f.func, (cst.Name, cst.Attribute)):
            inner = f.func.attr.value if isinstance(f.func, cst.Attribute) else f.func.value
            if inner[:1].isupper():  # a class: a layer made and called in one expression
                out.append((n, inner))
    return out


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _own_calls(ctx, ev) -> list:
    """The calls in the function's own code (nested functions, classes and lambdas are their
    own), in source order: from an index of the whole chunk's tree, made once per tree."""
    func, chunk = ev.node, ev.func.chunk
    if isinstance(chunk, int) and 0 <= chunk < len(ctx.chunks):
        module = ctx.chunks[chunk].module
        index = ctx.tree_fact(chunk, ("calls by scope",), lambda: nodes_by_scope(module, _SCOPES, (cst.Call,)))
        calls = index.get(id(func))
        if calls is not None:
            return calls
    return nodes_by_scope(func, _SCOPES, (cst.Call,))[id(func)]


class UnusedLayerOutput(Rule):
    """
    ## What it does
    Finds a layer whose output is computed and never used, inside a model's `forward`/`call`
    or a function that builds a model, while a later layer is fed a value that existed before
    it: `h0 = self.fc1(z)` followed by `h1 = self.fc2(z)` where `fc2` was meant to take `h0`.

    ## Why is this bad?
    Nothing fails: the skipped layer's weights get no gradient and never change, the model is
    shallower than designed, and results are silently worse. It is a typo that only reading
    the code reveals.

    ## Example
    ```python
    def forward(self, z):
        h = torch.relu(self.fc1(z))
        return torch.tanh(self.fc2(z))
    ```

    ## Use instead
    ```python
    def forward(self, z):
        h = torch.relu(self.fc1(z))
        return torch.tanh(self.fc2(h))
    ```

    ## Fix safety
    There is no automatic fix: which value was meant is for the author to say.
    """

    code = "TL414"
    name = "unused-layer-output"
    severity = Severity.WARNING
    summary = "A layer's output is never used while the next layer is fed an earlier value: the layer is skipped."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Generator(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(16, 64)\n        self.fc2 = nn.Linear(16, 2)\n\n    def forward(self, z):\n"
        "        h = torch.relu(self.fc1(z))  # TL414\n        return self.fc2(z)\n\nG = Generator()\nout = G(torch.randn(4, 16))\n",
        "from tensorflow import keras\n\ndef build(n_features):\n    inputs = keras.Input((n_features,))\n"
        "    x = keras.layers.Dense(64, activation='relu')(inputs)\n    x2 = keras.layers.Dense(32, activation='relu')(x)  # TL414\n"
        "    out = keras.layers.Dense(1)(x)\n    return keras.Model(inputs, out)\n\nmodel = build(10)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\nclass Generator(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(16, 64)\n        self.fc2 = nn.Linear(64, 2)\n\n    def forward(self, z):\n"
        "        h = torch.relu(self.fc1(z))\n        return self.fc2(h)\n\nG = Generator()\nout = G(torch.randn(4, 16))\n",
    )
    lookalikes = (
        # a residual block uses both the input and the layer output
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.Linear(8, 8)\n        self.b = nn.Linear(8, 8)\n\n    def forward(self, x):\n"
        "        h = self.a(x)\n        return self.b(x) + h\n",
        # an output reassigned on purpose (the name is read later)
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.Linear(8, 8)\n        self.b = nn.Linear(8, 8)\n\n    def forward(self, x):\n"
        "        out = self.a(x)\n        out = self.b(x)\n        return out\n",
        # an LSTM's final state unpacked and ignored; a value kept under a leading underscore
        "import torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.lstm = nn.LSTM(8, 16, batch_first=True)\n        self.fc = nn.Linear(16, 3)\n        self.aux = nn.Linear(8, 1)\n\n"
        "    def forward(self, x):\n        out, (h, c) = self.lstm(x)\n        _unused = self.aux(x)\n        return self.fc(out)\n",
    )

    def on_function(self, ctx, ev):
        scope = ev.node
        if not isinstance(scope, cst.FunctionDef):
            return
        calls = _layer_calls(ctx, ev)
        if len(calls) < 2:
            return
        read = None
        bindings = None
        par = parents(ctx)
        ordered = calls  # in source order (the walk's), with no need to compute positions
        for node, layer in ordered:
            stmt = par.statement(node)
            name = _assigned_name(stmt, node)
            if name is None:
                continue
            if read is None:
                read = names_read(scope)
                bindings = _bindings(scope)
                params = set(all_params(scope))
            if read is None or name in read:
                continue
            line = ctx.line(stmt)
            for later, later_layer in ordered:
                if par.statement(later) is stmt or (ctx.line(later) or 0) <= line:
                    continue
                arg = _first_arg(later)
                if not isinstance(arg, cst.Name) or arg.value == name:
                    continue
                lines = [ctx.line(b) or 0 for b in bindings.get(arg.value, [])]
                before = arg.value in params or any(b < line for b in lines)
                rebound = any(line < b < ctx.line(later) for b in lines)
                if not before or rebound:
                    continue
                ctx.report(self, stmt,
                           f"`{name}`, the output of `{layer}` (line {line}), is never used: the next layer, `{later_layer}` "
                           f"(line {ctx.line(later)}), is fed `{arg.value}`, a value from before it, so the layer is "
                           f"skipped and its weights never train",
                           related=[(later, f"`{arg.value}` is used here")])
                break
