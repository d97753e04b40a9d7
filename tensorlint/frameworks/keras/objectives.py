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
"""
from __future__ import annotations

from ...values import Func, Instance, KeyedDict, MutableList, Ref, Seq
from ..common import make
from ..registry import CALLS, LOSSES
from .tensors import policy_changed

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

