import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_where

# the torch.nn.init functions that write every element of the tensor they are given
_INITS = frozenset({
    "zeros_", "ones_", "constant_", "uniform_", "normal_", "trunc_normal_", "eye_", "dirac_", "orthogonal_",
    "sparse_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
})
# the tensor methods that write every element of their receiver
_METHODS = frozenset({"zero_", "fill_", "uniform_", "normal_", "copy_"})
_TEXT = ("init", ".zero_(", ".fill_(", ".uniform_(", ".normal_(", ".copy_(")


def _candidate(call: cst.Call) -> bool:
    """Whether `call` has the shape of a write of a whole tensor, from its syntax alone: a function
    ending in `_` given a name or attribute chain first (`nn.init.zeros_(self.fc.bias)`), or a
    writing method of a name or attribute chain (`m.weight.data.zero_()`)."""
    func = call.func
    kind = type(func)
    if kind is cst.Attribute:
        name = func.attr.value
    elif kind is cst.Name:
        name = func.value
    else:
        return False
    if not name.endswith("_") or any(a.star for a in call.args):
        return False
    if kind is cst.Attribute and name in _METHODS and _chain(func.value):
        return True
    args = call.args
    return bool(args) and args[0].keyword is None and bool(_chain(args[0].value))


def _chain(node) -> str:
    """`a.b.c` for a name or an attribute chain, "" for anything else: an attribute of an item
    (`mlp[0].weight`) names no one tensor the text can tell apart from another item's."""
    text = dotted(node)
    return "" if text.startswith(".") else text


def _target(node) -> str:
    """The tensor a write changes, as text: `w.data` writes `w`."""
    text = _chain(node)
    return text[:-5] if text.endswith(".data") else text


def _related(a: str, b: str) -> bool:
    """Whether the names `a` and `b` may share data: one is the other or a part of it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _reads(env, nodes, target: str) -> bool:
    """Whether these argument expressions may read the tensor `target` names: they name it (or a
    part of it), or hold anything but numbers, strings, other names and calls of imported
    modules' functions (`math.sqrt(5)`, `nn.init.calculate_gain("relu")`) on such values."""
    for n in nodes:
        kind = type(n)
        if kind in (cst.Integer, cst.Float, cst.SimpleString):
            continue
        if kind is cst.UnaryOperation:
            if _reads(env, [n.expression], target):
                return True
            continue
        if kind is cst.BinaryOperation:
            if _reads(env, [n.left, n.right], target):
                return True
            continue
        if kind in (cst.Name, cst.Attribute) and _chain(n):
            if _related(_chain(n), target):
                return True
            continue
        if kind is cst.Call and imported_qualname(env, n.func) and not any(a.star for a in n.args):
            if _reads(env, [a.value for a in n.args], target):
                return True
            continue
        return True
    return False


class InitializationOverwritten(Rule):
    """
    ## What it does
    Finds an initialization of a tensor that the next statements overwrite before anything
    reads it: `nn.init.zeros_(self.decoder.weight)` followed by
    `nn.init.uniform_(self.decoder.weight, -r, r)`, or `w.data.zero_()` followed by
    `w.data.normal_(0, 0.02)`. Both writes must be `torch.nn.init` functions that set every
    element (`zeros_`, `constant_`, `xavier_uniform_`, ...) or the tensor methods `zero_`,
    `fill_`, `uniform_`, `normal_`, `copy_`, in the same block, with only other such writes of
    other tensors between them; the second must not read the tensor. Items picked from a
    container (`mlp[0].weight`, `mlp[2].weight`) are not compared.

    ## Why is this bad?
    The first call has no effect: its values are replaced before they are used. Two writes of
    one tensor in a row are almost always a copy-paste slip where the first was meant for
    another tensor (the layer's bias rather than its weight), which then keeps its default
    initialization, silently.

    ## Example
    ```python
    nn.init.uniform_(self.encoder.weight, -initrange, initrange)
    nn.init.zeros_(self.decoder.weight)
    nn.init.uniform_(self.decoder.weight, -initrange, initrange)
    ```

    ## Use instead
    ```python
    nn.init.uniform_(self.encoder.weight, -initrange, initrange)
    nn.init.zeros_(self.decoder.bias)
    nn.init.uniform_(self.decoder.weight, -initrange, initrange)
    ```

    ## Fix safety
    No fix is offered: the tensor the first call was meant for (if any) is known to the author
    alone, and deleting the call would hide the slip rather than repair it.
    """

    code = "TL439"
    triggers = ("_(",)
    name = "initialization-overwritten"
    summary = "A tensor initialized and then overwritten by the next initialization before any read: the first call has no effect."
    severity = Severity.WARNING
    failing = (
        "import torch.nn as nn\n\nclass RNNModel(nn.Module):\n    def __init__(self, ntoken, nhid):\n        super().__init__()\n"
        "        self.encoder = nn.Embedding(ntoken, nhid)\n        self.decoder = nn.Linear(nhid, ntoken)\n\n"
        "    def init_weights(self):\n        initrange = 0.1\n        nn.init.uniform_(self.encoder.weight, -initrange, initrange)\n"
        "        nn.init.zeros_(self.decoder.weight)  # TL439\n        nn.init.uniform_(self.decoder.weight, -initrange, initrange)\n",
        # tensor methods on `.data`, in a function given the module
        "import torch.nn as nn\n\ndef weights_init(m):\n    if isinstance(m, nn.Conv2d):\n        m.weight.data.zero_()  # TL439\n"
        "        m.bias.data.fill_(0)\n        m.weight.data.normal_(0.0, 0.02)\n\nnet = nn.Sequential(nn.Conv2d(3, 8, 3))\nnet.apply(weights_init)\n",
        # imported initializers, in a loop over the modules
        "import torch\nfrom torch.nn.init import xavier_uniform_, constant_\n\nnet = torch.nn.Sequential(torch.nn.Linear(4, 4))\n"
        "for layer in net.modules():\n    if isinstance(layer, torch.nn.Linear):\n        constant_(layer.weight, 0.5)  # TL439\n"
        "        xavier_uniform_(layer.weight)\n",
        # a name, written twice with the same initializer under torch.no_grad()
        "import torch\nfrom torch.nn import init\n\ndef make(n):\n    w = torch.empty(n, n)\n    with torch.no_grad():\n"
        "        init.orthogonal_(w)  # TL439\n        init.orthogonal_(w, gain=2.0)\n    return torch.nn.Parameter(w)\n",
    )
    passing = (
        "import torch.nn as nn\n\nclass RNNModel(nn.Module):\n    def __init__(self, ntoken, nhid):\n        super().__init__()\n"
        "        self.encoder = nn.Embedding(ntoken, nhid)\n        self.decoder = nn.Linear(nhid, ntoken)\n\n"
        "    def init_weights(self):\n        initrange = 0.1\n        nn.init.uniform_(self.encoder.weight, -initrange, initrange)\n"
        "        nn.init.zeros_(self.decoder.bias)\n        nn.init.uniform_(self.decoder.weight, -initrange, initrange)\n",
    )
    lookalikes = (
        # the second write reads the first's values
        "import torch\nimport torch.nn as nn\n\ndef init(m):\n    nn.init.normal_(m.weight)\n"
        "    m.weight.data.copy_(m.weight.data / m.weight.data.norm())\n",
        # a partial write, then a full one of another part; a scaling in place (reads the values)
        "import torch\nimport torch.nn as nn\n\ndef init(lstm):\n    nn.init.orthogonal_(lstm.weight_hh_l0)\n"
        "    lstm.weight_hh_l0.data.mul_(0.5)\n    nn.init.zeros_(lstm.weight_hh_l0)\n",
        # something reads the tensor in between
        "import torch\nimport torch.nn as nn\n\ndef init(m):\n    nn.init.normal_(m.weight)\n    print(m.weight.std())\n"
        "    nn.init.zeros_(m.weight)\n",
        # the writes are in different branches
        "import torch.nn as nn\n\ndef init(m, zero):\n    if zero:\n        nn.init.zeros_(m.weight)\n    else:\n"
        "        nn.init.normal_(m.weight)\n",
        # a slice of the tensor, then the whole: the slice is not the same tensor
        "import torch\nimport torch.nn as nn\n\ndef init(m):\n    nn.init.zeros_(m.weight[0])\n    nn.init.normal_(m.weight[1])\n",
        # a function of another library that happens to end in `_`
        "import torch\nimport mylib\n\ndef init(m):\n    mylib.reset_(m.weight)\n    mylib.scale_(m.weight, 2)\n",
        # the target is rebound between the writes
        "import torch\nimport torch.nn as nn\n\ndef init(layers):\n    w = layers[0].weight\n    nn.init.zeros_(w)\n"
        "    w = layers[1].weight\n    nn.init.normal_(w)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "_(" not in text or not any(t in text for t in _TEXT):
            return
        calls = calls_where(ctx, ("tl439 writes",), _candidate)
        if len(calls) < 2:
            return
        env = module_names(ctx)
        p = None
        known: dict = {}
        for call in calls:
            first = self._write(env, known, call)
            if first is None:
                continue
            p = p or parents(ctx)
            block, at = self._position(p, call)
            if block is None:
                continue
            target = _target(first[0])
            for stmt in block.body[at + 1:]:
                later = self._statement_write(env, known, stmt)
                if later is None:
                    break
                node, others, _name, second = later
                if _reads(env, others, target):
                    break
                if _target(node) == target:
                    self._report(ctx, call, first, second, later, target)
                    break
                if _related(_target(node), target):
                    break

    def _write(self, env, known, call):
        """(the tensor written, the other arguments, how the write is named) when `call` writes
        every element of a tensor: a `torch.nn.init` function or a writing tensor method."""
        if not _candidate(call):
            return None
        func = call.func
        text = dotted(func)
        q = known.get(text)
        if q is None:
            q = known[text] = imported_qualname(env, func) or ""
        args = call.args
        if q:
            name = q.rsplit(".", 1)[-1]
            if not q.startswith("torch.nn.init.") or name not in _INITS:
                return None
            if not args or args[0].keyword is not None or not _chain(args[0].value):
                return None
            return args[0].value, [a.value for a in args[1:]], "nn.init." + name
        if type(func) is cst.Attribute and func.attr.value in _METHODS and _chain(func.value):
            return func.value, [a.value for a in args], "." + func.attr.value + "()"
        return None

    def _statement_write(self, env, known, stmt):
        if type(stmt) is not cst.SimpleStatementLine or len(stmt.body) != 1 or type(stmt.body[0]) is not cst.Expr:
            return None
        call = stmt.body[0].value
        if type(call) is not cst.Call:
            return None
        w = self._write(env, known, call)
        return None if w is None else (*w, call)

    @staticmethod
    def _position(p, call):
        """The indented block whose statement is `call` alone, and the statement's index in it."""
        expr = p.parent.get(call)
        line = p.parent.get(expr)
        block = p.parent.get(line)
        if type(expr) is not cst.Expr or type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
            return None, 0
        if type(block) is not cst.IndentedBlock:
            return None, 0
        for i, stmt in enumerate(block.body):
            if stmt is line:
                return block, i
        return None, 0

    def _report(self, ctx, call, first, second, later, target):
        ctx.report(
            self, call,
            f"{first[2]} writes {target}, and {later[2]} at line {ctx.line(second)} overwrites every element of it "
            f"before anything reads it: this initialization has no effect (one of the two calls was probably "
            f"meant for another tensor, which keeps its default initialization)",
            related=[(second, "overwritten here")],
        )
