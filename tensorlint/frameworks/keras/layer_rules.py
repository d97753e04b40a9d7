"""Shape rules of Keras layers: what a layer makes of its input's shape. The table that names
the layers is `layer_table`."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Layer, MutableList, Seq, Tensor
from .. import shapes as S
from ..torch import flatten_shape
from .data_format import LAST, layer_format
from .tensors import keras_float


# -- layers -------------------------------------------------------------------------------

def _units(layer, key="units"):
    v = layer.facts.get(key)
    return v if S.known_int(v) else None


def dense(layer, x, call):
    return x.with_(shape=S.prefix(x.shape, 1) + (_units(layer),) if x.shape is not None else (ANY, _units(layer)), fw=_out_fw(x))


def _out_fw(x):
    return "keras" if x.fw == "keras" else "tf"


def _channels_last(layer) -> bool | None:
    """Whether the layer reads channels-last input; None when its format is not known."""
    fmt = layer_format(layer)
    return None if fmt is None else fmt == LAST


def _unplaced(x, n_dims=None):
    """The output of a layer whose format is not known: the batch dim, and `n_dims` more (the
    input's rank by default) whose sizes are not known."""
    n = x.rank - 1 if n_dims is None else n_dims
    return x.with_(shape=(x.shape[0],) + (None,) * n, fw=_out_fw(x))


def kconv(n):
    def transfer(layer, x, call):
        f = _units(layer, "filters")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("strides", 1), n)
        pad = layer.facts.get("padding", "valid")
        dl = S.tupled(layer.facts.get("dilation_rate", 1), n)
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        if last is None:
            return _unplaced(x)
        if last:
            sp = x.shape[1:1 + n]
            new = tuple(S.conv_out(sp[i], k[i], st[i], pad if isinstance(pad, str) else 0, dl[i]) for i in range(n))
            return x.with_(shape=(x.shape[0],) + new + (f,), fw=_out_fw(x))
        sp = x.shape[2:]
        new = tuple(S.conv_out(sp[i], k[i], st[i], pad if isinstance(pad, str) else 0, dl[i]) for i in range(n))
        return x.with_(shape=(x.shape[0], f) + new, fw=_out_fw(x))
    return transfer


def kpool(n, global_=False):
    def transfer(layer, x, call):
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        if last is None:
            return _unplaced(x, 1 if global_ else None)
        c = x.shape[-1] if last else x.shape[1]
        if global_:
            return x.with_(shape=(x.shape[0], c), fw=_out_fw(x))
        ps = S.tupled(layer.facts.get("pool_size", 2), n)
        st_raw = layer.facts.get("strides")
        st = S.tupled(st_raw if st_raw is not None else layer.facts.get("pool_size", 2), n)
        pad = layer.facts.get("padding", "valid")
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(S.conv_out(sp[i], ps[i], st[i], pad if isinstance(pad, str) else 0) for i in range(n))
        return x.with_(shape=(x.shape[0],) + new + (c,) if last else (x.shape[0], c) + new, fw=_out_fw(x))
    return transfer


def spatial_map(n, size_fn):
    """A layer that changes each spatial size on its own: size_fn(layer, size, axis) -> new size."""
    def transfer(layer, x, call):
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        if last is None:
            return _unplaced(x)
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(size_fn(layer, sp[i], i) if S.known_int(sp[i]) else None for i in range(n))
        c = _units(layer, "filters") if "filters" in layer.spec.params else (x.shape[-1] if last else x.shape[1])
        return x.with_(shape=(x.shape[0],) + new + (c,) if last else (x.shape[0], c) + new, fw=_out_fw(x))
    return transfer


def padding_pairs(v, n):
    """Keras padding/cropping arguments: 1 -> ((1, 1),)*n; (1, 2) -> ((1, 1), (2, 2)); ((1, 2), (3, 4)) as is."""
    if S.known_int(v):
        return ((v, v),) * n
    if isinstance(v, tuple) and len(v) == n:
        out = []
        for p in v:
            if S.known_int(p):
                out.append((p, p))
            elif isinstance(p, tuple) and len(p) == 2 and all(S.known_int(q) for q in p):
                out.append(p)
            else:
                return None
        return tuple(out)
    return None


def padded(sign):
    """ZeroPadding (sign 1) or Cropping (sign -1) of each spatial axis."""
    def fn(layer, size, i):
        pairs = padding_pairs(layer.facts.get("padding" if sign > 0 else "cropping", 1 if sign > 0 else 0), 2)
        return size + sign * sum(pairs[i]) if pairs is not None else None
    return fn


def kflatten(layer, x, call):
    return x.with_(shape=flatten_shape(x.shape, 1, -1) if x.rank and x.rank >= 2 else None, fw=_out_fw(x))


def kreshape(layer, x, call):
    target = layer.facts.get("target_shape")
    if isinstance(target, tuple) and x.rank:
        full = S.reshape(x.shape[1:], target) if all(S.known_int(d) for d in x.shape[1:]) else target
        return x.with_(shape=(x.shape[0],) + tuple(full or target), fw=_out_fw(x))
    return x.with_(shape=None, fw=_out_fw(x))


def kembedding(layer, x, call):
    d = _units(layer, "output_dim")
    return x.with_(shape=x.shape + (d,) if x.shape is not None else None, dtype=keras_float(call, computed=True), fw=_out_fw(x))


def krnn(layer, x, call):
    u = _units(layer)
    if x.rank != 3:
        return x.with_(shape=None, fw=_out_fw(x))
    if layer.facts.get("return_sequences") is True:
        return x.with_(shape=(x.shape[0], x.shape[1], u), fw=_out_fw(x))
    return x.with_(shape=(x.shape[0], u), fw=_out_fw(x))


def kid(layer, x, call):
    return x.with_(fw=_out_fw(x))




def kupsample(n):
    def transfer(layer, x, call):
        size = S.tupled(layer.facts.get("size", 2), n)
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        last = _channels_last(layer)
        if last is None:
            return _unplaced(x)
        sp = x.shape[1:1 + n] if last else x.shape[2:]
        new = tuple(d * k if S.known_int(d) and S.known_int(k) else None for d, k in zip(sp, size))
        shape = (x.shape[0],) + new + (x.shape[-1],) if last else (x.shape[0], x.shape[1]) + new
        return x.with_(shape=shape, fw=_out_fw(x))
    return transfer


def kconv_t(n):
    def transfer(layer, x, call):
        f = _units(layer, "filters")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("strides", 1), n)
        pad = layer.facts.get("padding", "valid")
        if x.rank != n + 2:
            return x.with_(shape=None, fw=_out_fw(x))
        if not _channels_last(layer):
            return _unplaced(x)
        sp = x.shape[1:1 + n]
        new = []
        for d, kk, ss in zip(sp, k, st):
            if not all(S.known_int(v) for v in (d, kk, ss)):
                new.append(None)
            elif pad == "same":
                new.append(d * ss)
            elif pad == "valid":
                new.append(d * ss + max(kk - ss, 0))
            else:
                new.append(None)
        return x.with_(shape=(x.shape[0],) + tuple(new) + (f,), fw=_out_fw(x))
    return transfer


def krepeat(layer, x, call):
    n = _units(layer, "n")
    if x.rank != 2:
        return x.with_(shape=None, fw=_out_fw(x))
    return x.with_(shape=(x.shape[0], n, x.shape[1]), fw=_out_fw(x))


def kbidirectional(layer, x, call):
    inner = layer.facts.get("layer")
    if not isinstance(inner, Layer) or inner.spec is None or inner.spec.transfer is None:
        return x.with_(shape=None, fw=_out_fw(x))
    out = inner.spec.transfer(inner, x, call)
    mode = layer.facts.get("merge_mode", "concat")
    if not isinstance(out, Tensor) or out.shape is None or mode != "concat":
        return out if mode in ("sum", "mul", "ave") else x.with_(shape=None, fw=_out_fw(x))
    last = out.shape[-1]
    return out.with_(shape=out.shape[:-1] + (last * 2 if S.known_int(last) else None,))


def merged_shape(shapes):
    """What Add/Multiply/... give: the inputs' dims after the batch dim broadcast from the right
    (a lower-rank input is expanded at axis 1), the batch dim kept; not NumPy broadcasting of
    whole shapes, which would align a batch dim with a size-1 dim of another input."""
    if any(s is None or not s or s[0] is ANY for s in shapes):
        shape = shapes[0]
        for s in shapes[1:]:
            shape = S.broadcast(shape, s)
        return shape
    tail = shapes[0][1:]
    for s in shapes[1:]:
        tail = S.broadcast(tail, s[1:])
        if tail is None:
            return None
    return (shapes[0][0],) + tail


def merge(concat=False):
    """Add/Multiply/... (and Concatenate along `axis`) of a list of tensors."""
    def transfer(layer, xs, call):
        from ..ops import concat_tensors

        parts = [t for t in (xs.items if isinstance(xs, (Seq, MutableList)) else ()) if isinstance(t, Tensor)]
        if not parts:
            return Tensor(shape=None, dtype=None, fw="keras", node=call.node, depth=call.depth)
        if concat:
            axis = layer.facts.get("axis", -1)
            out = concat_tensors(call, parts, axis if S.known_int(axis) else None, len(parts) == len(xs.items))
        else:
            out = parts[0].with_(shape=merged_shape([t.shape for t in parts]))
        return out.with_(fw="keras" if any(t.fw == "keras" for t in parts) else _out_fw(parts[0]))
    return transfer


def kzero_pad(layer, x, call):
    pad = layer.facts.get("padding", 1)
    if x.rank != 4:
        return x.with_(shape=None, fw=_out_fw(x))
    if not _channels_last(layer):
        return _unplaced(x)
    if S.known_int(pad):
        pads = ((pad, pad), (pad, pad))
    elif isinstance(pad, tuple) and len(pad) == 2 and all(S.known_int(p) for p in pad):
        pads = ((pad[0], pad[0]), (pad[1], pad[1]))
    elif isinstance(pad, tuple) and len(pad) == 2 and all(isinstance(p, tuple) and len(p) == 2 for p in pad):
        pads = pad
    else:
        return x.with_(shape=(x.shape[0], None, None, x.shape[3]), fw=_out_fw(x))
    new = tuple(d + a + b if S.known_int(d) and S.known_int(a) and S.known_int(b) else None
                for d, (a, b) in zip(x.shape[1:3], pads))
    return x.with_(shape=(x.shape[0],) + new + (x.shape[3],), fw=_out_fw(x))


def kpermute(layer, x, call):
    dims = layer.facts.get("dims")
    if x.rank is None or not isinstance(dims, tuple) or len(dims) != x.rank - 1 or not all(S.known_int(d) for d in dims):
        return x.with_(shape=None, fw=_out_fw(x))
    return x.with_(shape=(x.shape[0],) + tuple(x.shape[d] for d in dims), fw=_out_fw(x))


def dot_axes(axes, ranks) -> tuple | None:
    """Dot's `axes` as one non-negative axis per input (Keras counts the batch axis as axis 0 and
    takes a negative axis modulo the input's rank), or None when not known."""
    if S.known_int(axes):
        pair = (axes, axes)
    elif isinstance(axes, tuple) and len(axes) == 2 and all(S.known_int(a) for a in axes):
        pair = axes
    else:
        return None
    out = []
    for a, rank in zip(pair, ranks):
        if a < 0:
            if rank is None:
                return None
            a %= rank
        out.append(a)
    return tuple(out)


def kdot(layer, xs, call):
    """`Dot(axes)([a, b])`: a batched dot product; the dims of `a` but its axis, then those of `b`
    but its batch and its axis; a rank-1 result gets a trailing 1."""
    items = xs.items if isinstance(xs, (Seq, MutableList)) else ()
    if len(items) != 2 or not all(isinstance(t, Tensor) for t in items):
        return Tensor(shape=None, dtype=None, fw="keras", node=call.node, depth=call.depth)
    a, b = items
    axes = dot_axes(layer.facts.get("axes"), (a.rank, b.rank))
    if axes is None or 0 in axes or a.rank is None or b.rank is None:
        return a.with_(shape=None, fw=_out_fw(a))
    shape = tuple(d for i, d in enumerate(a.shape) if i != axes[0]) + tuple(
        d for i, d in enumerate(b.shape) if i not in (0, axes[1]))
    return a.with_(shape=shape + (1,) if len(shape) == 1 else shape, fw=_out_fw(a))


def klambda(layer, x, call):
    """A `Lambda` layer: its output stays unknown (the function is the program's own); when a rule
    listens, the shape the function computes is compared with the `output_shape` it declares."""
    interp = call.interp
    if not interp.muted and interp.wants("lambda_shape"):
        from .lambda_shape import lambda_shapes

        found = lambda_shapes(layer, call)
        if found is not None:
            interp.emit("lambda_shape", found)
    return UNKNOWN
