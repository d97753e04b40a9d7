import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import nested_expression_values, text_fact


class ComparisonAsAssignment(Rule):
    """
    ## What it does
    Finds a statement that is only an equality comparison of a name (or an attribute or an
    item) with a value computed on its right, inside a block (a function, a loop, an `if`):
    `model == nn.DataParallel(model).cuda()`, `x == x / 255.0`. The statement compares and drops
    the result; an assignment (`=`) was meant. A comparison at the top level of the file is left
    alone, since it may end a notebook cell, which displays its value.

    ## Why is this bad?
    Nothing is assigned: the model is not wrapped or moved to the GPU, the data is not scaled,
    the setting keeps its old value, and the program goes on with the value it had. It fails
    later, far from the line (a checkpoint whose keys do not match, tensors on two devices), or
    trains on the wrong thing without failing.

    ## Example
    ```python
    if args.teacher == "resnext29":
        teacher = resnext.CifarResNeXt(cardinality=8, depth=29, num_classes=10)
        teacher == nn.DataParallel(teacher).cuda()
    ```

    ## Use instead
    ```python
        teacher = nn.DataParallel(teacher).cuda()
    ```

    ## Fix safety
    Replacing `==` by `=` is what the line meant, but it changes what every later use of the
    name sees, so the fix is unsafe.
    """

    code = "TL010"
    name = "comparison-as-assignment"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "`name == value` written as a statement in a block: a comparison whose result is dropped where `=` was meant."
    triggers = ("==",)
    failing = (
        "import torch.nn as nn\n\ndef build(kind):\n    model = nn.Linear(4, 2)\n    if kind == 'gpu':\n"
        "        model == nn.DataParallel(model).cuda()  # TL010\n    return model\n",
        "import numpy as np\nimport torch\n\nfor name in ['a', 'b']:\n    x = torch.from_numpy(np.load(name + '.npy'))\n"
        "    x == x / 255.0  # TL010\n    print(x.mean())\n",
    )
    passing = (
        "import torch.nn as nn\n\ndef build(kind):\n    model = nn.Linear(4, 2)\n    if kind == 'gpu':\n"
        "        model = nn.DataParallel(model).cuda()\n    return model\n",
    )
    lookalikes = (
        # compared and used, asserted, or at the top level (a notebook cell's last line shows it)
        "import numpy as np\n\nx = np.zeros(3)\ny = np.zeros(3)\nx == y\n\ndef f(a, b):\n    assert a == b\n"
        "    same = a == b\n    if a == b:\n        return same\n    return (a == b).all()\n",
        # a comparison of two calls or of literals names no target that could have been assigned
        "def check(a, b):\n    len(a) == len(b)\n    1 == 1\n",
    )

    def on_compare(self, ctx, ev):
        if not text_fact(ctx, "TL010", lambda text: "==" in text):
            return
        node = ev.node
        if len(node.comparisons) != 1 or type(node.comparisons[0].operator) is not cst.Equal:
            return
        if not isinstance(node.left, (cst.Name, cst.Attribute, cst.Subscript)) or node.left.lpar or node.lpar:
            return
        if id(node) not in nested_expression_values(ctx, cst.Comparison):
            return
        target = ctx.source(node.left).strip()
        value = " ".join(ctx.source(node.comparisons[0].comparator).split())
        ctx.report(self, node,
                   f"`{target} == {value}` compares and drops the result, so `{target}` keeps the value it had; "
                   f"an assignment was meant (`{target} = {value}`), or an `assert`",
                   fix=_fix(ctx, node, target, value))


def _fix(ctx, node: cst.Comparison, target: str, value: str):
    span = ctx.span(node)
    if span is None:
        return None
    source = ctx.source(node.comparisons[0].comparator).strip()
    return Fix("Assign instead of comparing", (Edit(span, f"{target} = {source}"),), Applicability.UNSAFE)
