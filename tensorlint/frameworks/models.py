"""Layers, containers and models called with values; their attributes and methods."""
from __future__ import annotations

from ..values import UNKNOWN, Const, Container, Instance, Layer, Loss, MutableList, Seq, Tensor, Value
from .registry import LAYER_CALLED, MODEL_CALLS, OBJECT_METHODS
from .common import UNKNOWN_INPUT_MODELS, dtype_of, grad_models, grad_of
from .ops import emit_join
from . import devices, layout as L


# -- layers, containers and models --------------------------------------------------------------

def call_layer(call, layer: Value) -> Value:
    """Calling a framework layer or a Sequential/functional model with values."""
    interp = call.interp
    from ..events import LayerCall, Site

    x = call.args[0] if call.args else UNKNOWN
    if isinstance(layer, Container) and call.args:
        model_call = MODEL_CALLS.get(layer.fw)
        if model_call is not None:  # a Keras model called on a tensor
            return model_call(call, layer)
    if isinstance(layer, Layer) and layer.spec is not None and layer.spec.category == "opaque":
        return layer.spec.transfer(layer, x, call)  # known only by its role: nothing to check its input against
    site = call.site(x)
    first = _first_layer(layer)
    if interp.wants("layer_call"):
        interp.emit("layer_call", LayerCall(layer, call.args, call.kwargs, call.node, site, sublayer=first,
                                            container=layer if first is not layer else None))
    if isinstance(layer, Layer):
        out = devices.module_output(layer, apply_layer(call, layer, x))
        called = LAYER_CALLED.get(layer.fw)
        if called is not None:
            called(layer, x, out)  # (Keras' functional API: `layer.output` is this call's)
        return out
    if isinstance(layer, Container) and layer.kind == "torch.nn.Sequential":
        return devices.module_output(layer, run_sequential(call, layer, x))
    return UNKNOWN


def run_sequential(call, seq: Container, x: Value) -> Value:
    """Push `x` through the layers of an nn.Sequential; a layer that receives the wrong shape
    from the one before it is reported at its own definition."""
    interp = call.interp
    from ..events import LayerCall, Site

    value = x
    for i, sub in enumerate(seq.layers):
        if i > 0 and isinstance(value, Tensor) and interp.wants("layer_call"):
            node = getattr(sub, "node", None) or call.node
            interp.emit("layer_call", LayerCall(sub, [value], {}, call.node, Site(node, None, None),
                                                sublayer=_first_layer(sub), container=seq))
        before = value
        value = apply_any(call, sub, value)
        if not isinstance(value, Tensor) and i + 1 < len(seq.layers):
            # a layer not modeled (one of this Sequential's modules): its output is not known, the
            # layers after it still apply, and it is computed from the input
            models = before.models if isinstance(before, Tensor) else frozenset()
            value = Tensor(shape=None, dtype=None, fw=seq.fw, node=call.node, depth=call.depth, models=models)
    return value


def _first_layer(layer: Value) -> Value:
    seen = 0
    while isinstance(layer, Container) and layer.layers and seen < 32:
        layer = layer.layers[0]
        seen += 1
    return layer


def apply_any(call, layer: Value, x: Value) -> Value:
    if isinstance(layer, Layer):
        return apply_layer(call, layer, x)
    if isinstance(layer, Container) and layer.kind == "torch.nn.Sequential":
        interp = call.interp
        interp.muted += 1
        try:
            return run_sequential(call, layer, x)
        finally:
            interp.muted -= 1
    if isinstance(layer, Instance):
        interp = call.interp
        inner = call.with_args([x])
        interp.muted += 1
        try:
            return interp.call_instance(layer, inner)
        finally:
            interp.muted -= 1
    return UNKNOWN


def apply_layer(call, layer: Layer, x: Value) -> Value:
    spec = layer.spec
    if spec is None or spec.transfer is None:
        return UNKNOWN
    if spec.category == "opaque":
        return spec.transfer(layer, x, call)
    if spec.category == "merge":  # Add()([a, b]), Concatenate()([a, b]): a list of tensors
        if layer.short == "Concatenate":
            emit_join(call, layer.kind, x, layer.facts.get("axis", -1))
        parts = [t for t in (x.items if isinstance(x, (Seq, MutableList)) else ()) if isinstance(t, Tensor)]
        out = spec.transfer(layer, x, call)
        if isinstance(out, Tensor):
            return out.with_(node=call.node, depth=call.depth, name=None, origin=call.node, activation="linear",
                             requires_grad=grad_of(*parts) if parts else None, param=False, magnitude=None,
                             onehot=False, labels=False, nan=False, tapes=call.interp.tapes, models=grad_models(*parts))
        return out
    if not isinstance(x, Tensor):
        # an input of unknown value: it may be another network's output
        x = Tensor(shape=None, dtype=None, fw=layer.fw, node=call.node, depth=call.depth, models=frozenset({UNKNOWN_INPUT_MODELS}))
    out = spec.transfer(layer, x, call)
    interp = call.interp
    if isinstance(out, Tensor):
        dtype = out.dtype
        if spec.float_input or spec.int_input or (layer.fw == "keras" and spec.category == "layer"):
            # Keras layers with weights cast their inputs to their own dtype
            dtype = layer.dtype if spec.category != "activation" else out.dtype
        if spec.category == "layer" or _learned_scale(layer):
            grad = False if interp.no_grad else True
        else:
            grad = x.requires_grad
        act = layer.facts.get("activation")
        if spec.category == "activation" and isinstance(act, str) and act.lower() == "linear":
            act = x.activation  # Activation("linear") is the identity
        if act is not None and not isinstance(act, str):
            act = None  # a function the tables do not name: not known
        elif not isinstance(act, str):
            if spec.activation:
                act = spec.activation
            elif spec.category == "layer" and not (layer.fw == "keras" and layer.short in _KERAS_KEEP_ACTIVATION):
                act = "linear"
            else:  # Dropout, Flatten, Identity: the input's activation passes through
                act = x.activation
        out = out.with_(node=call.node, depth=call.depth, name=None, dtype=dtype, requires_grad=grad,
                        param=False, magnitude=None, onehot=False, labels=False, normalized=True, nan=False,
                        origin=call.node, activation=act.lower() if isinstance(act, str) else None,
                        tapes=interp.tapes, models=x.models | {id(layer)})
        # a linear layer or an embedding writes its output into a new contiguous tensor, whatever its input
        return L.contiguous(out) if layer.kind in _CONTIGUOUS_OUTPUT else out
    return out


_CONTIGUOUS_OUTPUT = frozenset(("torch.nn.Linear", "torch.nn.Embedding"))
# Keras layers without weights that reshape, drop or perturb their input's values: the output
# keeps the input's activation (a sigmoid output reshaped to the image shape is still a sigmoid
# output), as a Sequential model's output layer is found past them
_KERAS_KEEP_ACTIVATION = frozenset(("Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                                    "ActivityRegularization", "Flatten", "Reshape"))

# Keras normalizations that pass their input's activation on (category "activation") yet learn a
# scale (gamma) and an offset (beta) unless built with scale=False and center=False
_KERAS_AFFINE_NORMS = frozenset(("BatchNormalization", "LayerNormalization"))


def _learned_scale(layer: Layer) -> bool:
    """A Keras BatchNormalization or LayerNormalization with a trainable scale or offset: its
    output depends differentiably on its own weights, whatever its input (a loss on
    `BatchNormalization()(x)` of a constant `x` still has gradients for gamma and beta)."""
    if layer.fw != "keras" or layer.short not in _KERAS_AFFINE_NORMS or layer.facts.get("trainable") is False:
        return False
    return layer.facts.get("center", True) is not False or layer.facts.get("scale", True) is not False


# constructor arguments a layer keeps as attributes of the same name and value
LAYER_ATTRIBUTES = frozenset((
    "in_features", "out_features", "in_channels", "out_channels", "num_features", "hidden_size", "input_size",
    "num_layers", "embedding_dim", "num_embeddings", "embed_dim", "num_heads", "units", "filters", "output_dim",
    "input_dim", "rate", "p",
))


def layer_attribute(layer: Layer, attr: str) -> Value:
    """`fc.in_features`, `dense.units`: the value the constructor was given, when it is known."""
    v = layer.facts.get(attr)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return Const(v)
    return UNKNOWN


def expected_inputs(layer: Value, t: Tensor) -> list:
    if isinstance(layer, Layer) and layer.spec is not None and layer.spec.expects is not None:
        try:
            return layer.spec.expects(layer, t) or []
        except Exception:
            return []
    return []


def container_method(call, obj: Value, name: str) -> Value:
    fn = OBJECT_METHODS.get((type(obj).__name__, name)) or OBJECT_METHODS.get(("*model", name))
    if fn is not None:
        return fn(call, obj)
    if name in ("to", "cuda", "cpu", "train", "eval", "float", "double", "half", "requires_grad_", "apply", "type"):
        return _module_cast(call, obj, name)
    if name in ("parameters", "named_parameters", "trainable_variables", "trainable_weights"):
        return ParamsV(obj)
    if name == "forward" and isinstance(obj, (Layer, Container)):
        return call_layer(call, obj)
    return UNKNOWN


class ParamsV(Value):
    __slots__ = ("model",)

    def __init__(self, model):
        self.model = model


def _module_cast(call, obj, name):
    target = None
    if name == "double":
        target = "float64"
    elif name in ("float",):
        target = "float32"
    elif name == "half":
        target = "float16"
    elif name in ("to", "type"):
        for v in list(call.args) + list(call.kwargs.values()):
            d = dtype_of(v)
            if d:
                target = d
    if target is not None:
        _set_dtype(obj, target)
    if name == "requires_grad_":
        _set_trainable(obj, call.const(0, "requires_grad", True))
    if name == "cuda":
        devices.move_module(obj, "cuda")
    elif name in ("cpu", "to", "type"):
        kinds = [devices.kind_of(v) for v in list(call.args) + list(call.kwargs.values()) if dtype_of(v) is None]
        if name != "to" or kinds:  # (`.to(torch.float64)` does not move it)
            devices.move_module(obj, "cuda" if name == "to" and "cuda" in kinds else None)
    return obj


def _set_dtype(obj, dtype):
    for module in devices.submodules(obj):
        module.dtype = dtype


def _set_trainable(obj, flag):
    """`model.requires_grad_(False)`: the parameters of every submodule stop requiring gradients
    (`layer.weight` then is no leaf that autograd records); a flag the program does not settle
    leaves it unknown."""
    for module in devices.submodules(obj):
        if isinstance(module, Layer):
            module.facts["_requires_grad"] = flag if isinstance(flag, bool) else None


def object_method(call, obj: Value, name: str) -> Value:
    fn = OBJECT_METHODS.get((type(obj).__name__, name))
    if fn is not None:
        return fn(call, obj)
    if isinstance(obj, Loss) and obj.fw == "torch" and name in ("to", "cuda", "cpu"):
        return obj  # a loss module moved to a device (`nn.CrossEntropyLoss().to(device)`) is the same loss
    return UNKNOWN


def model_dtype(model: Value) -> str | None:
    return getattr(model, "dtype", None)


