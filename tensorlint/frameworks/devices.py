"""Where PyTorch tensors and modules live: on the CPU or on the accelerator (`cuda`).

A tensor's device is known only where the program fixes it: a factory (`torch.ones(...)`,
`torch.tensor(data)`, `torch.from_numpy(a)`, also of a list comprehension) makes a CPU tensor
unless it is given `device=`; `.cuda()`, `.cpu()` and `.to(device)` move one; a method computed
from one tensor alone (a reduction, a cast, a reshape: `methods.SAME_DEVICE`) keeps its device;
a module's output lives where the program moved the module. `Tensor.device` holds `(node, kind)`, and the kind counts only while the tensor's
`node` is that node, so that any operation that makes a new value without setting it leaves the
device unknown. A module's `device` is "cuda" once the program moves it there, on any path it
takes: a module moved under `if args.cuda:` is on the accelerator whenever that branch runs.

A file that changes the default device (`torch.set_default_device`,
`torch.set_default_tensor_type`, `with torch.device(...)`) makes no factory's device known.
"""
from __future__ import annotations

from ..values import Const, Container, Device, Instance, Layer, Ref, Tensor, Value
from .common import TextSearch

# whether a file changes torch's default device anywhere
default_changed = TextSearch(r"set_default_device|set_default_tensor_type|with\s+torch\.device\s*\(")
_DEVICE_KINDS = ("cpu", "cuda")


def kind_of(v: Value | None) -> str | None:
    """The device kind a value names: `"cuda:0"`, `0` (a CUDA index), `torch.device("cuda")`,
    a tensor whose device is known (`x.to(other)`); None where it is not known."""
    if isinstance(v, Device):
        return v.kind
    if isinstance(v, Const):
        if isinstance(v.value, str):
            name = v.value.split(":", 1)[0].strip()
            return name if name in _DEVICE_KINDS else None
        if type(v.value) is int:
            return "cuda"
    if isinstance(v, Tensor):
        return of(v)
    return None


def of(t: Value) -> str | None:
    """The device of a torch tensor where the program makes it known, else None."""
    if not isinstance(t, Tensor) or t.device is None or t.fw != "torch":
        return None
    node, kind = t.device
    return kind if node is t.node else None


def placed(t: Value, kind: str | None) -> Value:
    """`t` on this device (unknown when `kind` is None)."""
    if not isinstance(t, Tensor):
        return t
    if kind is None:
        return t.with_(device=None) if t.device is not None else t
    return t.with_(device=(t.node, kind))


def kept(src: Value, out: Value) -> Value:
    """`out`, computed from `src` on the same device (a cast, `detach()`, `Variable(x)`)."""
    return placed(out, of(src))


def created(call, t: Tensor, like: Value | None = None) -> Tensor:
    """A tensor a factory made: on the device `device=` names, else on `like`'s device (the
    `*_like` factories), else on the CPU unless the file changes the default device."""
    given = call.arg(None, "device")
    if given is not None:
        return placed(t, kind_of(given))
    if like is not None:
        return placed(t, of(like))
    if default_changed(call.interp.text or ""):
        return t
    return placed(t, "cpu")


def chosen(body: Value, orelse: Value) -> Value | None:
    """`"cuda" if <test> else "cpu"` (either order), or the CUDA and CPU spellings of one tensor
    type: the program puts its work on the accelerator on the path where it picks it. None for
    anything else."""
    kinds = {kind_of(body), kind_of(orelse)}
    if kinds == {"cuda", "cpu"} and not isinstance(body, Tensor) and not isinstance(orelse, Tensor):
        return Device("cuda")
    # `torch.cuda.FloatTensor if cuda else torch.FloatTensor`: the tensor type on the accelerator
    if isinstance(body, Ref) and isinstance(orelse, Ref):
        names = {body.qualname, orelse.qualname}
        for name in names:
            if name.startswith("torch.cuda.") and names == {name, "torch." + name[len("torch.cuda."):]}:
                return Ref(name)
    return None


def submodules(obj: Value):
    """A module and every module it holds (a Sequential's layers, a model's attributes), once each."""
    seen, todo = set(), [obj]
    while todo and len(seen) < 5000:
        m = todo.pop()
        if id(m) in seen or not isinstance(m, (Layer, Container, Instance)):
            continue
        seen.add(id(m))
        yield m
        todo.extend(m.layers if isinstance(m, Container) else m.attrs.values() if isinstance(m, Instance) else ())


def move_module(obj: Value, kind: str | None) -> None:
    """A module moved to a device, with every submodule it holds (unknown when `kind` is None)."""
    for m in list(submodules(obj)):
        m.device = kind
        if isinstance(m, Instance):
            for name, sub in list(m.attrs.items()):
                if isinstance(sub, Tensor):
                    # a buffer moves with the module, a plain tensor attribute does not: which one
                    # it is, the analysis does not follow
                    m.attrs[name] = placed(sub, None)


def module_output(module: Value, out: Value) -> Value:
    """A module's output lives where its parameters do, once the program moved it."""
    kind = getattr(module, "device", None) if isinstance(module, (Layer, Container, Instance)) else None
    if kind is None or not isinstance(out, Tensor) or out.fw != "torch":
        return out
    return placed(out, kind)
