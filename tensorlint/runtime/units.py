"""The units a slice is made of (see slicer.py): what the driver replays, in order."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Expr:
    line: int
    code: str
    names: list[str] = field(default_factory=list)  # names the expression reads


@dataclass
class CallSite:
    func: Expr  # the callee (for a method: the receiver)
    method: str | None  # "fit", "predict"... or None for a plain call
    args: list[Expr]
    kwargs: dict[str, Expr]
    target: str | None  # the assignment target's code, e.g. "output" or "out, h"
    text: str  # the call as written, for messages
    # the program records gradients with tf.GradientTape, and this call is under none of its tapes
    outside_tape: bool = False
    # its value reaches backward()/tape.gradient()/minimize() (sinks.py); False: never (a metric),
    # None: not known
    differentiated: bool | None = None
    # its value is added to other values before the program differentiates the sum (sinks.py):
    # its own gradients are not the program's
    summed: bool = False
    # the model's own method run as its forward pass (`pi` of `model.pi(state)`: method_forwards.py)
    forward_method: str | None = None


@dataclass
class Unit:
    kind: str  # "exec" | "call" | "loop" | "omit" (left out; marks what it changes as partly made) | "save" | "restore"
    line: int
    end_line: int
    code: str  # exec: the statement, dedented; call: the whole statement; loop: the header
    binds: list[str] = field(default_factory=list)
    call: CallSite | None = None
    binding: str | None = None  # loop: "TARGET = ITER" replayed as TARGET = first item of ITER
    binding_iter: Expr | None = None
    body: list["Unit"] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)  # names it reads
    display: str | None = None  # what the report calls it, when its code is not what the program wrote
    modifies: list[str] = field(default_factory=list)  # names whose value it changes in place
    # of those, the ones it only passes to a call (`plt.scatter(X[:, 0], ...)`): when the call fails
    # they keep their values (a failed call rarely leaves its arguments half-changed)
    arguments: list[str] = field(default_factory=list)
    keeps: list[str] = field(default_factory=list)  # save, restore: the caller's names a followed function binds
    # names functions of the program it hands on without calling them change later (callbacks.py):
    # {name: the function}; the replay marks them partly made after it
    hands_on: dict[str, str] = field(default_factory=dict)
    writes_files: bool = False  # exec: replayed only where the program's folder takes writes (file_flow.py)


def has_calls(units: list[Unit]) -> bool:
    """Whether any unit, or a unit nested in one, calls a model."""
    return any(u.kind == "call" or has_calls(u.body) for u in units)
