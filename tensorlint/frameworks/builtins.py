"""Python builtins the interpreter needs to follow values: len, zip, enumerate, super, ..."""
from __future__ import annotations

from dataclasses import dataclass

from ..values import (
    SOME_INT, UNKNOWN, ClassV, Const, Container, Dataset, Instance, KeyedDict, Layer, MutableList, Ref, Seq, Super, Tensor, Value,
    exact_items,
)
from ..joins import join
from .configs import configured_dict, dict_read
from .registry import CALLS, OBJECT_METHODS
from .common import extreme
from .methods import EnumerateV, RangeV, ZipV, iterate
from . import shapes as S


def _len(call):
    v = call.arg(0)
    if isinstance(v, (Seq, MutableList)) and exact_items(v) is not None:
        return Const(len(v.items))
    if isinstance(v, Tensor):
        d = v.dim(0) if v.rank else None
        if S.known_int(d):
            return Const(d)
    return SOME_INT  # len() gives an int (or raises)


# outside packages whose classes cannot derive from a class of the program
_FOREIGN_BASES = ("builtins.", "torch.", "tensorflow.", "keras.", "tf_keras.", "pytorch_lightning.", "lightning.")


def _isinstance(call):
    """`isinstance(layer, ResBlock)` decided where the program's values decide it: an instance of
    a class of the program against classes of the program (the loop over a ModuleList of
    several block classes that calls each with its own arguments). Anything else is unknown."""
    obj, cls = call.arg(0), call.arg(1)
    targets = cls.items if isinstance(cls, Seq) and exact_items(cls) is not None else [cls]
    verdicts = [_instance_of(obj, t) for t in targets]
    if any(v is True for v in verdicts):
        return Const(True)
    if verdicts and all(v is False for v in verdicts):
        return Const(False)
    return UNKNOWN


def _instance_of(obj, target) -> bool | None:
    if not isinstance(target, ClassV):
        return None
    if isinstance(obj, (Layer, Container)):
        return False  # a framework layer is no instance of a class the program defines
    if not isinstance(obj, Instance):
        return None
    seen, stack = set(), [obj.cls]
    while stack:
        c = stack.pop()
        if c is target or c.node is target.node:
            return True
        if c.name == target.name:
            return None  # another reading of a class of that name (a module read twice): not decided
        if id(c) in seen:
            continue
        seen.add(id(c))
        for b in c.bases:
            if isinstance(b, ClassV):
                stack.append(b)
            elif not (isinstance(b, Ref) and b.qualname.startswith(_FOREIGN_BASES)):
                return None  # a base not known: it may derive from the target
    return False


def _zip(call):
    return ZipV(tuple(call.args))


def _enumerate(call):
    return EnumerateV(call.arg(0, "iterable", UNKNOWN))


def _seq(kind):
    def fn(call):
        v = call.arg(0)
        level = call.interp.open_loops
        if isinstance(v, MutableList) and not v.exact:
            return MutableList(list(v.items), False, level, v.tail) if kind == "list" else UNKNOWN
        if isinstance(v, (Seq, MutableList)):
            return MutableList(list(v.items), level=level) if kind == "list" else Seq("tuple", tuple(v.items))
        if v is None:
            return MutableList([], level=level) if kind == "list" else Seq("tuple", ())
        if isinstance(v, Container) and v.kind != "torch.nn.ModuleDict":  # (a ModuleDict's items are its keys)
            return MutableList(list(v.layers), level=level)
        return UNKNOWN
    return fn


def _super(call):
    frame = call.frame
    owner = frame.func.owner if frame.func is not None else None
    return Super(frame.self_value if frame.self_value is not None else UNKNOWN, owner)


def _scalar(kind):
    def fn(call):
        v = call.arg(0)
        if isinstance(v, Const) and isinstance(v.value, str) and kind is float:
            low = v.value.strip().lower()
            if low in ("nan", "inf", "-inf", "infinity", "-infinity", "+inf"):
                return Const(float(low))
        if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool):
            try:
                return Const(kind(v.value))
            except (ValueError, OverflowError):
                return UNKNOWN
        return UNKNOWN
    return fn


def _iter(call):
    """`iter(ds)`: iterating the iterator is iterating what it was made from."""
    v = call.arg(0)
    return v if isinstance(v, (Dataset, Seq, MutableList, Tensor, ZipV, EnumerateV, RangeV)) else UNKNOWN


def _next(call):
    """`next(iter(loader))`: one batch of a dataset (the first item of a sequence)."""
    v = call.arg(0)
    if isinstance(v, Dataset):
        return iterate(call.interp, v)
    items = exact_items(v) if isinstance(v, (Seq, MutableList)) else None
    return items[0] if items else UNKNOWN


def _choice(call):
    """`random.choice(options)`: what every option stands for (the option itself when there is one,
    or when all are the same)."""
    items = exact_items(call.arg(0, "seq"))
    if not items:
        return UNKNOWN
    out = items[0]
    for v in items[1:]:
        out = join(out, v)
    return out


def _least_greatest(kind: str):
    """`min(y)` / `max(y)` of a one-dimensional array: its least or greatest value; of numbers the
    program gives (`max((1, 5))`, `min(a, b)`): the least or greatest of them; any other use (a
    key, a default) is not followed."""
    def fn(call):
        a = call.arg(0)
        if call.kwargs:
            return UNKNOWN
        if len(call.args) == 1 and isinstance(a, Tensor) and a.rank == 1:
            return extreme(call, a, kind)
        items = exact_items(a) if len(call.args) == 1 else tuple(call.args)
        numbers = [v.value for v in items or () if isinstance(v, Const) and type(v.value) in (int, float)]
        if not items or len(numbers) != len(items):
            return UNKNOWN
        return Const(min(numbers) if kind == "min" else max(numbers))
    return fn


@dataclass(eq=False)
class Partial(Value):
    """`functools.partial(func, *args, **kwargs)`: calling it calls `func` with these arguments
    first and the call's own after them (a keyword of the call replaces one given here)."""
    func: Value
    args: tuple
    kwargs: dict
    arg_nodes: tuple
    kwarg_nodes: dict

    def bind(self, call):
        """The call of `func` that calling the partial object makes."""
        return call.with_args([*self.args, *call.args], {**self.kwargs, **call.kwargs},
                              [*self.arg_nodes, *call.arg_nodes], {**self.kwarg_nodes, **call.kwarg_nodes})


def _partial(call):
    """Arguments given through `*` or `**` of unknown content leave the partial object unknown."""
    if not call.args or any(a.star for a in call.node.args):
        return UNKNOWN
    return Partial(call.args[0], tuple(call.args[1:]), dict(call.kwargs), tuple(call.arg_nodes[1:]),
                   dict(call.kwarg_nodes))


def _dict(call):
    """`dict(hidden=128, ...)` and `dict(cfg)` of a configuration the program fixes: a configuration
    dict (`interp.helpers.configured_dict`); any other call gives a dict of unknown contents."""
    if "**" in call.kwargs or len(call.args) > 1:
        return UNKNOWN
    items = {}
    if call.args:
        v = call.args[0]
        if not (isinstance(v, KeyedDict) and v.exact and v.config and dict_read(call.interp, call.arg_nodes[0], call.frame)):
            return UNKNOWN
        items.update(v.items)
    items.update(call.kwargs)
    if not items or any(isinstance(v, Tensor) for v in items.values()):
        return UNKNOWN
    return configured_dict(items)


def _module_attribute(call):
    """`getattr(module, "enc")` with a name the program fixes: what the program's module holds
    under it. A name computed from values not known, or one the module does not hold, is unknown."""
    obj, name = call.arg(0), call.const(1)
    if isinstance(obj, Instance) and type(name) is str and not call.kwargs and len(call.args) <= 3:
        return obj.attrs.get(name, UNKNOWN)
    return UNKNOWN


def _set_module_attribute(call):
    """`setattr(module, "enc", value)` with a name the program fixes: the same as
    `module.enc = value` for a module of the program."""
    obj, name = call.arg(0), call.const(1)
    if isinstance(obj, Instance) and type(name) is str and len(call.args) == 3 and not call.kwargs:
        register(obj, name, call.args[2])
    elif isinstance(obj, Instance):
        forget_attributes(obj)
    return Const(None)


def forget_attributes(obj: Instance) -> None:
    """A module given an attribute under a name the program computes: any of its attributes may be
    the one replaced, so none is known any more."""
    for name in list(obj.attrs):
        if not name.startswith("__"):
            obj.attrs[name] = UNKNOWN


def register(obj: Instance, name: str, value: Value) -> None:
    """`obj.<name> = value` on a module of the program (also `add_module(name, value)`)."""
    if isinstance(value, (Layer, Container)) and value.name is None:
        value.name = name
    obj.attrs[name] = value


CALLS.update({
    "builtins.dict": _dict,
    "builtins.getattr": _module_attribute,
    "builtins.setattr": _set_module_attribute,
    "functools.partial": _partial,
    "builtins.min": _least_greatest("min"),
    "builtins.max": _least_greatest("max"),
    "random.choice": _choice,
    "builtins.iter": _iter,
    "builtins.next": _next,
    "builtins.len": _len,
    "builtins.isinstance": _isinstance,
    "builtins.zip": _zip,
    "builtins.range": lambda call: RangeV(),
    "builtins.enumerate": _enumerate,
    "builtins.list": _seq("list"),
    "builtins.tuple": _seq("tuple"),
    "builtins.super": _super,
    "builtins.float": _scalar(float),
    "builtins.int": _scalar(int),
    "builtins.print": lambda call: Const(None),
    "math.nan": lambda call: UNKNOWN,
})


def _add_module(call, obj):
    """`self.add_module("enc", layer)` (or `register_module`) in a module of the program: the layer
    is its attribute `enc`. A name the program computes from values not known is not followed."""
    name = call.const(0, "name")
    if isinstance(obj, Instance) and obj.cls.kind == "torch.module" and type(name) is str:
        register(obj, name, call.arg(1, "module", UNKNOWN))
        return Const(None)
    if isinstance(obj, Instance) and obj.cls.kind == "torch.module":
        forget_attributes(obj)
    return UNKNOWN


OBJECT_METHODS[("Instance", "add_module")] = _add_module
OBJECT_METHODS[("Instance", "register_module")] = _add_module
