import math

import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Ref, Tensor

# module -> (its isnan function, whether `~` negates its result elementwise)
ISNAN = {"numpy": ("isnan", True), "torch": ("isnan", True), "math": ("isnan", False)}


def _is_nan(v) -> bool:
    return isinstance(v, Const) and isinstance(v.value, float) and math.isnan(v.value)


def _module_alias(ctx, module: str):
    """The name the file binds to `module` (`np` for numpy), if any."""
    env = getattr(getattr(ctx, "root", None), "env", None) or getattr(ctx, "module_env", None) or {}
    for name, v in env.items():
        if isinstance(v, Ref) and v.qualname == module:
            return name
    return None


def _nan_module(node):
    """`np` in `np.nan`, `torch` in `torch.nan`: the alias the nan was read from."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.attr.value in ("nan", "NaN", "NAN"):
        return node.value.value
    return None


class NanEquality(Rule):
    """
    ## What it does
    Finds comparisons with NaN by `==` or `!=`: `x == np.nan`, `loss.item() == math.nan`,
    `t != float("nan")`, `x[x == torch.nan] = 0`.

    ## Why is this bad?
    NaN is not equal to anything, itself included: `x == nan` is always False and
    `x != nan` always True. A NaN check written this way never fires, a mask built this way
    selects nothing, and the NaN values stay in the data or the training loop.

    ## Example
    ```python
    x[x == np.nan] = 0.0
    ```

    ## Use instead
    ```python
    x[np.isnan(x)] = 0.0
    ```

    ## Fix safety
    Replacing the comparison with `isnan(x)` (negated for `!=`) from the module the file
    already imports is safe: it is what the comparison was meant to test.
    """

    code = "TL503"
    name = "nan-equality"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "`x == nan` / `x != nan` is always False / True."
    failing = (
        "import numpy as np\nimport tensorflow as tf\nx = np.random.rand(20, 3)\nx[4, 0] = np.nan\nx[x == np.nan] = 0.0  # TL503\n",
        "import math\nimport torch\nloss = torch.randn(()).abs()\nif loss.item() == math.nan:  # TL503\n    print('diverged')\n",
        "import torch\nt = torch.randn(5)\nvalid = t != float('nan')  # TL503\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\nx = np.random.rand(20, 3)\nx[4, 0] = np.nan\nx[np.isnan(x)] = 0.0\n",
    )
    lookalikes = (
        # x != x is the classic NaN test; a string 'nan' is just a string
        "import numpy as np\nimport torch\nx = np.random.rand(3)\nmask = x != x\nname = 'nan'\nok = name == 'nan'\n",
        "import numpy as np\nimport torch\nx = np.random.rand(3)\nsame = np.isnan(x) == np.isnan(x[::-1])\n",
    )

    def on_compare(self, ctx, ev):
        if len(ev.ops) != 1:
            return self._chained(ctx, ev)
        op, right, right_node = ev.ops[0]
        if type(op) not in (cst.Equal, cst.NotEqual):
            return
        if _is_nan(right):
            value_node, nan_node, value = ev.node.left, right_node, ev.left
        elif _is_nan(ev.left):
            value_node, nan_node, value = right_node, ev.node.left, right
        else:
            return
        eq = isinstance(op, cst.Equal)
        always = "False" if eq else "True"
        ctx.report(self, ev.node, f"`{ctx.source(ev.node).strip()}` is always {always}: NaN is not equal to anything, itself included; use isnan",
                   fix=self._fix(ctx, ev.node, value_node, nan_node, value, eq))

    def _chained(self, ctx, ev):
        for op, right, _ in ev.ops:
            if isinstance(op, (cst.Equal, cst.NotEqual)) and _is_nan(right):
                ctx.report(self, ev.node, "comparison with NaN by == / != never matches; use isnan")
                return

    def _fix(self, ctx, node, value_node, nan_node, value, eq):
        alias = _nan_module(nan_node)
        module = None
        if alias is not None:
            ref = _module_ref(ctx, alias)
            module = ref if ref in ISNAN else None
        if module is None:
            # float("nan"): use the module of the value compared, or numpy/math when imported
            prefer = ["torch"] if isinstance(value, Tensor) and value.fw == "torch" else ["numpy"] if isinstance(value, Tensor) and value.fw == "np" else []
            for m in prefer + ["numpy", "math"]:
                if m == "math" and isinstance(value, Tensor):
                    continue
                alias = _module_alias(ctx, m)
                if alias is not None:
                    module = m
                    break
        if module is None or alias is None:
            return None
        if module == "torch" and not isinstance(value, Tensor):
            return None
        func, elementwise = ISNAN[module]
        call = f"{alias}.{func}({ctx.source(value_node).strip()})"
        text = call if eq else (f"~{call}" if elementwise else f"not {call}")
        span = ctx.span(node)
        if span is None:
            return None
        return Fix(f"Use `{text}`", (Edit(span, text),), Applicability.SAFE)


def _module_ref(ctx, alias):
    env = getattr(getattr(ctx, "root", None), "env", None) or getattr(ctx, "module_env", None) or {}
    v = env.get(alias)
    return v.qualname if isinstance(v, Ref) else None
