import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._arity import call_misfit
from ._bindings import MOVES, bound_call, class_defs, module_classes
from ._common import module_names
from ._training import parents
from ._trees import chunk_calls, per_chunk_index, per_chunk_reading, run_fact


class ModuleCallArity(Rule):
    """
    ## What it does
    Finds a call of a torch module of the file whose arguments do not fit its `forward`:
    `self.critic([state, action])` where `Critic.forward(self, x, u)` needs two inputs, or
    `net(x, mask)` where `forward(self, x)` takes one, a keyword `forward` has no parameter
    for, or an input given both by position and by keyword (`net(x, x=y)`). The module must be an instance of a class of the file deriving from `nn.Module`, bound
    as `self.critic = Critic(...)` in the class (moves such as `self.critic.cuda()` read
    through), as a name, or called where it is built; `forward` must be the class's own (or an
    ancestor's of the file), with no decorator and no `__call__` of the file overriding it.

    ## Why is this bad?
    `module(...)` hands its arguments to `forward` as they are, so a missing input, an extra
    one or a stray keyword raises `TypeError` the first time the line runs: often deep in a
    training loop, after the data is loaded and the first epochs are spent. Packing two inputs
    into a list, the usual way in Keras, is not how a torch module takes them.

    ## Example
    ```python
    current_Q = self.critic([state, action])
    ```

    ## Use instead
    ```python
    current_Q = self.critic(state, action)
    ```

    ## Fix safety
    There is no automatic fix: which argument is missing, or which is extra, is the program's.
    """

    code = "TL224"
    triggers = ("forward",)
    name = "module-call-arity"
    severity = Severity.ERROR
    summary = "A module of the file called with arguments its forward() cannot take (a missing or extra input, an unknown keyword)."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Critic(nn.Module):\n    def __init__(self, s, a):\n        super().__init__()\n"
        "        self.l1 = nn.Linear(s + a, 1)\n\n    def forward(self, x, u):\n        return self.l1(torch.cat([x, u], 1))\n\n"
        "class Agent:\n    def __init__(self):\n        self.critic = Critic(3, 1)\n        self.critic = self.critic.cuda()\n\n"
        "    def train(self, state, action):\n        return self.critic([state, action])  # TL224\n",
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n\n"
        "net = Net()\n\ndef step(x, mask):\n    a = net(x, mask)  # TL224\n    b = net(x, training=True)  # TL224\n"
        "    c = Net()()  # TL224\n    return a, b, c\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\nclass Critic(nn.Module):\n    def __init__(self, s, a):\n        super().__init__()\n"
        "        self.l1 = nn.Linear(s + a, 1)\n\n    def forward(self, x, u):\n        return self.l1(torch.cat([x, u], 1))\n\n"
        "class Agent:\n    def __init__(self):\n        self.critic = Critic(3, 1)\n\n"
        "    def train(self, state, action):\n        return self.critic(state, action)\n",
    )
    lookalikes = (
        # defaults, *args, **kwargs, a star argument at the call, an inherited forward
        "import torch.nn as nn\n\nclass A(nn.Module):\n    def forward(self, x, mask=None, *rest, **kw):\n        return x\n\n"
        "class B(A):\n    pass\n\nclass C(nn.Module):\n    def forward(self, *inputs):\n        return inputs[0]\n\n"
        "a = A()\nb = B()\nc = C()\nargs = (1, 2)\nprint(a(1), a(1, 2, 3, flag=True), b(1, mask=0), c(1, 2, 3), a(*args))\n",
        # a class that is not a module, a __call__ of its own, a name bound to two classes, a torch base's forward
        "import torch.nn as nn\n\nclass Plain:\n    def forward(self, x, y):\n        return x\n\n"
        "class Hooked(nn.Module):\n    def forward(self, x, y):\n        return x\n\n    def __call__(self, pair):\n        return self.forward(*pair)\n\n"
        "class Wide(nn.Linear):\n    pass\n\nclass One(nn.Module):\n    def forward(self, x):\n        return x\n\n"
        "p = Plain()\nh = Hooked()\nw = Wide(3, 4)\nm = One()\nm = Hooked()\nprint(p([1, 2]), h([1, 2]), w(1), m(1, 2))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "forward" not in text or "Module" not in text and "nn." not in text:
            return
        if not run_fact(ctx, _modules):
            return
        # each chunk's calls are judged once per tree, again only when what they read of the
        # rest of the file (the module classes, their forward, a name's bindings) changed
        for found in per_chunk_reading(ctx, ("TL224 misfits",), lambda i, read: _misfits(ctx, i, read)):
            for call, made, forward, problem in found:
                self._report(ctx, call, made, forward, problem)

    def _report(self, ctx, call, made, forward, problem):
        cls = made.func.value
        params = ctx.source(forward.params).strip()
        ctx.report(self, call,
                   f"`{ctx.source(call).strip()}` calls {cls} (built at line {ctx.line(made)}), whose forward(self, "
                   f"{params.partition(',')[2].strip() if params.startswith('self') else params}) {problem}: the call "
                   f"raises TypeError when it runs. A module takes its inputs as forward's arguments, one by one",
                   related=[(forward, f"{cls}.forward defined here"), (made, f"{cls} built here")])


def _misfits(ctx, i, read) -> list:
    """(call, the call that built its module, that module's forward, what does not fit) for the
    calls of chunk `i` whose arguments its forward cannot take."""
    p = None
    out = []
    for call in chunk_calls(ctx, i):
        func = call.func
        if isinstance(func, cst.Call):
            made = func
        elif isinstance(func, cst.Name) or isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) \
                and func.value.value == "self":
            if dotted(func) not in read(_built):  # (one set, compared in one step when the chunk is kept)
                continue
            p = p or parents(ctx)
            made = bound_call(ctx, p, func, moves=True, read=read)
        else:
            continue
        if made is None or not isinstance(made.func, cst.Name) or made.func.value not in read(_modules):
            continue
        forward = read(_forward_of, made.func.value)
        if forward is None or any(a.star for a in call.args):
            continue
        problem = call_misfit(forward.params, call, skip_self=True)
        if problem is not None:
            out.append((call, made, forward, problem))
    return out


def _modules(ctx) -> frozenset:
    """The names of the file's classes that derive from a torch module."""
    return module_classes(ctx, module_names(ctx))


def _built(ctx) -> frozenset:
    """The names and `self.<attr>`s that some statement binds to an instance of such a class."""
    modules = run_fact(ctx, _modules)
    return frozenset(target for bound in per_chunk_index(ctx, ("TL224 bound to calls",), lambda i: _bound_to_calls(ctx, i))
                     for name, target in bound if name in modules)


def _bound_to_calls(ctx, i) -> list:
    """(name called, the target bound to its result) for chunk `i`'s calls of a plain name
    whose result (moves read through) a statement assigns."""
    p = None
    out = []
    for c in chunk_calls(ctx, i):
        if isinstance(c.func, cst.Name):
            p = p or parents(ctx)
            a = _assignment(p, c)
            if a is not None:
                out.extend((c.func.value, dotted(t.target)) for t in a.targets)
    return out


def _forward_of(ctx, name: str):
    return _forward(run_fact(ctx, _class_defs), name, run_fact(ctx, _modules))


def _class_defs(ctx) -> dict:
    return class_defs(ctx)


def _assignment(p, call):
    """The assignment whose value is `call`, or the call a move wraps (`Net().to(device)`)."""
    node, parent = call, p.parent.get(call)
    while isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in MOVES:
        outer = p.parent.get(parent)
        if not (isinstance(outer, cst.Call) and outer.func is parent):
            return None
        node, parent = outer, p.parent.get(outer)
    return parent if isinstance(parent, cst.Assign) and parent.value is node else None


def _forward(defs: dict, name: str, modules: frozenset, depth: int = 0):
    """The `forward` that instances of the file's class `name` run, or None where it is not
    one plain method of the file (no definition, a decorator, a `__call__` of the file, a
    torch base class that may define it)."""
    found = defs.get(name, [])
    if len(found) != 1 or depth > 16:
        return None
    cls = found[0]
    methods = {}
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if isinstance(stmt, cst.FunctionDef):
            methods.setdefault(stmt.name.value, []).append(stmt)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value in
                                                         ("forward", "__call__") for t in small.targets):
                    return None
    if "__call__" in methods:
        return None
    if "forward" in methods:
        fs = methods["forward"]
        return fs[0] if len(fs) == 1 and not fs[0].decorators else None
    bases = [b.value for b in cls.bases if b.keyword is None]
    user = [b.value for b in bases if isinstance(b, cst.Name) and b.value in modules]
    if len(user) != 1 or len(bases) != 1:  # a torch base (it may have a forward), or several bases
        return None
    return _forward(defs, user[0], modules, depth + 1)
