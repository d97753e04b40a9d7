"""The interpreter's frames, its limits and the names every module sees."""
from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..values import UNKNOWN, ClassV, Const, Func, Ref, Value

MAX_DEPTH = 6
QUOTES = ("'", '"')
TRIPLE = ("'" * 3, '"' * 3)
MAX_UNROLL = 16


class ReturnSignal(Exception):
    pass


@dataclass(eq=False)
class Frame:
    depth: int
    env: dict
    module: "Frame | None"  # the module's frame (its env is replaced as control flow joins)
    parent: "Frame | None" = None
    call_node: cst.CSTNode | None = None  # the call in `parent` that entered this frame
    call_args: list = field(default_factory=list)  # (node, value) of that call's arguments
    func: Func | None = None
    returns: list = field(default_factory=list)
    closure: dict | None = None
    self_value: Value | None = None
    generator: bool = False
    yields: list = field(default_factory=list)  # what a generator function yields
    chunk: int = 0  # the chunk whose code this frame runs
    declared_global: frozenset = frozenset()  # names a `global` statement of this function named
    project: tuple | None = None  # a project module's frame: (path, import depth, tensorlint.project.Module)

    def lookup(self, name: str) -> Value:
        v = self.env.get(name)
        if v is not None:
            return v
        if self.closure is not None:
            v = self.closure.get(name)
            if v is not None:
                return v
        if self.module is not None:
            v = self.module.env.get(name)
            if v is not None:
                return v
        return BUILTINS.get(name, UNKNOWN)

    def binds_nowhere(self, name: str) -> bool:
        """Whether no scope this frame looks in holds `name` (nor the builtins it knows)."""
        return (name not in self.env and (self.closure is None or name not in self.closure)
                and (self.module is None or name not in self.module.env) and name not in BUILTINS)


BUILTINS = {
    name: Ref("builtins." + name)
    for name in ("len", "range", "zip", "enumerate", "float", "int", "list", "tuple", "print", "super", "isinstance", "sum", "abs", "round", "min", "max", "iter", "next", "bool", "str", "dict", "map", "sorted", "reversed", "getattr", "setattr")
}
BUILTINS["None"] = Const(None)
BUILTINS["True"] = Const(True)
BUILTINS["False"] = Const(False)

FRAMEWORK_BASES = {
    "torch.nn.Module": "torch.module",
    "keras.layers.Layer": "keras.layer",
    "keras.Layer": "keras.layer",
    "keras.Model": "keras.model",
    "keras.models.Model": "keras.model",
    "keras.losses.Loss": "keras.loss",
    "keras.Sequential": "keras.model",
    "keras.models.Sequential": "keras.model",
    "torch.nn.modules.loss._Loss": "torch.module",
}
# PyTorch Lightning modules are torch modules whose training loop the framework runs
LIGHTNING_BASES = frozenset((
    "pytorch_lightning.LightningModule", "pytorch_lightning.core.LightningModule",
    "pytorch_lightning.core.module.LightningModule", "pytorch_lightning.core.lightning.LightningModule",
    "lightning.LightningModule", "lightning.pytorch.LightningModule", "lightning.pytorch.core.LightningModule",
    "lightning.pytorch.core.module.LightningModule",
))
FRAMEWORK_BASES.update(dict.fromkeys(LIGHTNING_BASES, "torch.module"))


def class_kind(bases) -> str | None:
    """torch.module | keras.layer | keras.model | keras.loss | None, from a class's bases."""
    kind = None
    for b in bases:
        if isinstance(b, Ref):
            kind = FRAMEWORK_BASES.get(b.qualname, kind)
            if kind is None and b.qualname.startswith("torch.nn.") and b.qualname[9:10].isupper():
                kind = "torch.module"
        elif isinstance(b, ClassV) and b.kind:
            kind = b.kind
    return kind
