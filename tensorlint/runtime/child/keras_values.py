"""Keras: facts read from the values a layer returned and the targets a loss was given, when the
run computes through them without raising."""
from __future__ import annotations


def keras_loss_name(fn) -> str:
    """The name of one of Keras's own losses (a function, a `Loss` object, the wrapper compile()
    puts around a function), lower case without underscores; "" for any other callable (a loss
    the program defines may mean by its targets what it likes)."""
    inner = getattr(fn, "fn", None)
    own = [f for f in (fn, inner) if f is not None and (getattr(f, "__module__", "") or "").startswith(("keras", "tf_keras"))]
    if not own or (inner is not None and not (getattr(inner, "__module__", "") or "").startswith(("keras", "tf_keras"))):
        return ""
    names = " ".join(str(x) for x in (getattr(fn, "name", ""), getattr(fn, "__name__", ""), type(fn).__name__,
                                      getattr(inner, "__name__", "")))
    return names.lower().replace("_", "")


def softmax_axis(layer) -> int | None:
    """The axis a layer's softmax runs over (its own `activation`, a `Softmax` layer, or
    `Activation('softmax')`), or None when the layer ends in no softmax."""
    activation = getattr(layer, "activation", None)
    if type(layer).__name__ == "Softmax":
        axis = getattr(layer, "axis", -1)
        return axis if isinstance(axis, int) else None
    if activation is not None and getattr(activation, "__name__", "") in ("softmax", "softmax_v2"):  # tf.nn.softmax
        return -1
    return None


def softmax_of_one(tf, layer, out) -> dict:
    """A layer whose softmax runs over an axis of size 1 (`Dense(1, activation='softmax')`): its
    output is 1.0 for every sample, whatever its input. The fact is read from the values it
    returned when the program ran it, not from its configuration alone. {"softmax_of_one": fact}
    or {} (a row of the layers' table takes it as it is)."""
    axis = softmax_axis(layer)
    if axis is None or not hasattr(out, "shape"):
        return {}
    try:
        if not tf.executing_eagerly():
            return {}
        shape = [int(d) for d in out.shape]
        if not shape or shape[axis] != 1 or not all(shape):
            return {}
        values = tf.convert_to_tensor(out)
        if not bool(tf.reduce_all(tf.equal(values, tf.ones_like(values)))):
            return {}
    except Exception:  # noqa: BLE001 - a symbolic output (the model being built) has no values
        return {}
    return {"softmax_of_one": {"shape": shape, "line": getattr(layer, "_tensorlint_made_at", None)}}


def categorical_rows(fn, values) -> dict | None:
    """Categorical cross-entropy takes each target row as a distribution over the classes: values
    outside [0, 1] (class ids, rescaled labels) or rows that are all zero (padding left unencoded:
    such a sample adds nothing to the loss) are a labelling bug the loss computes through silently.
    `values` is a NumPy array of the targets the program gave, with the classes on the last axis."""
    import numpy as np

    names = keras_loss_name(fn)
    if "sparse" in names or not ("categoricalcrossentropy" in names or "categoricalfocal" in names):
        return None
    if values.ndim < 2 or values.shape[-1] < 2 or values.size == 0:
        return None  # one column: Keras itself refuses it against several classes
    low, high = float(values.min()), float(values.max())
    if low < 0 or high > 1:
        return {"loss": "categorical cross-entropy", "low": low, "high": high}
    rows = values.reshape(-1, values.shape[-1])
    empty = int((rows.sum(axis=-1) == 0).sum())
    if empty:
        return {"loss": "categorical cross-entropy", "zero_rows": empty, "rows": int(rows.shape[0])}
    return None


# the values an output activation can take: (low, high), None for no bound on that side
BOUNDS = {"sigmoid": (0.0, 1.0), "hard_sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "softmax_v2": (0.0, 1.0),
          "tanh": (-1.0, 1.0), "relu": (0.0, None), "relu6": (0.0, 6.0), "softplus": (0.0, None)}
# Keras's losses that compare targets with outputs value for value (names as keras_loss_name gives them)
REGRESSION = {"meansquarederror": "mean squared error", " mse": "mean squared error", "meanabsoluteerror":
              "mean absolute error", " mae": "mean absolute error", "huber": "the Huber loss", "logcosh": "log-cosh"}


def output_layer(model):
    """The layer that makes a model's one output: a Sequential's last layer, or the operation
    behind a functional model's output tensor; None otherwise (a subclassed model, several outputs)."""
    outputs = getattr(model, "outputs", None)
    try:
        if outputs is not None and len(outputs) == 1:
            return outputs[0]._keras_history[0]
    except (AttributeError, IndexError, TypeError):
        pass
    layers = getattr(model, "layers", None)
    return layers[-1] if type(model).__name__ == "Sequential" and layers else None


def unreachable_targets(fn, values, model) -> dict | None:
    """A regression loss (mean squared error & co.) whose targets, as the program gave them, lie
    outside every value the model's output activation can take (a sigmoid's [0, 1], a tanh's
    [-1, 1], a ReLU's [0, inf)): those targets are never reached, so the labels and the head disagree
    (labels rescaled to [-1, 1] under a sigmoid)."""
    names = " " + keras_loss_name(fn)
    loss = next((text for key, text in REGRESSION.items() if key in names), None)
    if model is None or loss is None:
        return None
    layer = output_layer(model)
    activation = getattr(layer, "activation", None)
    if type(layer).__name__ == "Softmax":
        name = "softmax"
    else:
        name = getattr(activation, "__name__", "")
    if name not in BOUNDS or values.size == 0:
        return None
    low, high = float(values.min()), float(values.max())
    floor, ceiling = BOUNDS[name]
    if (floor is None or low >= floor) and (ceiling is None or high <= ceiling):
        return None
    return {"loss": loss, "low": low, "high": high,
            "activation": name.replace("_v2", ""), "bounds": [floor, ceiling], "layer": getattr(layer, "name", None),
            "layer_line": getattr(layer, "_tensorlint_made_at", None)}


def array_owner(value):
    """The NumPy array that owns the memory of `value` (itself, or the array it is a view of:
    `y[150:]` is owned by `y`), or None for anything else (a tensor, a list, a copy's owner is
    the copy)."""
    import numpy as np

    if not isinstance(value, np.ndarray):
        return None
    while isinstance(value.base, np.ndarray):
        value = value.base
    return value


def fed_targets(model, method: str, given: dict, line: int) -> dict | None:
    """`model.fit(X[:150], y[:150])` then `model.predict(y[150:])`: a fit remembers the arrays
    that own its inputs and its targets (on the model); a predict given rows of the array that
    owns the last fit's targets, and not of the one that owns its inputs (an autoencoder's, a
    sequence model's), is said: {"fit_line": line of that fit}. Views are followed only as NumPy
    keeps them (a copy, a tensor, a split that copies say nothing)."""
    try:
        if method in ("fit", "train_on_batch"):
            object.__setattr__(model, "_tensorlint_fit_owners", (array_owner(given.get("inputs")),
                                                                 array_owner(given.get("targets")), line))
            return None
        if method not in ("predict", "predict_on_batch"):
            return None
        inputs, targets, fit_line = getattr(model, "_tensorlint_fit_owners", (None, None, None))
        owner = array_owner(given.get("inputs"))
    except Exception:  # noqa: BLE001 - a model that takes no attribute, an odd array: nothing is said
        return None
    if owner is None or targets is None or owner is not targets or owner is inputs:
        return None
    return {"fit_line": fit_line}
