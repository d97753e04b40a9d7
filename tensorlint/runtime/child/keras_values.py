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
