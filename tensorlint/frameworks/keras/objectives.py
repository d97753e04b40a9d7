"""The program's own losses and metrics, run the way Keras runs them once `compile` has them.

`model.compile(loss=fn, metrics=[fn2])` hands Keras functions it calls on every batch as
`fn(y_true, y_pred)` (a `keras.losses.Loss` subclass through its `call`). What Keras passes is a
fact of the framework, not of the program: `y_pred` is the model's output, a floating tensor
(float32 under the default `floatx` and precision policy); `y_true` holds the targets, whose dtype
depends on the data and on the Keras version (Keras 3 converts a loss's targets to the loss's
float dtype, tf.keras 2 a metric's, neither the other's), so it stays unknown, as do both shapes.
The body then runs at the `compile` with those two tensors, and its operations are checked like
any other: `y_pred * K.arange(0, 101)` multiplies float32 by int32, which TensorFlow refuses.

A program that changes the float width or the precision policy (`set_floatx`, mixed precision)
is not run this way: which float its model gives is then the program's to say.

The same holds where another file of the project compiles with a function of the checked file
(`from model import age_mae` and `model.compile(metrics=[age_mae])` in a training script beside
it): the function runs so at the end of the checked file's run (`ImporterObjectives`), and what
it finds is reported in the checked file.
"""
from __future__ import annotations

import os

import libcst as cst

from ...values import Func, Instance, KeyedDict, MutableList, Ref, Seq, Tensor
from ..common import TextSearch, make
from ..registry import CALLS, LOSSES
from .tensors import policy_changed

_KERAS_TEXT = TextSearch(r"\b(?:keras|tensorflow)\b")

_FRAMEWORK_PREFIXES = ("keras.", "tensorflow.", "torch.", "numpy.")


def run_objectives(call, loss, metrics) -> None:
    """Run every function (or `Loss` subclass instance) of the program among `loss` and
    `metrics` on a target of unknown dtype and a float32 prediction, at the `compile` call."""
    interp = call.interp
    if interp.muted:
        return
    found = []
    _collect(loss, found, 0)
    _collect(metrics, found, 0)
    if not found or policy_changed(interp.text or ""):  # which float the model gives is the program's to say
        return
    y_true = make(call, None, None, "tf")
    y_pred = make(call, None, "float32", "tf")
    seen = set()
    for fn in found:
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        args = call.with_args([y_true, y_pred])
        if isinstance(fn, Instance):
            interp.call_instance(fn, args)
        else:
            interp.call(fn, args)


def _collect(value, found: list, depth: int) -> None:
    """The program's functions in `value`: itself, or the items of a list, tuple or dict of
    them (`metrics=["accuracy", age_mae]`, `loss={"age": fn, "gender": "bce"}`)."""
    if depth > 3 or value is None:
        return
    if isinstance(value, Func):
        found.append(value)
    elif isinstance(value, Instance) and value.cls.kind == "keras.loss":
        found.append(value)
    elif isinstance(value, Ref) and type(value) is not Ref and not _framework_name(value.qualname):
        found.append(value)  # a subclass of Ref: a name imported from a project module, read on use
    elif isinstance(value, (Seq, MutableList)):
        for item in value.items:
            _collect(item, found, depth + 1)
    elif isinstance(value, KeyedDict):
        for item in value.items.values():
            _collect(item, found, depth + 1)


def _framework_name(qualname: str) -> bool:
    return qualname in CALLS or qualname in LOSSES or qualname.startswith(_FRAMEWORK_PREFIXES)


class ImporterObjectives:
    """The top-level functions of the checked file that another file of its project hands to
    Keras' `compile` (`project_importers.objective_uses`): itself (then it can be called as
    `fn(y_true, y_pred)`), or what a call of it returns (a factory, `loss=focal(gamma=2)`). Each
    is run once more as Keras runs it, after its own run with unknown arguments. The files beside
    the checked one are read only once a function that could be such an objective has run: one
    that takes two arguments, or that returned such a function, of a file that names Keras or
    TensorFlow. Nothing for a file that changes the float width or precision policy, nor when
    imports are not followed."""

    def __init__(self, interp, env: dict):
        self.interp, self.env = interp, env
        self.uses = None  # name -> (importer path, line, called), read on first need
        text = interp.text or ""
        self.off = not interp.path or interp.path.startswith("<") or not interp.config.follow_imports \
            or not _KERAS_TEXT(text) or policy_changed(text)

    def run(self, func: Func) -> None:
        """After `func`'s run with unknown arguments: run it (or what it returned) as an objective
        when a file of the project hands it to `compile`."""
        node = func.node
        if self.off or type(node) is not cst.FunctionDef or func.owner is not None or func.module is not None \
                or id(node) not in self.interp.def_envs or self.env.get(node.name.value) is not func:
            return
        made = self.interp.uncalled_results.get(id(node))
        factory = isinstance(made, Func) and made.module is None and type(made.node) is cst.FunctionDef \
            and _takes_two(made.node.params)
        if not factory and not _takes_two(node.params):
            return
        use = self._uses().get(node.name.value)
        if use is None or use[2] != factory:
            return
        run_as_objective(self.interp, made if factory else func)

    def _uses(self) -> dict:
        if self.uses is None:
            from ...project_importers import objective_uses  # (read only for a file with such functions)

            names = frozenset(f.node.name.value for f in self.interp.functions if type(f.node) is cst.FunctionDef
                              and f.owner is None and f.module is None and id(f.node) in self.interp.def_envs)
            self.uses = objective_uses(self.interp.path, names, policy_changed)
            for importer, _line, _called in self.uses.values():
                self.interp.dependencies.add(os.path.abspath(importer))
        return self.uses


def run_as_objective(interp, func: Func) -> None:
    """Run `func` as Keras runs a loss or metric: on a target of unknown dtype and a float32
    prediction (see the module's docstring), as a function nobody in this file calls."""
    node = func.node
    y_true = Tensor(shape=None, dtype=None, fw="tf", node=node, depth=1, origin=node)
    y_pred = Tensor(shape=None, dtype="float32", fw="tf", node=node, depth=1, origin=node)
    interp.uncalled += 1
    try:
        interp.call_function(func, [y_true, y_pred], {}, node, frame=interp.root, unknown_rest=True)
    except RecursionError:
        pass
    finally:
        interp.uncalled -= 1


def _takes_two(params: cst.Parameters) -> bool:
    """Two positional arguments fill the parameters: two or more positional ones, those past the
    second with defaults, and no keyword-only one without a default."""
    positional = list(params.posonly_params) + list(params.params)
    if len(positional) < 2 and not isinstance(params.star_arg, cst.Param):
        return False
    if any(p.default is None for p in positional[2:]):
        return False
    return all(p.default is not None for p in params.kwonly_params)
