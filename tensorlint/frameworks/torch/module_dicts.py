"""nn.ModuleDict: its modules under the keys of a configuration dict the program fixes, until
the program changes it."""
from __future__ import annotations

from ...values import UNKNOWN, Container, KeyedDict
from ..configs import dict_read
from ..registry import CALLS, OBJECT_METHODS


def _module_dict(call):
    """`nn.ModuleDict({"enc": nn.Linear(...), ...})` or of a configuration dict the program fixes:
    its modules under their keys. Any other argument leaves the container unknown."""
    v = call.arg(0, "modules")
    if v is None:
        return Container("torch.nn.ModuleDict", [], "torch", call.node, keys=())
    node = call.arg_nodes[0] if call.arg_nodes else call.kwarg_nodes.get("modules")
    if not (isinstance(v, KeyedDict) and v.exact and v.config and all(type(k) is str for k in v.items)
            and dict_read(call.interp, node, call.frame)):
        return UNKNOWN
    return Container("torch.nn.ModuleDict", list(v.items.values()), "torch", call.node, keys=tuple(v.items))


def _keys_changed(method: str):
    """`update`, `pop`, `popitem`, `clear`, `setdefault` of an nn.ModuleDict: which module is under
    which key is no longer known (a module that comes in is kept among its modules, after one of
    unknown kind)."""
    def fn(call, container):
        if not isinstance(container, Container) or container.keys is None:
            return UNKNOWN
        container.keys = None
        if method in ("update", "setdefault"):
            container.layers.append(UNKNOWN)
        return UNKNOWN
    return fn


for _m in ("update", "pop", "popitem", "clear", "setdefault"):
    OBJECT_METHODS[("Container", _m)] = _keys_changed(_m)


CALLS["torch.nn.ModuleDict"] = _module_dict
