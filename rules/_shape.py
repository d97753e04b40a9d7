"""The check TL201 (channels) and TL202 (features) share: a layer's input expectations."""
from __future__ import annotations

from tensorlint.frameworks import expected_inputs
from tensorlint.values import Layer, Tensor, shape_list

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
