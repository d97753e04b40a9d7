import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity, Span
from tensorlint.rule import Rule
from tensorlint.values import Const

SAFE_DEFAULT_SINCE = (2, 6)


class TorchLoadUnsafe(Rule):
    """
    ## What it does
    Finds `torch.load(..., weights_only=False)`, and `torch.load(...)` without `weights_only`
    when the configured `target-torch-version` is below 2.6 (the release that made
    `weights_only=True` the default).

    ## Why is this bad?
    With `weights_only=False`, `torch.load` unpickles the file: a checkpoint downloaded from the
    internet or shared by someone else can run arbitrary code on your machine when it is
    loaded. `weights_only=True` loads tensors, state dicts and plain containers only, which is
    all a state dict needs.

    ## Example
    ```python
    state = torch.load("model.pt", weights_only=False)
    model.load_state_dict(state)
    ```

    ## Use instead
    ```python
    state = torch.load("model.pt", weights_only=True)
    model.load_state_dict(state)
    ```

    ## Fix safety
    Setting `weights_only=True` is unsafe: a checkpoint that pickles other objects (an
    optimizer class, a custom config object) then fails to load until those types are
    allowed with `torch.serialization.add_safe_globals`.
    """

    code = "TL901"
    name = "torch-load-unsafe"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "torch.load(..., weights_only=False) unpickles arbitrary code."
    failing = (
        "import torch\ncheckpoint = torch.load('ckpt.pt', weights_only=False)  # TL901\n",
        "import torch\nfrom torch import load\ndevice = torch.device('cpu')\nstate = load('w.pth', map_location=device, weights_only=False)  # TL901\n",
    )
    passing = (
        "import torch\ncheckpoint = torch.load('ckpt.pt', weights_only=True)\n",
    )
    lookalikes = (
        # a wrapper passing its caller's choice through
        "import torch\ndef load_checkpoint(path, weights_only=False):\n    return torch.load(path, weights_only=weights_only)\n",
        # with the default target (torch 2.6+), weights_only=True is already the default
        "import torch\nstate = torch.load('model.pt', map_location='cpu')\n",
        "import torch\nimport pickle\nwith open('data.pkl', 'rb') as f:\n    data = pickle.load(f)\nx = torch.tensor(data)\n",
    )

    def on_api_call(self, ctx, ev):
        if ev.qualname != "torch.load" or "**" in ev.kwargs:
            return
        flag = ev.kwargs.get("weights_only")
        if flag is None and len(ev.args) >= 4:
            flag = ev.args[3]  # torch.load(f, map_location, pickle_module, weights_only)
        if flag is None:
            target = tuple(ctx.config.target_torch_version or SAFE_DEFAULT_SINCE)
            if target >= SAFE_DEFAULT_SINCE or len(ev.args) >= 3 or "pickle_module" in ev.kwargs:
                return
            version = ".".join(str(v) for v in target)
            ctx.report(self, ev.node, f"torch.load without `weights_only` unpickles the file on torch {version} (the safe default came in 2.6): a malicious checkpoint can run code",
                       fix=self._add_fix(ctx, ev.node))
            return
        if not (isinstance(flag, Const) and flag.value is False):
            return
        node = ev.kwarg_nodes.get("weights_only")
        if not _written_here(ctx, node):
            return  # `weights_only=weights_only`: a parameter passed through, the caller decides
        fix = None
        if node is not None and ctx.span(node) is not None:
            fix = Fix("Set `weights_only=True`", (Edit(ctx.span(node), "True"),), Applicability.UNSAFE)
        ctx.report(self, ev.node, "torch.load(..., weights_only=False) unpickles the file: a malicious checkpoint can run arbitrary code", fix=fix)

    def _add_fix(self, ctx, node):
        if not isinstance(node, cst.Call) or not node.args or any(a.star for a in node.args):
            return None
        span = ctx.span(node.args[-1].value)
        if span is None:
            return None
        end = Span(span.end, span.end)
        return Fix("Pass `weights_only=True`", (Edit(end, ", weights_only=True"),), Applicability.UNSAFE)


def _written_here(ctx, node) -> bool:
    """`False` written at the call, or a module-level constant; not a function's parameter
    whose default happens to be False."""
    if isinstance(node, cst.Name) and node.value == "False":
        return True
    env = getattr(getattr(ctx, "root", None), "env", None) or {}
    return isinstance(node, cst.Name) and isinstance(env.get(node.value), Const) and env[node.value].value is False
