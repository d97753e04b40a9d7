import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from tensorlint.values import Ref

from ._bindings import bound_call, torch_layer_made
from ._common import imported_qualname, module_calls, module_names
from ._training import parents

# what each initializer touches first on the tensor it is given (the AttributeError it raises)
# (as raised by torch 2.x)
_FIRST = {"zeros_": "zero_", "ones_": "fill_", "constant_": "fill_", "uniform_": "uniform_",
          "normal_": "normal_", "eye_": "ndimension", "dirac_": "ndimension", "orthogonal_": "ndimension",
          "sparse_": "ndimension", "xavier_uniform_": "dim", "xavier_normal_": "dim",
          "kaiming_uniform_": "shape", "kaiming_normal_": "shape", "trunc_normal_": "is_meta"}


class InitGivenModule(Rule):
    """
    ## What it does
    Finds a `torch.nn.init` function (`zeros_`, `xavier_uniform_`, `kaiming_normal_`, ...)
    given a module instead of a tensor: `nn.init.zeros_(self.decoder)` where `self.decoder`
    is an `nn.Linear`, `nn.init.xavier_uniform_(conv)` where `conv = nn.Conv2d(...)`.

    ## Why is this bad?
    The initializers work on tensors: they call tensor methods (`zero_`, `fill_`, `dim`,
    `uniform_`) on what they are given. A module has none of them, so the model's
    construction raises `AttributeError: 'Linear' object has no attribute 'zero_'`.

    ## Example
    ```python
    self.decoder = nn.Linear(ninp, ntoken)
    nn.init.zeros_(self.decoder)
    ```

    ## Use instead
    ```python
    nn.init.zeros_(self.decoder.bias)
    ```

    ## Fix safety
    The fix passes the module's `.weight`. It is unsafe: the bias may have been meant
    (`zeros_` is often applied to biases).
    """

    code = "TL433"
    triggers = ("init.",)
    name = "init-given-module"
    severity = Severity.ERROR
    fix = Applicability.UNSAFE
    summary = "A torch.nn.init function is given a module instead of its weight: AttributeError."
    failing = (
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self, n_in, n_out):\n        super().__init__()\n"
        "        self.decoder = nn.Linear(n_in, n_out)\n        nn.init.zeros_(self.decoder)  # TL433\n\n"
        "    def forward(self, x):\n        return self.decoder(x)\n",
        "import torch\nfrom torch.nn import init\n\nconv = torch.nn.Conv2d(3, 16, 3)\ninit.kaiming_normal_(conv, nonlinearity='relu')  # TL433\n",
    )
    passing = (
        "import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self, n_in, n_out):\n        super().__init__()\n"
        "        self.decoder = nn.Linear(n_in, n_out)\n        nn.init.zeros_(self.decoder.bias)\n\n"
        "    def forward(self, x):\n        return self.decoder(x)\n",
    )
    lookalikes = (
        # a parameter given by name; a module whose attribute is bound to something else too
        "import torch\nimport torch.nn as nn\n\nw = nn.Parameter(torch.empty(3, 5))\nnn.init.xavier_uniform_(w)\n"
        "def init_weights(m):\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n",
        "import torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self, pretrained):\n        super().__init__()\n"
        "        self.w = nn.Linear(4, 4)\n        if pretrained is not None:\n            self.w = pretrained\n"
        "        nn.init.zeros_(self.w)\n",
    )

    def on_module(self, ctx, ev):
        if "init." not in ctx.text:
            return
        env = module_names(ctx)
        p = None
        known: dict = {}  # callee text -> its qualified name (the same text names the same thing)
        for call in module_calls(ctx):  # the file's shared index of calls
            if not _positional_first(call) or not _ends_in_place(env, call.func):
                continue
            text = dotted(call.func)
            q = known.get(text)
            if q is None:
                q = known[text] = imported_qualname(env, call.func) or ""
            if q.startswith("torch.nn.init.") and q.endswith("_"):
                p = p or parents(ctx)
                self._check(ctx, env, p, call, q.rsplit(".", 1)[-1])

    def _check(self, ctx, env, p, call, func):
        arg = call.args[0].value
        made = _module_made(ctx, env, p, arg)
        if made is None:
            return
        kind = (imported_qualname(env, made.func) or "").rsplit(".", 1)[-1]
        text = ctx.source(arg).strip()
        missing = _FIRST.get(func)
        raised = f"AttributeError ('{kind}' object has no attribute '{missing}')" if missing else "AttributeError"
        message = (f"nn.init.{func} is given {text}, the {kind} module built at line {ctx.line(made)}, not a tensor: it "
                   f"raises {raised} when it runs. Pass its weight ({text}.weight) or bias ({text}.bias)")
        fix = None
        span = ctx.span(arg)
        if span is not None and kind not in ("Sequential", "ModuleList", "ModuleDict"):
            fix = Fix(f"Initialize {text}.weight", (Edit(span, f"{text}.weight"),), Applicability.UNSAFE)
        ctx.report(self, call, message, fix=fix, related=[(made, f"{kind} module built here")])


def _positional_first(call: cst.Call) -> bool:
    """Whether the call's first argument is positional."""
    return bool(call.args) and not call.args[0].star and call.args[0].keyword is None


def _ends_in_place(env, func) -> bool:
    """Whether the name `func` resolves to may be an in-place initializer (`xavier_uniform_`):
    `init.zeros_`, or an imported name ending in `_` (`from torch.nn.init import zeros_ as z`)."""
    if type(func) is cst.Attribute:
        return func.attr.value.endswith("_")
    if type(func) is cst.Name:
        v = env.get(func.value)
        return isinstance(v, Ref) and v.qualname.endswith("_")
    return False


def _module_made(ctx, env, p, arg):
    """The torch layer construction that `arg` (`self.decoder` in a method, or a name) holds on
    every binding the file shows, or None."""
    made = bound_call(ctx, p, arg)
    return made if made is not None and torch_layer_made(env, made) else None
