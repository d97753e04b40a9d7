"""The check TL201 (channels) and TL202 (features) share: a layer's input expectations."""
from __future__ import annotations

from tensorlint.frameworks import expected_inputs
from tensorlint.values import Container, Layer, Tensor, shape_list

from ._common import layer_label, related_for, value_name
from tensorlint.frameworks.shapes import known_int


def check_expectations(rule, ctx, ev, kind: str) -> None:
    layer = ev.sublayer
    x = ev.args[0] if ev.args else None
    if not isinstance(layer, Layer) or not isinstance(x, Tensor):
        return
    for exp in expected_inputs(layer, x):
        if exp.kind != kind:
            continue
        got = x.dim(exp.axis)
        if not known_int(got) or got == exp.size:
            continue
        what = "input channels" if kind == "channels" else "input features"
        if x.shape is not None and x.rank is not None:
            has = f"{value_name(ctx, x)} has shape {shape_list(x.shape)}"
        else:
            has = f"{value_name(ctx, x)} has {got} at dim {exp.axis}"
        where = "" if ev.container is None or ev.sublayer is ev.layer else f" (the first layer of {layer_label(ctx, ev.container)})"
        ctx.report(
            rule, ev.site.node,
            f"{layer_label(ctx, layer)}{where} expects {exp.size} {what} (`{exp.param}`); {has}",
            related=related_for(layer, x),
        )
        return


def known_shape(t) -> bool:
    """Every dim of the tensor is known (an int, or the batch symbol)."""
    return isinstance(t, Tensor) and t.rank is not None and all(known_int(d) or isinstance(d, str) for d in t.shape)


def shape_of(ctx, t) -> str:
    """"`x` [N, 1, 28, 28] (line 4)": a value with its shape, for messages."""
    line = ctx.line(t.origin) if t.origin is not None else None
    where = f" (line {line})" if line else ""
    shape = shape_list(tuple("N" if isinstance(d, str) else d for d in t.shape)) if t.shape is not None else "[?]"
    if t.name:
        return f"`{t.name}` {shape}{where}"
    what = "the model output" if t.models else "the tensor"
    return f"{what} {shape}{where}" if line else f"{what} {shape}"


def keras_trace(ctx, model, x=None):
    """The layers of a Keras `Sequential` model as a list of (layer, the value it receives), and the
    model's output: fed `x`, or, when the model declares its input shape, a batch of that shape
    (Keras builds the layers from the declaration). ([], None) when the model is not understood."""
    from tensorlint.frameworks import apply_any
    from tensorlint.api import CallInfo

    if not isinstance(model, Container) or model.kind != "keras.Sequential" or not model.layers:
        return [], None
    batch = x.dim(0) if isinstance(x, Tensor) and x.rank else None
    if model.input_shape is not None:
        given = isinstance(x, Tensor) and x.shape is not None and tuple(x.shape[1:]) == tuple(model.input_shape)
        declared_at = getattr(model.layers[0], "node", None) or model.node
        x = Tensor(shape=(batch if known_int(batch) else "B",) + tuple(model.input_shape), dtype="float32", fw="keras",
                   node=model.node, origin=x.origin if given else declared_at, name=x.name if given else "input_shape")
    elif not isinstance(x, Tensor) or x.shape is None:
        return [], None
    call = CallInfo(ctx, model.node, ctx.root, [x], {}, [None], {})
    steps, value = [], x.with_(fw="tf") if x.fw == "np" else x
    ctx.muted += 1
    try:
        for layer in model.layers:
            steps.append((layer, value))
            value = apply_any(call, layer, value)
            if not isinstance(value, Tensor):
                return steps, None
    finally:
        ctx.muted -= 1
    return steps, value


def model_output(ctx, model, x):
    """What a subclassed Keras model (`class M(keras.Model)` with `call`) returns for `x`, run
    without events; None when unknown."""
    from tensorlint.frameworks import apply_any
    from tensorlint.api import CallInfo
    from tensorlint.values import Instance

    if not isinstance(model, Instance) or model.cls.kind != "keras.model" or not isinstance(x, Tensor):
        return None
    call = CallInfo(ctx, model.node, ctx.root, [x], {}, [None], {})
    out = apply_any(call, model, x.with_(fw="tf") if x.fw == "np" else x)  # runs muted
    return out if isinstance(out, Tensor) else None


def layer_inputs(ctx, ev):
    """(layer, input, node to report) for each framework layer a `layer_call` or `fit` event shows
    receiving a tensor: the layer called directly (or the first layer of a model), and every layer
    of a Keras Sequential model traced from its data or declared input shape."""
    from tensorlint.events import FitCall

    if isinstance(ev, FitCall) or getattr(ev, "model", None) is not None:
        steps, _ = keras_trace(ctx, ev.model, getattr(ev, "x", None))
        return [(layer, x, layer.node or ev.node) for layer, x in steps if isinstance(layer, Layer) and isinstance(x, Tensor)]
    layer = ev.sublayer
    x = ev.args[0] if ev.args else None
    if isinstance(layer, Layer) and isinstance(x, Tensor):
        return [(layer, x, ev.site.node)]
    return []


def layer_related(layer, x):
    return [(n, m) for n, m in ((layer.node, f"{layer.short} defined here"), (x.origin, "the input is made here")) if n is not None]


class LayerInputs:
    """Rule mixin: `check(ctx, layer, x, node)` for every (layer, input) `layer_inputs` finds, in
    layer calls, Keras models as they are built, compiled, fitted and called."""

    def check(self, ctx, layer, x, node):  # pragma: no cover - defined by the rule
        raise NotImplementedError

    def _each(self, ctx, ev):
        for layer, x, node in layer_inputs(ctx, ev):
            self.check(ctx, layer, x, node)

    def on_layer_call(self, ctx, ev):
        self._each(ctx, ev)

    def on_fit(self, ctx, ev):
        self._each(ctx, ev)

    def on_compile(self, ctx, ev):
        self._each(ctx, ev)

    def on_model(self, ctx, ev):
        self._each(ctx, ev)
