"""Small facts about syntax and values that the interpreter's parts share."""
from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..frameworks import ParamsV
from ..values import (
    UNKNOWN, BoundMethod, ClassV, Const, Container, Dataset, Func, Instance, KeyedDict, Layer, Loss, MutableList, Optimizer, Ref, Seq, Tensor,
    Unknown, Value,
)
from ..joins import join


RAISES = frozenset(("raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assert_raises", "assert_raises_regex"))


def expects_error(expr) -> bool:
    """`pytest.raises(E)`, `self.assertRaises(E)`, `np.testing.assert_raises(E)`: a block whose
    statements are expected to fail."""
    if not isinstance(expr, cst.Call):
        return False
    f = expr.func
    name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
    return name in RAISES



NOT_PASSED = object()
LOSS_VARIABLE = __import__("re").compile(r"loss|criterion", __import__("re").I)


def argument_carrying(call_args, value):
    """The argument expression that passed `value` (itself, or inside a tuple/list)."""
    for n, v in call_args:
        if v is value:
            return n
        if isinstance(v, (Seq, MutableList)) and any(item is value for item in v.items):
            return None
    return NOT_PASSED



def no_grad_decorated(node: cst.FunctionDef) -> bool:
    for d in node.decorators:
        expr = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
        if isinstance(expr, cst.Attribute) and expr.attr.value in ("no_grad", "inference_mode"):
            return True
        if isinstance(expr, cst.Name) and expr.value in ("no_grad", "inference_mode"):
            return True
    return False



def param_names(node) -> list:
    p = node.params
    return [x.name.value for x in (*p.posonly_params, *p.params)]


def _decorated(node, name: str) -> bool:
    # (asked of every call of a method: most definitions have no decorator at all)
    decorators = node.decorators if isinstance(node, cst.FunctionDef) else None
    return bool(decorators) and any(
        isinstance(d.decorator, cst.Name) and d.decorator.value == name for d in decorators
    )


def is_static(node) -> bool:
    return _decorated(node, "staticmethod")


def is_classmethod(node) -> bool:
    return _decorated(node, "classmethod")


def method_of(m, obj_cls, instance):
    """What reading a method `m` of the program's own class gives: a static method as it is
    (no `self`), a class method bound to the class it was read from (`cls`: the subclass the
    call names, or the instance's class), a plain method bound to `instance` (None: read from
    the class itself, the function unbound)."""
    if is_static(m.node):
        return m
    if is_classmethod(m.node):
        return BoundMethod(m, obj_cls if isinstance(obj_cls, ClassV) else UNKNOWN)
    return m if instance is None else BoundMethod(m, instance)


TRACKED = (Tensor, Layer, Container, Loss, Dataset, Optimizer, Func, ClassV)


def interesting(v) -> bool:
    """A value worth following into a callee or across loop iterations."""
    if isinstance(v, TRACKED):
        return True
    if isinstance(v, Instance):
        return v.cls.kind is not None or bool(v.attrs)
    if isinstance(v, (Seq, MutableList)):
        return any(isinstance(i, TRACKED) or isinstance(i, Instance) for i in v.items[:16])
    if isinstance(v, KeyedDict):
        return v.exact and any(isinstance(i, TRACKED) for i in list(v.items.values())[:16])
    return False


def const_key(v):
    """What distinguishes an argument for the per-call cache: constants and tuples/lists of
    them by value (`weight_variable([784, 256])` differs from `weight_variable([256, 10])`),
    references by name; None for a value that cannot be told apart from others of its kind."""
    if isinstance(v, Const):
        try:
            hash(v.value)
            return (type(v.value).__name__, v.value)
        except TypeError:
            return None
    if isinstance(v, Unknown):
        return "?"
    if isinstance(v, Ref):
        return ("ref", v.qualname)
    if isinstance(v, (Seq, MutableList)) and len(v.items) <= 64:
        if isinstance(v, MutableList) and not v.exact:
            return None
        keys = tuple(const_key(x) for x in v.items)
        return None if None in keys else (type(v).__name__, keys)
    return None




def fresh_copy(value):
    """What a second call of a function returns when the first call's result is reused: each
    call builds its own model, list, dict, layer or object (`get_model()` twice is two models,
    and an `add` to one is not in the other), so a value the program can change is copied; the
    copy shares the layers and tensors it holds, as a call that builds them again would have
    built the same ones."""
    if isinstance(value, Container):
        return replace(value, layers=list(value.layers))
    if isinstance(value, (MutableList, KeyedDict)):
        return replace(value, items=type(value.items)(value.items))
    if isinstance(value, Instance):
        return replace(value, attrs=dict(value.attrs))
    if isinstance(value, Layer):
        return replace(value, facts=dict(value.facts))
    if isinstance(value, Seq) and any(isinstance(i, (Container, MutableList, KeyedDict, Instance, Layer, Seq)) for i in value.items):
        return replace(value, items=tuple(fresh_copy(i) for i in value.items))
    return value


def truth(value) -> bool | None:
    """The truth of a condition whose value is a known constant (a flag, None, a count)."""
    if isinstance(value, Const) and (value.value is None or isinstance(value.value, (bool, int))):
        return bool(value.value)
    return None


_LITERAL = (str, int, float, bool, type(None))
_COMPARE = {
    "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
    "LessThan": lambda a, b: a < b, "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b, "GreaterThanEqual": lambda a, b: a >= b,
}
_ORDER = frozenset(("LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual"))


def _number(v) -> bool:
    return isinstance(v, Const) and type(v.value) in (int, float)


def known_comparison(left, ops) -> Value:
    """`method == 'general'`, `kind in ('lstm', 'gru')`, `channels > 1`: the truth of a
    comparison of literals the program wrote or values it establishes (a string, a number, None;
    an order only between numbers), or UNKNOWN. `ops` holds (operator node, value) pairs, chained
    as Python chains them."""
    if not isinstance(left, Const) or type(left.value) not in _LITERAL:
        return UNKNOWN
    a = left.value
    for op, right, *_ in ops:
        fn = _COMPARE.get(type(op).__name__)
        if fn is None:
            return UNKNOWN
        if type(op).__name__ in _ORDER:
            if not (_number(right) and type(a) in (int, float)):
                return UNKNOWN
            b = right.value
        elif isinstance(right, Const) and type(right.value) in _LITERAL and type(op).__name__ in ("Equal", "NotEqual"):
            b = right.value
        elif isinstance(right, (Seq, MutableList)) and (isinstance(right, Seq) or right.exact) and \
                all(isinstance(v, Const) and type(v.value) in _LITERAL for v in right.items) and type(op).__name__ in ("In", "NotIn"):
            b = tuple(v.value for v in right.items)
        else:
            return UNKNOWN
        if not fn(a, b):
            return Const(False)
        a = b
    return Const(True)


def static_test(test) -> bool | None:
    """`if __name__ == "__main__":` is always taken for analysis purposes."""
    if type(test) is cst.Comparison and type(test.left) is cst.Name and test.left.value == "__name__":
        return True
    return None


def join_envs(a: dict, b: dict) -> dict:
    if a is b:
        return a
    out = dict(a)
    get = a.get
    for k, v in b.items():
        old = get(k)
        if old is None:
            out[k] = v
        elif old is not v:
            out[k] = join(old, v)
    return out


def yielded_batches(yields, node) -> Value:
    """A generator that yields `(features, labels)` batches of tensors is a batched dataset."""
    if not yields or not all(isinstance(v, Seq) and len(v.items) == 2 for v in yields):
        return UNKNOWN
    batch = yields[0]
    for v in yields[1:]:
        batch = join(batch, v)
    if not isinstance(batch, Seq) or not all(isinstance(t, Tensor) for t in batch.items):
        return UNKNOWN
    return Dataset(tuple(t.with_(labels=t.labels or i == 1) for i, t in enumerate(batch.items)), True, node)


def holds_nan(value) -> bool:
    if isinstance(value, Const) and isinstance(value.value, float):
        return value.value != value.value or value.value in (float("inf"), float("-inf"))
    return isinstance(value, Tensor) and value.nan


def carries_training_state(call) -> str | None:
    """What of the training state a call's arguments reach: "model" for an optimizer, a model
    or its parameters (the callee may step, clear gradients or switch modes), "tensor" for a
    gradient-carrying tensor only (it may backpropagate it, nothing more), else None."""
    found = None
    for v in (*call.args, *call.kwargs.values()):
        if isinstance(v, (Optimizer, Container, Layer, ParamsV)):
            return "model"
        if isinstance(v, Instance) and v.cls.kind is not None:
            return "model"
        if isinstance(v, Tensor) and v.requires_grad:
            found = "tensor"
    return found


