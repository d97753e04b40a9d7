import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._bindings import bound_call, torch_module_made
from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_named


class ShallowCopyOfModule(Rule):
    """
    ## What it does
    Finds `copy.copy(m)` where `m` is a torch module: a layer or container of `torch.nn`, or an
    instance of a class of the file that derives from `nn.Module`, bound as `self.q_net =
    QNet()` in the class or as `net = Net()` in the function or module, on every binding the
    file shows.

    ## Why is this bad?
    A shallow copy of a module is a second object over the same dictionaries of parameters,
    buffers and submodules: it holds the very tensors of the original. A target network made
    this way is not a frozen snapshot: every optimizer step on the online network moves it
    too, the soft update `target.data.copy_(tau * p + (1 - tau) * target)` writes the network
    onto itself, and the bootstrapped targets chase the values they should anchor.

    ## Example
    ```python
    self.q_net = QNet()
    self.target_q_net = copy.copy(self.q_net)
    ```

    ## Use instead
    ```python
    self.q_net = QNet()
    self.target_q_net = copy.deepcopy(self.q_net)
    ```

    ## Fix safety
    The fix calls `copy.deepcopy`, which gives the copy parameters of its own. It is unsafe
    where the program meant the two names to share their weights (it would then be clearer
    to use one name).
    """

    code = "TL438"
    triggers = ("import copy", "from copy ")
    name = "shallow-copy-of-module"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "copy.copy of a torch module: the copy shares every parameter with the original (a target network that is not one)."
    failing = (
        "import copy\nimport torch.nn as nn\n\nclass QNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n\n"
        "class Agent(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.q = QNet()\n"
        "        self.q_target = copy.copy(self.q)  # TL438\n",
        "from copy import copy\nimport torch\n\nnet = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))\n"
        "target = copy(net)  # TL438\n",
        "import copy as cp\nimport torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n\nclass Critic(Base):\n"
        "    def __init__(self, n):\n        super().__init__()\n        self.v = nn.Linear(n, 1)\n\n"
        "def train(n):\n    critic = Critic(n)\n    target_critic = cp.copy(critic)  # TL438\n    return critic, target_critic\n",
    )
    passing = (
        "import copy\nimport torch.nn as nn\n\nclass QNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n\nclass Agent(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.q = QNet()\n        self.q_target = copy.deepcopy(self.q)\n",
    )
    lookalikes = (
        # copies of what is not a module: a list, a config object, a parameter given to the function
        "import copy\nimport torch.nn as nn\n\nclass Config:\n    def __init__(self):\n        self.lr = 0.1\n\n"
        "layers = [nn.Linear(2, 2)]\nsnapshot = copy.copy(layers)\ncfg = copy.copy(Config())\nbase = Config()\nother = copy.copy(base)\n"
        "def clone(model):\n    return copy.copy(model)\n",
        # a name bound to a module on one path and to something else on another
        "import copy\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    pass\n\n"
        "def make(pretrained):\n    net = Net()\n    if pretrained:\n        net = pretrained\n    return copy.copy(net)\n",
        # a class named like a module class that the file does not derive from nn.Module
        "import copy\nimport torch\n\nclass Critic:\n    def __init__(self):\n        self.w = torch.zeros(3)\n\n"
        "critic = Critic()\ntarget = copy.copy(critic)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "import copy" not in text and "from copy " not in text:  # the copy module imported
            return
        env = module_names(ctx)
        p = None
        for call in calls_named(ctx, ("copy",)):
            func = call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "copy" or isinstance(func, cst.Name)):
                continue
            if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
                continue
            if imported_qualname(env, func) != "copy.copy":
                continue
            p = p or parents(ctx)
            arg = call.args[0].value
            made = bound_call(ctx, p, arg, moves=True)
            kind = torch_module_made(ctx, env, made) if made is not None else None
            if kind is None:
                continue
            self._report(ctx, call, arg, made, kind)

    def _report(self, ctx, call, arg, made, kind):
        name = ctx.source(arg).strip()
        fix = None
        span = ctx.span(call.func)
        if span is not None:
            head = ctx.source(call.func).strip()
            new = head[:-len("copy")] + "deepcopy" if isinstance(call.func, cst.Attribute) else None
            if new is not None:
                fix = Fix("Make a deep copy", (Edit(span, new),), Applicability.UNSAFE)
        ctx.report(self, call,
                   f"`{ctx.source(call).strip()}` is a shallow copy of {name}, the {kind} module built at line "
                   f"{ctx.line(made)}: the copy holds the same parameter tensors, so every update of one is an update "
                   f"of the other (a target network made this way moves with each optimizer step, and a soft update "
                   f"copies it onto itself). Use copy.deepcopy for a copy with weights of its own",
                   fix=fix, related=[(made, f"{kind} module built here")])
