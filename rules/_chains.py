"""The framework layers a tensor went through, read back from the layer calls a rule noted while
the program ran (`note_call`), for rules that judge a model by its last layers."""
from __future__ import annotations

import libcst as cst

from tensorlint.values import Container, Layer, Tensor


def note_call(ctx, ev, key: str) -> bool:
    """Note a direct call of a layer or model on a tensor under `key` (kept per chunk across
    edits): what `layer_chain` reads. True when the call was noted."""
    layer = ev.layer
    x = ev.args[0] if ev.args else None
    direct = ev.container is None or ev.container is layer
    if direct and isinstance(x, Tensor) and isinstance(ev.node, cst.Call):
        # a model's forward (a user module) is noted as such: what it returns is followed through
        ctx.mark(key, (id(ev.node), (layer if isinstance(layer, (Layer, Container)) else None, x)))
        return True
    return False


def expand(value) -> list | None:
    """The framework layers of a layer or a plain sequential container, first to last; None when
    something inside is not a framework layer."""
    if isinstance(value, Layer):
        return [value]
    if isinstance(value, Container) and value.kind in ("keras.Sequential", "torch.nn.Sequential") and value.layers:
        out = []
        for item in value.layers:
            sub = expand(item)
            if sub is None:
                return None
            out.extend(sub)
        return out
    return None


def layer_chain(ctx, t, key: str, partial=False) -> list | None:
    """The framework layers that made `t`, first to last, when `t` is the input passed through
    layer calls only (no other operation anywhere on the way); None otherwise. `partial`: the
    layers back to the first value that no layer call made, whatever made it. `key`: where
    `note_call` noted the calls."""
    calls = ctx.marked_map(key)
    layers: list = []
    seen = 0
    while isinstance(t, Tensor) and seen < 200:
        seen += 1
        rec = None
        if t.origin is not None and (t.node is t.origin or (id(t.node) in calls and calls[id(t.node)][0] is None
                                                             and t.activation == "linear")):
            # made by the layer call itself, or returned unchanged from a module's forward
            rec = calls.get(id(t.origin))
        if rec is not None and rec[0] is None:
            return layers if partial else None  # the origin is a module's forward call itself: not a layer
        if rec is None:
            if partial:
                return layers
            # reached a tensor no layer made: the whole path counts only from the raw input
            return layers if not t.models and t.node is not None else None
        sub = expand(rec[0])
        if sub is None:
            return layers if partial else None
        layers[:0] = sub
        t = rec[1]
    return layers if partial else None
