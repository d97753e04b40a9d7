"""A Keras model's tensors taken from the model: `model.output(s)`, `model.input(s)`,
`model.layers[i].output`, `model.get_layer("conv").output`, `layer.output_shape`.

A functional model holds the symbolic tensors it was built from; a Sequential model that
declares its input computes its output from a symbolic input of that shape. A layer knows its
input and output once it has been called on a symbolic tensor exactly once (a layer called
twice is shared: Keras 2 refuses `layer.output`, Keras 3 gives the first call's; not known
here). Anything else stays unknown: these values are read only when a program asks for them,
so nothing is computed for a file that does not.
"""
from __future__ import annotations

from ...api import CallInfo
from ...values import ANY, UNKNOWN, Const, Container, Layer, MutableList, Seq, Tensor, Value
from ..registry import LAYER_CALLED, OBJECT_METHODS
from .models import keras_forward, rewired

# attributes read here (the interpreter asks only for these)
MODEL_TENSOR_ATTRIBUTES = frozenset(("output", "outputs", "input", "inputs", "layers", "output_shape", "input_shape"))
_IO = "_io"  # Layer.facts key: (input, output) of its one symbolic call, False once called again
_SEQ_IO = "_seq_io"  # the same, of a layer of a Sequential model that declares its input
_KERAS_MODELS = ("keras.Model", "keras.Sequential")


def record_call(layer: Layer, x: Value, out: Value) -> None:
    """A Keras layer applied to a symbolic tensor (functional API): what it took and gave."""
    if _symbolic(x):
        facts = layer.facts
        facts[_IO] = (x, out) if _IO not in facts else False


def _symbolic(v: Value) -> bool:
    if isinstance(v, Tensor):
        return v.fw == "keras"
    if isinstance(v, (Seq, MutableList)) and v.items:
        return all(isinstance(t, Tensor) and t.fw == "keras" for t in v.items)
    return False


def model_attribute(interp, obj, attr: str, node, frame) -> Value | None:
    """`obj.attr` for a Keras layer or model where it is one of the model's tensors (or shapes)
    and known; None otherwise (the caller's default applies)."""
    if isinstance(obj, Layer):
        return _layer_attribute(obj, attr)
    if not isinstance(obj, Container) or obj.kind not in _KERAS_MODELS or rewired(getattr(interp, "text", None) or ""):
        return None
    if attr == "layers":
        layers = _sequential_layers(_call(interp, node, frame), obj)
        return Seq("list", tuple(layers)) if layers is not None else None
    ins, outs = _model_io(_call(interp, node, frame), obj)
    if attr in ("input", "inputs", "input_shape"):
        value = ins
    else:
        value = outs
    if value is None:
        return None
    if attr in ("inputs", "outputs"):
        items = value.items if isinstance(value, Seq) else (value,)
        return Seq("list", tuple(items))
    if attr in ("input_shape", "output_shape"):
        return _shape_of(value)
    return value


def _call(interp, node, frame) -> CallInfo:
    """The attribute read as a call the model's layers run in (no arguments)."""
    return CallInfo(interp, node, frame, [], {}, [], {})


def _layer_attribute(layer: Layer, attr: str) -> Value | None:
    facts = layer.facts
    io = facts.get(_IO) if _IO in facts else facts.get(_SEQ_IO)
    if attr not in ("input", "output", "input_shape", "output_shape") or not isinstance(io, tuple):
        return None
    value = io[0] if attr.startswith("input") else io[1]
    if attr.endswith("_shape"):
        return _shape_of(value)
    return value if _symbolic(value) else None


def _shape_of(value: Value) -> Value | None:
    """Keras 2's `output_shape`: the shape with None for the batch axis and unknown dims (a
    list of shapes for several tensors)."""
    if isinstance(value, Seq):
        shapes = [_shape_of(t) for t in value.items]
        return Seq("list", tuple(shapes)) if all(s is not None for s in shapes) else None
    if not isinstance(value, Tensor) or value.shape is None or (value.shape and value.shape[0] is ANY):
        return None
    dims = [Const(None)]
    for d in value.shape[1:]:
        if isinstance(d, int) and not isinstance(d, bool):
            dims.append(Const(d))
        else:
            return None  # a dim that is a number the program does not fix: not the literal None
    return Seq("tuple", tuple(dims))


def _model_io(call, model: Container) -> tuple:
    """(inputs, outputs) of a Keras model as the program gave them (a tensor or a list), None
    where not known."""
    if model.kind == "keras.Model":
        ins = model.input_value if model.input_value is not None else (
            model.inputs[0] if len(model.inputs) == 1 else None)
        outs = model.outputs
        return (ins if _symbolic(ins) else None), (outs if _symbolic(outs) else None)
    x = _sequential_input(model, call.node)
    if x is None:
        return None, None
    interp = call.interp
    interp.muted += 1
    try:
        out = keras_forward(call, model, x)
    finally:
        interp.muted -= 1
    if not isinstance(out, Tensor):
        return x, None
    return x, out.with_(fw="keras", normalized=False, models=frozenset())


def _sequential_input(model: Container, node) -> Tensor | None:
    """The symbolic input of a Sequential model that declares its input shape, when every layer
    of it is known (a layer the program does not show may be anything)."""
    shape = model.input_shape
    if shape is None or any(layer is UNKNOWN or not isinstance(layer, (Layer, Container)) for layer in model.layers):
        return None
    return Tensor(shape=("B",) + tuple(shape), dtype=None, fw="keras", node=node, origin=node)


def _sequential_layers(call, model: Container) -> list | None:
    """A Sequential model's layers (its input excluded, as Keras lists them), each knowing its
    input and output when the model declares its input."""
    if model.kind != "keras.Sequential" or any(not isinstance(layer, (Layer, Container)) for layer in model.layers):
        return None
    x = _sequential_input(model, call.node)
    if x is not None:
        from ..models import apply_any

        interp = call.interp
        interp.muted += 1
        try:
            v = x
            for layer in model.layers:
                out = apply_any(call, layer, v) if isinstance(v, Tensor) else UNKNOWN
                out = out.with_(fw="keras") if isinstance(out, Tensor) else UNKNOWN
                if isinstance(layer, Layer) and _IO not in layer.facts:
                    layer.facts[_SEQ_IO] = (v, out)
                v = out
        finally:
            interp.muted -= 1
    return list(model.layers)


def _get_layer(call, model):
    """`model.get_layer("conv1")` / `get_layer(index=3)` on a Sequential model whose layers are
    all known: the layer of that name (one alone bears it) or at that index. A functional
    model's layers are not listed here: unknown."""
    name, index = call.arg(0, "name"), call.arg(1, "index")
    if not isinstance(model, Container) or model.kind != "keras.Sequential" or rewired(call.interp.text or ""):
        return UNKNOWN
    layers = _sequential_layers(call, model)
    if layers is None:
        return UNKNOWN
    if isinstance(index, Const) and type(index.value) is int and (name is None or name == Const(None)):
        return layers[index.value] if -len(layers) <= index.value < len(layers) else UNKNOWN
    if isinstance(name, Const) and isinstance(name.value, str):
        found = [layer for layer in layers if isinstance(layer, Layer) and layer.facts.get("name") == name.value]
        return found[0] if len(found) == 1 else UNKNOWN
    return UNKNOWN


def _pop(call, model):
    """`model.pop()`: a Keras Sequential model loses its last layer (and ends in the one before)."""
    if isinstance(model, Container) and model.kind == "keras.Sequential":
        if model.layers and model.layers[-1] is not UNKNOWN:
            model.layers.pop()
        else:
            model.layers[:] = [UNKNOWN]  # which layer is last now is not known
        return UNKNOWN
    return UNKNOWN


OBJECT_METHODS[("Container", "get_layer")] = _get_layer
OBJECT_METHODS[("Container", "pop")] = _pop
LAYER_CALLED["keras"] = record_call
