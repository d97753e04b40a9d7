"""Classes of the program derived from a torch layer or from nn.Sequential (`class SameConv(
nn.Conv2d)`, `class Block(nn.Sequential)`): an instance holds the layer its base constructor
builds (from the instantiation's arguments, or from those of `super().__init__(...)`), and
calling it, or `super().forward(x)`, applies that layer. Followed only where nothing the classes
write can change what the layer does: single bases, no methods besides `__init__`, `forward`,
`extra_repr` and `reset_parameters`, no class attributes, and no store into one of the layer's
own attributes (for nn.Sequential, no store or module added at all: each would join its
sequence)."""
from __future__ import annotations

import libcst as cst

from ..dataflow import descendants
from ..frameworks import LAYERS
from ..frameworks.layer_keywords import TORCH_MODULE_KEYWORDS
from ..values import ClassV, Ref, Value

BASE = "__base__"  # the attribute of an instance that holds the layer of its library base
_SEQUENTIAL = "torch.nn.Sequential"
_KEPT = frozenset({"__init__", "forward", "extra_repr", "reset_parameters"})
_OWN = frozenset({"weight", "bias", "training"})


def library_base(cls: ClassV, memo: dict) -> Ref | None:
    """The torch layer or nn.Sequential that `cls` derives from, when it is followed (above)."""
    key = id(cls.node)
    if key not in memo:
        memo[key] = _library_base(cls)
    return memo[key]


def _library_base(cls: ClassV) -> Ref | None:
    chain, c = [], cls
    while isinstance(c, ClassV) and len(chain) < 8:
        if len(c.bases) != 1 or c.attrs or any(name not in _KEPT for name in c.methods):
            return None
        chain.append(c)
        c = c.bases[0]
    if not isinstance(c, Ref) or type(c) is not Ref:
        return None
    spec = LAYERS.get(c.qualname)
    if c.qualname != _SEQUENTIAL and (spec is None or spec.fw != "torch"):
        return None
    short = c.qualname.rsplit(".", 1)[-1]
    facts = TORCH_MODULE_KEYWORDS.get(short, frozenset()) | _OWN
    for k in chain:
        for node in descendants(k.node.body):
            if _writes_self(node, facts, c.qualname == _SEQUENTIAL):
                return None
    return c


def _writes_self(node, facts: frozenset, sequential: bool) -> bool:
    """Does `node` store into an attribute of `self` that the layer reads (for nn.Sequential,
    any), or add modules or parameters to it?"""
    targets = ()
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
        targets = [node.target]
    for t in targets:
        for sub in descendants(t) if not isinstance(t, cst.Attribute) else (t,):
            if isinstance(sub, cst.Attribute) and isinstance(sub.value, cst.Name) and sub.value.value == "self":
                name = sub.attr.value
                if sequential or name in facts or name.startswith("_") or name.startswith(("weight", "bias")):
                    return True
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Name) and func.value in ("setattr", "delattr"):
            return True
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self" and (
                func.attr.value.startswith("register_") or func.attr.value in ("add_module", "append", "extend", "insert")):
            return True
    return False


class BaseInit(Value):
    """`super().__init__` of a class whose base is a library layer, taken but not called yet."""

    __slots__ = ("instance",)

    def __init__(self, instance):
        self.instance = instance
