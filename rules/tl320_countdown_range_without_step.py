import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import module_calls
from ._training import parents


def _literal(node) -> int | None:
    """The value of an integer literal (`3`, `-1`), or None."""
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.value, 0)
    return None


def _least(node) -> int | None:
    """The least value `node` can take: an integer literal, `len(x)` (0), `len(x) + c`, `len(x) - c`."""
    v = _literal(node)
    if v is not None:
        return v
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len" and len(node.args) == 1:
        return 0
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Subtract)):
        base, c = _least(node.left), _literal(node.right)
        if base is None or c is None or _literal(node.left) is not None:
            return None
        return base + c if isinstance(node.operator, cst.Add) else base - c
    return None


# `range(<start>, <integer literal>)`: the only calls judged; the text is searched first
_TWO_ARGS = re.compile(r"range\((?:[^,()\n]|\([^()\n]*\))+,\s*-?\d+\s*\)")


class CountdownRangeWithoutStep(Rule):
    """
    ## What it does
    Finds a `for` loop over `range(start, stop)` that can never run because `start` is at least
    `stop` whatever the data: `range(len(count) - 1, -1)`, `range(len(layers), 0)`,
    `range(9, 0)`, the countdown written without its step of -1. Only starts that are integer
    literals or `len(...)` plus or minus a literal are judged, against a literal stop.

    ## Why is this bad?
    `range` counts up unless it is given a negative step, so a range whose start is not below
    its stop is empty. The loop body never runs and nothing says so: the rare words are never
    pruned from the vocabulary, the layers are never unfrozen, the samples are never dropped,
    and training goes on with data or a model other than the one the code describes.

    ## Example
    ```python
    for i in range(len(count) - 1, -1):
        if count[i][1] < min_occurrence:
            count.pop(i)
    ```

    ## Use instead
    ```python
    for i in range(len(count) - 1, -1, -1):
        if count[i][1] < min_occurrence:
            count.pop(i)
    ```

    ## Fix safety
    There is no automatic fix: a step of -1 is the usual intent, but the bounds may be what is
    wrong.
    """

    code = "TL320"
    triggers = ("range(",)
    name = "countdown-range-without-step"
    severity = Severity.WARNING
    summary = "A loop over range(start, stop) whose start is never below its stop (a countdown without step=-1): it never runs."
    failing = (
        "import collections\nimport tensorflow as tf\n\nwords = 'the cat the dog the end'.split()\n"
        "count = [('UNK', -1)] + collections.Counter(words).most_common(9)\nfor i in range(len(count) - 1, -1):  # TL320\n"
        "    if count[i][1] < 5:\n        count.pop(i)\n",
        "import torch.nn as nn\n\nlayers = [nn.Linear(4, 4) for _ in range(3)]\n"
        "for k in range(len(layers), 0):  # TL320\n    layers[k - 1].requires_grad_(False)\n"
        "squares = [n * n for n in range(9, 0)]  # TL320\n",
    )
    passing = (
        "import tensorflow as tf\n\ncount = [('UNK', -1), ('the', 50), ('rare', 1)]\nfor i in range(len(count) - 1, -1, -1):\n"
        "    if count[i][1] < 5:\n        count.pop(i)\n",
    )
    lookalikes = (
        # a start that depends on a value, an empty range that a literal start rules out, a start below the stop
        "import torch\n\ndef tail(items, n):\n    for i in range(n, 0):\n        print(items[i])\n\n"
        "for i in range(len([1, 2]) - 3, 0):\n    print(i)\nfor j in range(0, 10):\n    print(j)\n",
        # range() outside a loop
        "import torch\n\nr = range(len('abc'), 0)\nprint(list(r))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "range(" not in text or not any(_TWO_ARGS.match(text, i) for i in _starts(text, "range(")):
            return
        p = None
        for call in module_calls(ctx):
            if not (isinstance(call.func, cst.Name) and call.func.value == "range" and len(call.args) == 2):
                continue
            start, stop = call.args
            if start.keyword is not None or stop.keyword is not None or start.star or stop.star:
                continue
            s, low = _literal(stop.value), _least(start.value)
            if s is None or low is None or low < s:
                continue
            p = p or parents(ctx)
            loop = p.parent.get(call)
            if not (isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call):
                continue
            if _shadowed(ctx):
                return
            text = ctx.source(call).strip()
            ctx.report(self, call,
                       f"`{text}` counts up from a start that is never below its stop ({s}), so it is empty for "
                       f"every input and the loop never runs. A countdown needs a negative step: "
                       f"`range({ctx.source(start.value).strip()}, {ctx.source(stop.value).strip()}, -1)`")


def _starts(text: str, literal: str):
    i = text.find(literal)
    while i != -1:
        yield i
        i = text.find(literal, i + 1)


def _shadowed(ctx) -> bool:
    """Whether the file binds its own `range` (a function, class or assignment of that name)."""
    return "def range" in ctx.text or "range =" in ctx.text or "class range" in ctx.text
