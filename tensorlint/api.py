"""What a transfer function sees of the interpreter: the small API framework knowledge is written against.

A transfer function (an entry of `tensorlint.frameworks`' tables) receives a `CallInfo`: the
call's arguments as abstract values (`call.args`, `call.kwargs`, `call.arg(i, name)`), their
constants (`call.const(i, name)`), the syntax nodes for positions (`call.node`,
`call.arg_node(i, name)`), and the running analysis as `call.interp`, of which it may use what
`Machine` lists and nothing else. It returns a value of `tensorlint.values`.

    def _linspace(call):                       # torch.linspace(start, end, steps)
        steps = call.const(2, "steps")
        return make(call, (steps,) if isinstance(steps, int) else (ANY,), "float32", "torch")

Framework modules import this module and `tensorlint.values`, never the interpreter.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from .values import Const, Value

if TYPE_CHECKING:
    import libcst as cst

    from . import events as ev


class Machine(Protocol):
    """The running analysis, as transfer functions may use it."""

    muted: int  # > 0 while events are not wanted (a value computed twice, a layer run for its shape)
    no_grad: int  # > 0 inside `torch.no_grad()` / `inference_mode()`
    tapes: tuple  # the `tf.GradientTape` blocks being recorded
    open_loops: int  # loops of unknown length whose body is running
    text: str  # the file's source
    placeholders: dict  # id(call node) -> a TF1 placeholder as declared (filled by its transfer function)
    fed: dict  # id(placeholder call node) -> the placeholder given what the program feeds it

    def wants(self, name: str) -> bool:
        """Whether some rule listens to events called `name` (build the event only then)."""

    def emit(self, name: str, event: Any) -> None:
        """Hand an event (`tensorlint.events`) to the rules that listen to `name`."""

    def line(self, node: "cst.CSTNode | None") -> int | None:
        """The line of a syntax node in the file."""

    def use_as_loss(self, node: "cst.CSTNode", kind: str, site: "cst.CSTNode | None" = None) -> None:
        """The program uses the function `node` as a loss of `kind` ("torch" | "keras"), at the
        call `site` (where a finding about a loss defined in another file is reported)."""

    def rebind(self, frame: Any, name: str, value: Value) -> None:
        """Update the name `name` where it is bound (an in-place change of its value)."""

    def call_instance(self, inst: Value, call: "CallInfo") -> Value:
        """Call an instance of one of the program's classes (its `forward` / `call`)."""

    def call(self, func: Value, call: "CallInfo") -> Value:
        """Call a value of the program (a function, a bound method) with `call`'s arguments:
        a function the program hands to a framework (`ds.map(fn)`, a dataset's `__getitem__`)."""

    def site_for(self, value: Value, node: "cst.CSTNode", frame: Any) -> "ev.Site":
        """Where to report a problem with `value` found at `node`."""


class BoundBuiltin(Value):
    """A method of a framework object or a tensor, taken but not called yet (`x.view`)."""

    __slots__ = ("obj", "attr")

    def __init__(self, obj, attr):
        self.obj = obj
        self.attr = attr


class SliceV(Value):
    """One `lower:upper:step` of a subscript, each a value."""

    __slots__ = ("lower", "upper", "step")

    def __init__(self, lower, upper, step):
        self.lower, self.upper, self.step = lower, upper, step


MISSING = object()  # what `CallInfo.const` returns for an argument given but not a constant


@dataclass
class CallInfo:
    """A call being evaluated: the values and nodes of its arguments."""

    interp: Machine
    node: "cst.Call"
    frame: Any  # the interpreter's frame the call runs in (opaque to transfer functions)
    args: list
    kwargs: dict
    arg_nodes: list
    kwarg_nodes: dict

    def arg(self, index: int | None, name: str | None = None, default: Value | None = None) -> Value | None:
        if name is not None and name in self.kwargs:
            return self.kwargs[name]
        if index is not None and index < len(self.args):
            return self.args[index]
        return default

    def arg_node(self, index: int | None, name: str | None = None):
        if name is not None and name in self.kwarg_nodes:
            return self.kwarg_nodes[name]
        if index is not None and index < len(self.arg_nodes):
            return self.arg_nodes[index]
        return None

    def const(self, index: int | None, name: str | None = None, default=None):
        v = self.arg(index, name)
        if isinstance(v, Const):
            return v.value
        if v is None:
            return default
        return MISSING

    def site(self, value: Value) -> "ev.Site":
        return self.interp.site_for(value, self.node, self.frame)

    def with_args(self, args: list, kwargs: dict | None = None, arg_nodes: list | None = None,
                  kwarg_nodes: dict | None = None) -> "CallInfo":
        """The same call (node, frame, analysis) with other arguments: a call a transfer
        function makes on the program's behalf (a layer applied to its input)."""
        return replace(self, args=args, kwargs={} if kwargs is None else kwargs,
                       arg_nodes=[None] * len(args) if arg_nodes is None else arg_nodes,
                       kwarg_nodes={} if kwarg_nodes is None else kwarg_nodes)

    @property
    def depth(self) -> int:
        return self.frame.depth
