"""Keras losses, the bundled datasets, `tf.GradientTape`, optimizers."""
from __future__ import annotations

import math

from ...values import UNKNOWN, Const, Loss, Metric, Optimizer, Schedule, Seq, Tensor, exact_items
from ..registry import CALLS, LOSSES, OBJECT_METHODS, LossSpec
from ..common import gradients_like, make, recorded


# -- losses -------------------------------------------------------------------------------

def _kloss_call(call, loss):
    interp = call.interp
    args = [call.arg(0, "y_true", UNKNOWN), call.arg(1, "y_pred", UNKNOWN)]
    if interp.wants("loss_call"):
        from ...events import LossCall

        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "keras"))
    tensors = [a for a in args if isinstance(a, Tensor)]
    depth = min([a.depth for a in tensors], default=call.depth)
    from ..common import grad_of

    return Tensor(shape=(), dtype="float32", fw="tf", node=call.node, depth=min(depth, call.depth),
                  labels=any(a.labels for a in tensors), requires_grad=grad_of(*args),
                  origin=call.node, models=frozenset().union(*(a.models for a in tensors)) if tensors else frozenset(),
                  tapes=recorded(interp, *tensors))


def KL(kind, fn=False):
    return LossSpec("keras", kind, None, kind == "regression", _kloss_call, ("from_logits", "label_smoothing"), is_function=fn)


KERAS_LOSSES = {
    "CategoricalCrossentropy": "categorical", "SparseCategoricalCrossentropy": "sparse_categorical",
    "BinaryCrossentropy": "binary", "MeanSquaredError": "regression", "MeanAbsoluteError": "regression",
    "Huber": "regression", "CategoricalFocalCrossentropy": "categorical", "BinaryFocalCrossentropy": "binary",
    "KLDivergence": "kl", "LogCosh": "regression", "MeanSquaredLogarithmicError": "regression",
    "MeanAbsolutePercentageError": "regression",
}
KERAS_LOSS_FUNCTIONS = {
    "categorical_crossentropy": "categorical", "sparse_categorical_crossentropy": "sparse_categorical",
    "binary_crossentropy": "binary", "mean_squared_error": "regression", "mse": "regression",
    "mean_absolute_error": "regression", "mae": "regression", "huber": "regression",
    # the other elementwise losses pair the output and the target the same way
    "log_cosh": "regression", "logcosh": "regression", "mean_squared_logarithmic_error": "regression", "msle": "regression",
    "mean_absolute_percentage_error": "regression", "mape": "regression",
    # the upper-case aliases every Keras version exports beside them (`keras.losses.MSE`)
    "MSE": "regression", "MAE": "regression", "MAPE": "regression", "MSLE": "regression",
    "categorical_focal_crossentropy": "categorical", "binary_focal_crossentropy": "binary",
}
# Keras 3's backend-independent losses, `keras.ops.categorical_crossentropy(target, output)`
KERAS_OPS_LOSSES = {
    "categorical_crossentropy": "categorical", "sparse_categorical_crossentropy": "sparse_categorical",
    "binary_crossentropy": "binary",
}
for _name, _kind in KERAS_LOSSES.items():
    LOSSES["keras.losses." + _name] = KL(_kind)
for _name, _kind in KERAS_LOSS_FUNCTIONS.items():
    LOSSES["keras.losses." + _name] = KL(_kind, fn=True)
    LOSSES["keras.metrics." + _name] = KL(_kind, fn=True)
    LOSSES["keras.backend." + _name] = KL(_kind, fn=True)
for _name, _kind in KERAS_OPS_LOSSES.items():
    LOSSES["keras.ops." + _name] = KL(_kind, fn=True)


def loss_kind(loss) -> tuple[str | None, bool | None]:
    """(kind, from_logits) of a Keras loss given as a string, a loss object or a loss function."""
    if isinstance(loss, Const) and isinstance(loss.value, str):
        # Keras resolves a string by function name and by class name (`loss="CategoricalCrossentropy"`)
        return KERAS_LOSS_FUNCTIONS.get(loss.value) or KERAS_LOSSES.get(loss.value), False
    if isinstance(loss, Loss):
        spec = LOSSES.get(loss.kind)
        fl = loss.facts.get("from_logits", False)
        return (spec.kind if spec else None), (fl if isinstance(fl, bool) else None)
    from ...values import Ref

    if isinstance(loss, Ref) and loss.qualname in LOSSES:
        return LOSSES[loss.qualname].kind, False
    return None, None


def _binary_accuracy(call):
    """`keras.metrics.BinaryAccuracy(name, dtype, threshold=0.5)`: the threshold it applies, when
    literal (None when given as something else)."""
    t = call.arg(2, "threshold")
    threshold = 0.5 if t is None else t.value if isinstance(t, Const) else None
    return Metric("keras.metrics.BinaryAccuracy", {"threshold": threshold})


CALLS["keras.metrics.BinaryAccuracy"] = _binary_accuracy


# -- datasets -----------------------------------------------------------------------------

DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
}


# how many classes each data set's labels take (cifar100 by `label_mode`); every class occurs in
# both the training and the test labels
CLASSES = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": {"fine": 100, "coarse": 20}}


def _label_span(call, name: str):
    """(0, classes - 1, why) of the labels of `keras.datasets.<name>.load_data()`, or None."""
    k = CLASSES.get(name)
    if isinstance(k, dict):
        mode = call.const(0, "label_mode", "fine")
        k = k.get(mode) if isinstance(mode, str) else None
    return (0.0, float(k - 1), f"the class ids 0-{k - 1} of keras.datasets.{name}") if k else None


def _load_data(shapes, name: str):
    def fn(call):
        xs, ys, xt, yt = shapes
        span = _label_span(call, name)
        mk = lambda s, labels: make(call, s, "uint8", "np", labels=labels, classes=labels,
                                    magnitude=(None, 255.0) if not labels else None,
                                    span=span if labels else None)
        return Seq("tuple", (Seq("tuple", (mk(xs, False), mk(ys, True))), Seq("tuple", (mk(xt, False), mk(yt, True)))))
    return fn


for _name, _shapes in DATASETS.items():
    CALLS[f"keras.datasets.{_name}.load_data"] = _load_data(_shapes, _name)


def _tape(call):
    from ...values import Context

    return Context("tape", call.node, persistent=call.const(0, "persistent", False) is True)


def _tape_gradient(call, tape):
    interp = call.interp
    target = call.arg(0, "target")
    sources = call.arg(1, "sources")
    if interp.wants("tape_gradient"):
        from ...events import TapeGradient

        interp.emit("tape_gradient", TapeGradient(tape, target, sources, call.node))
    return gradients_like(call, sources)


def _tape_watch(call, tape):
    tape.__dict__.setdefault("watched", []).extend(call.args)
    return Const(None)


def _keras_optimizer(qual):
    def fn(call):
        lr = call.arg(0, "learning_rate")
        return Optimizer(qual, UNKNOWN, call.node, lr=lr if lr is not None else call.arg(None, "lr"))
    return fn


def _stepped_by_program(call, opt):
    """`optimizer.apply_gradients(...)` / `optimizer.minimize(...)`: steps `fit` does not count."""
    opt.steps_elsewhere = True
    return UNKNOWN


def _number(value):
    v = value.value if isinstance(value, Const) else None
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def _piecewise(call):
    """`PiecewiseConstantDecay(boundaries, values)`: the rate is `values[0]` while the step is at
    most the first boundary, so for the first `floor(boundaries[0]) + 1` steps."""
    items = exact_items(call.arg(0, "boundaries")) or ()
    first = _number(items[0]) if items else None
    steady = math.floor(first) + 1 if first is not None and first >= 0 else None
    return Schedule("keras.optimizers.schedules.PiecewiseConstantDecay", steady, call.node,
                    call.arg_node(0, "boundaries"))


def _staircase(qual, constant_rate):
    """`ExponentialDecay` / `InverseTimeDecay(initial, decay_steps, decay_rate, staircase=True)`:
    the rate is a function of `floor(step / decay_steps)`, so it keeps its initial value for the
    first `ceil(decay_steps)` steps. Without `staircase=True` it moves from the first step; with
    `constant_rate` as its decay rate (1 for an exponential decay, 0 for an inverse-time one) it
    never moves."""
    def fn(call):
        period = _number(call.arg(1, "decay_steps"))
        rate = _number(call.arg(2, "decay_rate"))
        staircase = call.const(3, "staircase", False) is True
        steady = math.ceil(period) if staircase and period is not None and period > 0 \
            and rate is not None and rate != constant_rate else None
        return Schedule(qual, steady, call.node, call.arg_node(1, "decay_steps"))
    return fn


CALLS["tensorflow.GradientTape"] = _tape
OBJECT_METHODS[("Context", "gradient")] = _tape_gradient
OBJECT_METHODS[("Context", "watch")] = _tape_watch
for _name in ("Adam", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "AdamW", "Ftrl", "Lion"):
    CALLS["keras.optimizers." + _name] = _keras_optimizer("keras.optimizers." + _name)
for _name in ("apply_gradients", "minimize", "apply"):
    OBJECT_METHODS[("Optimizer", _name)] = _stepped_by_program
CALLS["keras.optimizers.schedules.PiecewiseConstantDecay"] = _piecewise
for _name, _constant in (("ExponentialDecay", 1), ("InverseTimeDecay", 0)):
    CALLS["keras.optimizers.schedules." + _name] = _staircase("keras.optimizers.schedules." + _name, _constant)
