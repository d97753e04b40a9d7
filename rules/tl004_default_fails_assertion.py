import operator

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import function_defs
from ._trees import node_memo

_COMPARE = {
    cst.LessThan: operator.lt, cst.LessThanEqual: operator.le, cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge, cst.Equal: operator.eq, cst.NotEqual: operator.ne,
    cst.In: lambda a, b: a in b, cst.NotIn: lambda a, b: a not in b,
}
_ARITHMETIC = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul, cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod,
}
_UNKNOWN = object()


class DefaultFailsAssertion(Rule):
    """
    ## What it does
    Finds a function whose own `assert`, at the top of its body, is false for the default
    values of the parameters it tests: `def create_dense_net(..., reduction=0.0)` that starts
    with `assert reduction <= 1.0 and reduction > 0.0`. The assertion must compare (a bare
    `assert flag` with `flag=False` may guard a private entry point) and read only parameters
    with a number, string or boolean default (not `None`, the usual mark of a required
    argument) and literals, and nothing may run between the start of the body and the assertion
    that could leave early or rebind those parameters (no `if`, loop, `with`, `try` or
    `return` before it).

    ## Why is this bad?
    Every call that keeps the default stops with `AssertionError` before the function does
    anything: the default promises a usable value and is not one. Usually the default or the
    assertion was changed without the other (a "no compression" default of 0.0 under a check
    written for a compression factor in (0, 1]).

    ## Example
    ```python
    def create_dense_net(nb_classes, depth=40, reduction=0.0):
        assert 0.0 < reduction <= 1.0, "reduction value must lie between 0.0 and 1.0"
    ```

    ## Use instead
    ```python
    def create_dense_net(nb_classes, depth=40, reduction=0.0):
        assert 0.0 <= reduction <= 1.0, "reduction value must lie between 0.0 and 1.0"
    ```

    ## Fix safety
    There is no automatic fix: whether the default or the assertion is wrong is the program's.
    """

    code = "TL004"
    triggers = ("assert",)
    name = "default-fails-assertion"
    severity = Severity.ERROR
    summary = "A function's own assert at the top of its body is false for the defaults of the parameters it tests."
    failing = (
        "import keras\n\n\ndef build(depth=40, reduction=0.0):\n"
        "    assert reduction <= 1.0 and reduction > 0.0, 'reduction must lie in (0, 1]'  # TL004\n"
        "    return keras.layers.Dense(int(depth * reduction))\n",
    )
    passing = (
        "import keras\n\n\ndef build(depth=40, reduction=0.0):\n"
        "    assert 0.0 <= reduction <= 1.0, 'reduction must lie in [0, 1]'\n"
        "    return keras.layers.Dense(int(depth * reduction))\n",
    )
    lookalikes = (
        # None marks a required argument; a test of another name; a branch before the assertion
        "import torch\n\n\ndef make(size=None, mode='a', depth=40, scale=0):\n    assert size is not None\n"
        "    assert mode in ('a', 'b') and (depth - 4) % 3 == 0\n    if scale == 0:\n        return torch.nn.Identity()\n"
        "    assert scale > 0\n    return torch.nn.Linear(size, size)\n",
        # a flag that must be given: a guard, not a default meant to be kept
        "import torch\n\n\ndef _build(width, _from_factory=False):\n    assert _from_factory, 'use make()'\n"
        "    return torch.nn.Linear(width, width)\n",
    )

    def on_module(self, ctx, ev):
        if "assert" not in ctx.text:
            return
        failing = node_memo(ctx, ("TL004 failing asserts",), _failing_asserts)  # a function's kept while its tree is
        for _, func in function_defs(ctx):
            for node, names in failing(func):
                shown = ", ".join(f"{n}={ctx.source(d).strip()}" for n, d in names.items())
                ctx.report(self, node,
                           f"`{ctx.source(node.test).strip()}` is false for the default {shown} of "
                           f"{func.name.value}(): every call that keeps the default stops with AssertionError",
                           related=[(d, "default given here") for d in names.values()])


def _literal_defaults(func) -> dict:
    """parameter name -> its default's node, for the defaults that are numbers, strings or booleans."""
    out = {}
    params = func.params
    for p in list(params.params) + list(params.kwonly_params):
        if p.default is not None and _value(p.default, {}) is not _UNKNOWN:
            out[p.name.value] = p.default
    return out


def _failing_asserts(func) -> list:
    """(the `assert`, {parameter: default node}) for the function's leading assertions false at the defaults."""
    if not isinstance(func.body, cst.IndentedBlock):
        return []
    defaults = _literal_defaults(func)
    if not defaults:
        return []
    values = {n: _value(d, {}) for n, d in defaults.items()}
    out = []
    for stmt in func.body.body:
        if type(stmt) is not cst.SimpleStatementLine:
            break
        for small in stmt.body:
            kind = type(small)
            if kind is cst.Assert:
                read = {n.value for n in descendants(small.test) if type(n) is cst.Name}
                compares = any(type(n) is cst.Comparison for n in (small.test, *descendants(small.test)))
                if compares and read and read <= set(values) and _value(small.test, values) is False:
                    out.append((small, {n: defaults[n] for n in sorted(read)}))
            elif kind in (cst.Return, cst.Raise, cst.Global, cst.Nonlocal, cst.Del):
                return out
            else:
                for n in descendants(small, prune=(cst.Lambda,)):
                    if type(n) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.NamedExpr):
                        target = n.target
                        for t in descendants(target) if type(target) is not cst.Name else (target,):
                            if type(t) is cst.Name:
                                values.pop(t.value, None)
    return out


def _value(node, names: dict):
    """The value of a constant expression over `names`, or _UNKNOWN."""
    kind = type(node)
    try:
        if kind is cst.Integer or kind is cst.Float:
            return node.evaluated_value
        if kind is cst.SimpleString:
            return node.evaluated_value
        if kind is cst.Name:
            if node.value in names:
                return names[node.value]
            return {"True": True, "False": False}.get(node.value, _UNKNOWN)
        if kind is cst.UnaryOperation:
            v = _value(node.expression, names)
            if v is _UNKNOWN:
                return _UNKNOWN
            if type(node.operator) is cst.Not:
                return not v
            if type(node.operator) is cst.Minus and type(v) in (int, float):
                return -v
            return _UNKNOWN
        if kind is cst.BinaryOperation:
            op = _ARITHMETIC.get(type(node.operator))
            a, b = _value(node.left, names), _value(node.right, names)
            if op is None or type(a) not in (int, float) or type(b) not in (int, float):
                return _UNKNOWN
            return op(a, b)
        if kind is cst.BooleanOperation:
            a, b = _value(node.left, names), _value(node.right, names)
            if type(node.operator) is cst.And:
                if a is False or b is False:
                    return False
                return True if a is True and b is True else _UNKNOWN
            if a is True or b is True:
                return True
            return False if a is False and b is False else _UNKNOWN
        if kind in (cst.Tuple, cst.List, cst.Set):
            items = [_value(e.value, names) if type(e) is cst.Element else _UNKNOWN for e in node.elements]
            return _UNKNOWN if any(v is _UNKNOWN for v in items) else tuple(items)
        if kind is cst.Comparison:
            left = _value(node.left, names)
            result = True
            for target in node.comparisons:
                right = _value(target.comparator, names)
                op = _COMPARE.get(type(target.operator))
                if op is None or left is _UNKNOWN or right is _UNKNOWN:
                    return _UNKNOWN
                if not op(left, right):
                    result = False
                left = right
            return result
    except (ArithmeticError, TypeError, ValueError):
        return _UNKNOWN
    return _UNKNOWN
