"""Keras: what `preds = model.predict(x)` binds. The check runs the model on the first batch of
`x` (keras_side.keras_method); the program goes on with the predictions of every sample
(`preds.argmax(axis=1)`, a confusion matrix against the test labels). The name gets them: the
model's own `predict` on the program's arguments when that is cheap, else the first batch's
output, marked partly made, so that what fails on it is not blamed on the program."""
from __future__ import annotations

import time

from .common import sample_count

# a full predict() the check runs to bind its result: at most this long, judged from one eager batch
# (which overstates what predict() takes per batch for a small model, where overhead dominates)
FULL_PREDICT_S = 15.0


class KerasPredictions:
    def bind_predictions(self, unit: dict, model, scope, record: dict, synthesized: str | None) -> None:
        site = unit["call"]
        if not site.get("target") or record.get("status") != "ok" or record["id"] not in scope.forward_state:
            return
        _, batch_out = scope.forward_state[record["id"]]
        batch_out = self.as_numpy(batch_out)
        names = [n for e in [*site["args"], *site["kwargs"].values()] for n in e["names"]]
        made_up = {k: v for k, v in self.tainted(names, scope).items() if not v.get("loader")}
        if synthesized or record.get("input_error") or made_up:
            self.bind_partly(unit, scope, batch_out, "holds the predictions for an input the check made up")
            return
        try:
            args = [self.eval_expr(a, scope.ns) for a in site["args"]]
            kwargs = {k: self.eval_expr(e, scope.ns) for k, e in site["kwargs"].items()}
        except Exception:  # noqa: BLE001 - keras_method already said why its input was not built
            return
        x = kwargs.get("x", args[0] if args else None)
        full = self.full_predictions(model, x, args, kwargs, batch_out)
        if full is None:
            self.bind_partly(unit, scope, batch_out, "holds the predictions of the first batch only")
            return
        self.bind_target(unit, scope, full, None)

    def full_predictions(self, model, x, args, kwargs, batch_out):
        """`model.predict(...)` as the program calls it, silent; None when its input is not arrays
        (a generator would be used up), when one batch says it would take long, or when it fails."""
        arrays = x if isinstance(x, (list, tuple, dict)) else [x]
        values = arrays.values() if isinstance(arrays, dict) else arrays
        if not values or not all(hasattr(v, "shape") for v in values):
            return None
        count, done = sample_count(next(iter(values))), sample_count(first(batch_out))
        if count is None or not done:
            return None
        if count == done:
            return batch_out
        try:
            one = take(x, done)
            start = time.perf_counter()
            model(one, training=False)
            if (time.perf_counter() - start) * count / done > FULL_PREDICT_S:
                return None
            return model.predict(*args, **{**kwargs, "verbose": 0})
        except Exception:  # noqa: BLE001 - what fails only on every sample is not judged here
            return None

    def bind_partly(self, unit: dict, scope, value, reason: str) -> None:
        self.bind_target(unit, scope, value, None)
        for name in unit.get("binds") or []:
            scope.synthetic[name] = {"line": unit["line"], "reason": reason, "made_up": True}

    def as_numpy(self, value):
        """predict() returns NumPy arrays (a list or dict of them for several outputs)."""
        if isinstance(value, (list, tuple)):
            return type(value)(self.as_numpy(v) for v in value)
        if isinstance(value, dict):
            return {k: self.as_numpy(v) for k, v in value.items()}
        try:
            return value.numpy() if hasattr(value, "numpy") else value
        except Exception:  # noqa: BLE001
            return value


def first(value):
    if isinstance(value, (list, tuple)) and value:
        return value[0]
    if isinstance(value, dict) and value:
        return next(iter(value.values()))
    return value


def take(x, n: int):
    if isinstance(x, dict):
        return {k: v[:n] for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [v[:n] for v in x]
    return x[:n]
