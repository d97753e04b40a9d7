"""Where a Keras model's output got an axis its targets lack.

A compiled loss that fails on an output of one axis more than its targets (`[32, 10000, 28, 28]`
against `[32, 28, 28]`) fails in the loss, at the line of the `fit`; the axis was made by a layer
of the model. When the output is the targets' shape with one axis put in, that axis's size is no
size of the model's inputs, and one layer of the forward pass put it in (its input has another
rank, every layer after it keeps the axis), the error is also said at the line that made that
layer. An axis the data carries (a time axis of the input kept by a recurrent layer), an axis a
layer only resized, and an output whose other axes differ from the targets' name no layer.
"""
from __future__ import annotations


def shapes(value) -> tuple[int, ...] | None:
    """The static shape of a tensor or array, all sizes known; None otherwise."""
    try:
        return tuple(int(d) for d in value.shape)
    except (AttributeError, TypeError, ValueError):
        return None


def layer_shapes(calls, children) -> list[tuple]:
    """(line that made the layer or None, its type, input shape, output shape) of each leaf layer
    called in a forward pass (a layer with no layers of its own), in the order they ran."""
    out = []
    for _row, layer, args, _kwargs, value in calls:
        try:
            if children(layer):
                continue
        except Exception:  # noqa: BLE001 - a layer whose children cannot be listed counts as none
            continue
        out.append((getattr(layer, "_tensorlint_made_at", None), type(layer).__name__,
                    shapes(args[0]) if args else None, shapes(value)))
    return out


def inserted_axis(output: tuple, targets: tuple) -> int | None:
    """The position of the one axis (not the batch axis) that `output` has and `targets` lack,
    when removing it gives the targets' shape; None otherwise."""
    if len(output) != len(targets) + 1 or len(targets) < 1:
        return None
    for p in range(1, len(output)):
        if output[:p] + output[p + 1:] == targets:
            return p
    return None


def axis_maker(leaves: list[tuple], inputs: list, output: tuple, p: int) -> tuple | None:
    """The leaf layer that put axis `p` into the model's output: the last one whose input has
    another rank while its output and every later output have the axis. None when the inputs have
    an axis of that size, or the layer that first has the axis only resized one it was given."""
    size = output[p]
    for shape in inputs:
        if shape is None or size in shape[1:]:
            return None

    def has(shape) -> bool:
        return shape is not None and len(shape) == len(output) and shape[p] == size

    maker = None
    for leaf in leaves:
        line, _kind, given, made = leaf
        if not has(made):
            maker = None
        elif maker is None:
            if given is None or len(given) == len(output) or line is None:
                return None  # a layer that only resizes an axis it was given puts none in
            maker = leaf
    return maker


def place_extra_axis(error: dict, leaves: list[tuple] | None, inputs: list, targets, output) -> None:
    """Add to a compiled loss's `error` the line of the layer that made the output's extra axis."""
    out_shape, target_shape = shapes(output), shapes(targets)
    if not leaves or out_shape is None or target_shape is None or leaves[-1][3] != out_shape:
        return
    p = inserted_axis(out_shape, target_shape)
    if p is None:
        return
    maker = axis_maker(leaves, inputs, out_shape, p)
    if maker is None:
        return
    line, kind, _given, made = maker
    text = (f"the model's output {list(out_shape)} has an axis of {out_shape[p]} that the targets {list(target_shape)} "
            f"lack and its inputs do not have: the {kind} layer made at line {line} puts it there (its output "
            f"{list(made)})")
    error.setdefault("frames", []).append({"line": line, "function": f"the {kind} layer"})
    error["line"] = line
    error["summary"] = f"{error.get('summary', '')} ({text})"
