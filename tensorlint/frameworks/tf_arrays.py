"""TensorFlow functions that cut, select, normalize and augment as scripts call them, TF1 and
TF2: `tf.assign` (the variable's value after it), `tf.nn.l2_loss`, `tf.slice`, `tf.boolean_mask`,
`tf.gather_nd`, `tf.norm` / `tf.nn.moments` / `tf.clip_by_global_norm`, `tf.tensordot`,
`tf.nn.xw_plus_b`, `tf.nn.top_k` / `tf.nn.in_top_k`, `tf.sequence_mask`, `tf.broadcast_to`,
`tf.linspace`, `tf.meshgrid`, `tf.random.categorical`, and the `tf.image` functions that keep or
set an image's size (`convert_image_dtype`, the random and adjust augmentations, TF1's
`resize_images`, `crop_to_bounding_box`, `rgb_to_grayscale`). TensorFlow never promotes dtypes
between operands. A length that depends on the data (`boolean_mask`) stays unknown. Each is
checked against TensorFlow in tests/differential/test_tf_arrays.py."""
from __future__ import annotations

from ..values import ANY, UNKNOWN, Const, MutableList, Seq, Tensor
from . import axes as A, shapes as S
from .common import derive, dtype_arg, grad_models, grad_of, make, shape_value
from .ops import reduce_shape
from .registry import CALLS, register_aliases

FRESH = dict(param=False, onehot=False, activation=None, scale=None, magnitude=None, span=None, normalized=False)


def tensor(call, index, name):
    v = call.arg(index, name)
    return v if isinstance(v, Tensor) and v.fw in ("tf", "keras") else None


def computed(x, call, shape, dtype="same", *others, **kw):
    ts = (x, *others)
    facts = {**FRESH, "requires_grad": grad_of(*ts), "models": grad_models(*ts), **kw}
    return derive(x, call, shape=shape, dtype=x.dtype if dtype == "same" else dtype, **facts)


def moved(x, call, shape, dtype="same"):
    return derive(x, call, shape=shape, dtype=x.dtype if dtype == "same" else dtype, param=False)


def tf_new(call, shape, dtype):
    return make(call, shape, dtype, "tf")


def assign(call):
    """tf.assign(ref, value) / assign_add / assign_sub: the variable's value after the update."""
    ref = tensor(call, 0, "ref")
    if ref is None:
        return UNKNOWN
    return derive(ref, call, param=False, onehot=False, span=None, magnitude=None)


def l2_loss(call):
    x = tensor(call, 0, "t")
    return computed(x, call, ()) if x is not None else UNKNOWN


def tf_slice(call):
    x = tensor(call, 0, "input_")
    if x is None:
        return UNKNOWN
    begin, size = A.int_tuple(call.arg(1, "begin")), A.int_tuple(call.arg(2, "size"))
    sx = A.dims(x)
    if size is None or sx is not None and len(size) != len(sx):
        return moved(x, call, None if size is None else (None,) * len(size))
    out = []
    for i, n in enumerate(size):
        if n != -1:
            out.append(n)
        elif sx is not None and begin is not None and len(begin) == len(sx) and S.known_int(sx[i]):
            out.append(sx[i] - begin[i])
        else:
            out.append(None)
    return moved(x, call, tuple(out))


def convert_image_dtype(call):
    x = tensor(call, 0, "image")
    if x is None:
        return UNKNOWN
    return computed(x, call, x.shape, dtype_arg(call, 1, None, "tf"))


def same_as(*names):
    """Functions that keep their input's shape and dtype (image augmentations, `swish`,
    `clip_by_norm`), the input named one of `names` or given first."""
    def fn(call):
        x = next((t for t in (tensor(call, 0, n) for n in names) if t is not None), None)
        return computed(x, call, x.shape) if x is not None else UNKNOWN
    return fn


same_image = same_as("image", "images")


def boolean_mask(call):
    x, mask = tensor(call, 0, "tensor"), call.arg(1, "mask")
    axis = call.const(2, "axis", 0)
    if x is None:
        return UNKNOWN
    sx, sm = A.dims(x), A.dims(mask) if isinstance(mask, Tensor) else None
    if axis is None:
        axis = 0
    if sx is None or sm is None or not S.known_int(axis) or not sm or not 0 <= axis % max(len(sx), 1) <= len(sx) - len(sm):
        return moved(x, call, None)
    a = axis % len(sx)
    return moved(x, call, sx[:a] + (None,) + sx[a + len(sm):])


def gather_nd(call):
    x, idx = tensor(call, 0, "params"), call.arg(1, "indices")
    if x is None:
        return UNKNOWN
    sx, si = A.dims(x), A.dims(idx) if isinstance(idx, Tensor) else None
    if call.const(None, "batch_dims", 0) != 0 or len(call.args) > 3 or sx is None or not si or not S.known_int(si[-1]) \
            or si[-1] > len(sx):
        return moved(x, call, None)
    return moved(x, call, si[:-1] + sx[si[-1]:])


def norm(call):
    x = tensor(call, 0, "tensor")
    if x is None:
        return UNKNOWN
    axis = call.arg(2, "axis")
    keep = call.const(3, "keepdims", False)
    keep = False if keep is None else keep
    if A.is_none(axis):
        shape = () if keep is False else (1,) * len(x.shape) if keep is True and A.dims(x) is not None else None
    else:
        ax = A.int_tuple(axis)
        shape = reduce_shape(x.shape, ax[0] if isinstance(axis, Const) else ax, keep) \
            if ax is not None and isinstance(keep, bool) and len(ax) in (1, 2) else None
    return computed(x, call, shape)


def moments(call):
    x = tensor(call, 0, "x")
    if x is None:
        return UNKNOWN
    ax = A.int_tuple(call.arg(1, "axes"))
    keep = call.const(None, "keepdims", False)
    if keep is False and call.kwargs.get("keep_dims") is not None:
        keep = call.const(None, "keep_dims", False)
    shape = reduce_shape(x.shape, ax, keep) if ax is not None and isinstance(keep, bool) else None
    part = computed(x, call, shape)
    return Seq("tuple", (part, part))


def clip_by_global_norm(call):
    seq = call.arg(0, "t_list")
    items = seq.items if isinstance(seq, (Seq, MutableList)) else None
    ts = [t for t in items or () if isinstance(t, Tensor)]
    if items is not None and len(ts) == len(items) and ts:
        clipped = Seq("list", tuple(computed(t, call, t.shape) for t in ts))
        dtypes = {t.dtype for t in ts}
        total = tf_new(call, (), dtypes.pop() if len(dtypes) == 1 else None)
    else:
        clipped, total = UNKNOWN, tf_new(call, (), None)
    return Seq("tuple", (clipped, total))


def tensordot(call):
    a, b = tensor(call, 0, "a"), tensor(call, 1, "b")
    axes = call.arg(2, "axes")
    if a is None or b is None:
        return UNKNOWN
    sa, sb = A.dims(a), A.dims(b)
    d = a.dtype if a.dtype == b.dtype else None
    n = A.const_int(axes)
    shape = None
    if sa is not None and sb is not None:
        if n is not None and 0 <= n <= min(len(sa), len(sb)):
            shape = sa[:len(sa) - n] + sb[n:]
        elif isinstance(axes, (Seq, MutableList)) and len(axes.items) == 2:
            pa, pb = (A.int_tuple(v) for v in axes.items)
            if pa is not None and pb is not None and len(pa) == len(pb):
                ia, ib = {A.axis_of(sa, i) for i in pa}, {A.axis_of(sb, i) for i in pb}
                if None not in ia and None not in ib and len(ia) == len(pa) and len(ib) == len(pb):
                    shape = tuple(x for i, x in enumerate(sa) if i not in ia) + tuple(x for i, x in enumerate(sb) if i not in ib)
    return computed(a, call, shape, d, b)


def xw_plus_b(call):
    x, w, b = tensor(call, 0, "x"), tensor(call, 1, "weights"), call.arg(2, "biases")
    if x is None or w is None:
        return UNKNOWN
    sx, sw = A.dims(x), A.dims(w)
    shape = (sx[0], sw[1]) if sx is not None and sw is not None and len(sx) == 2 == len(sw) else None
    return computed(x, call, shape, x.dtype if x.dtype == w.dtype else None, w, *([b] if isinstance(b, Tensor) else []))


def top_k(call):
    x = tensor(call, 0, "input")
    k = call.const(1, "k", 1)
    if x is None:
        return UNKNOWN
    sx = A.dims(x)
    shape = sx[:-1] + (k,) if sx and S.known_int(k) else None
    return Seq("tuple", (computed(x, call, shape), computed(x, call, shape, "int32", requires_grad=False)))


def in_top_k(call):
    """tf.nn.in_top_k (TF1: predictions, targets, k; TF2: targets, predictions, k): one bool per
    target."""
    a, b = call.arg(0, "predictions"), call.arg(1, "targets")
    targets = next((t for t in (a, b) if isinstance(t, Tensor) and A.dims(t) is not None and len(t.shape) == 1), None)
    if targets is None:
        return tf_new(call, (None,), "bool")
    return computed(targets, call, targets.shape, "bool", requires_grad=False)


def sequence_mask(call):
    lengths = call.arg(0, "lengths")
    maxlen = call.const(1, "maxlen")
    d = dtype_arg(call, 2, "bool", "tf")
    lead = A.dims(lengths) if isinstance(lengths, Tensor) else () if isinstance(lengths, Const) else \
        (len(lengths.items),) if isinstance(lengths, (Seq, MutableList)) and A.int_tuple(lengths) is not None else None
    if lead is None:
        return tf_new(call, None, d)
    return tf_new(call, lead + (maxlen if S.known_int(maxlen) else None,), d)


def to_shape(name, shape_name):
    """tf.broadcast_to(input, shape) / tf.image.random_crop(value, size): the values in the shape given."""
    def fn(call):
        x = tensor(call, 0, name)
        shape = call.arg(1, shape_name)
        if x is None or shape is None:
            return UNKNOWN
        return moved(x, call, shape_value(shape))
    return fn


def placeholder_with_default(call):
    x = tensor(call, 0, "input")
    shape = call.arg(1, "shape")
    if x is None:
        return UNKNOWN
    return moved(x, call, shape_value(shape) if shape is not None and not A.is_none(shape) else None)


def linspace(call):
    start, num = call.arg(0, "start"), call.const(2, "num")
    d = "float32" if isinstance(start, Const) and isinstance(start.value, float) else \
        start.dtype if isinstance(start, Tensor) and start.dtype in ("float32", "float64") else None
    return tf_new(call, (num if S.known_int(num) else None,), d)


def meshgrid(call):
    xs = list(call.args)
    if not xs or not all(isinstance(x, Tensor) and x.fw == "tf" and A.dims(x) is not None and len(x.shape) == 1
                         for x in xs):
        return UNKNOWN
    indexing = call.const(None, "indexing", "xy")
    if indexing not in ("xy", "ij"):
        return UNKNOWN
    sizes = [x.shape[0] for x in xs]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return Seq("list", tuple(moved(x, call, tuple(sizes)) for x in xs))


def categorical(dtype_index, dtype_name):
    """tf.random.categorical(logits, num_samples, dtype) and TF1's tf.multinomial(logits,
    num_samples, seed, name, output_dtype): [batch, num_samples] class ids, int64 by default."""
    def fn(call):
        logits = tensor(call, 0, "logits")
        n = call.const(1, "num_samples")
        d = dtype_arg(call, dtype_index, "int64", "tf", dtype_name)
        rows = logits.dim(0) if logits is not None and A.dims(logits) and len(logits.shape) == 2 else None
        return tf_new(call, (rows, n if S.known_int(n) else None), d)
    return fn


def crop_to_bounding_box(call):
    x = tensor(call, 0, "image")
    if x is None:
        return UNKNOWN
    h, w = call.const(3, "target_height"), call.const(4, "target_width")
    sx = A.dims(x)
    if sx is None or len(sx) not in (3, 4):
        return moved(x, call, None)
    return moved(x, call, sx[:-3] + (h if S.known_int(h) else None, w if S.known_int(w) else None, sx[-1]))


def rgb_to_grayscale(call):
    x = tensor(call, 0, "images")
    if x is None:
        return UNKNOWN
    sx = A.dims(x)
    return computed(x, call, sx[:-1] + (1,) if sx else None)


def resize_images(kind):
    """TF1's `tf.image.resize_images(images, size)` (float32 unless `method=` names another
    method), `resize_bilinear` (float32, a batch of images) and `resize_nearest_neighbor` (the
    images' dtype, a batch)."""
    def fn(call):
        x = tensor(call, 0, "images")
        if x is None:
            return UNKNOWN
        size = A.int_tuple(call.arg(1, "size"))
        d = {"nearest": x.dtype, "bilinear": "float32"}.get(kind, "float32" if call.arg(2, "method") is None else None)
        sx = A.dims(x)
        if sx is None or len(sx) != 4 and (kind != "any" or len(sx) != 3):
            return computed(x, call, None, d)
        return computed(x, call, sx[:-3] + (size if size is not None and len(size) == 2 else (None, None)) + (sx[-1],), d)
    return fn


def tf_diag(call):
    x = tensor(call, 0, "diagonal")
    if x is None:
        return UNKNOWN
    sx = A.dims(x)
    return moved(x, call, sx + sx if sx is not None else None)


def identity_first(call):
    """tf.Print(x, data): x, printed when the graph runs."""
    x = tensor(call, 0, "input_")
    return derive(x, call, param=False) if x is not None else UNKNOWN


same_float = same_as("features", "x", "t")


def batch_normalization(call):
    x = tensor(call, 0, "x")
    if x is None:
        return UNKNOWN
    others = [v for v in (*call.args[1:], *call.kwargs.values()) if isinstance(v, Tensor)]
    return computed(x, call, x.shape, "same", *others)


for _name in ("random_flip_left_right", "random_flip_up_down", "flip_left_right", "flip_up_down", "random_saturation",
              "random_contrast", "random_brightness", "random_hue", "adjust_brightness", "adjust_contrast",
              "adjust_saturation", "adjust_hue", "adjust_gamma"):
    CALLS["tensorflow.image." + _name] = same_image
CALLS.update({
    "tensorflow.assign": assign, "tensorflow.assign_add": assign, "tensorflow.assign_sub": assign,
    "tensorflow.nn.l2_loss": l2_loss, "tensorflow.slice": tf_slice, "tensorflow.image.convert_image_dtype": convert_image_dtype,
    "tensorflow.boolean_mask": boolean_mask, "tensorflow.gather_nd": gather_nd, "tensorflow.norm": norm,
    "tensorflow.nn.moments": moments, "tensorflow.clip_by_global_norm": clip_by_global_norm,
    "tensorflow.tensordot": tensordot, "tensorflow.nn.xw_plus_b": xw_plus_b, "tensorflow.nn.top_k": top_k,
    "tensorflow.nn.in_top_k": in_top_k, "tensorflow.sequence_mask": sequence_mask,
    "tensorflow.broadcast_to": to_shape("input", "shape"), "tensorflow.placeholder_with_default": placeholder_with_default,
    "tensorflow.linspace": linspace, "tensorflow.meshgrid": meshgrid, "tensorflow.random.categorical": categorical(2, "dtype"),
    "tensorflow.multinomial": categorical(4, "output_dtype"), "tensorflow.image.crop_to_bounding_box": crop_to_bounding_box,
    "tensorflow.image.rgb_to_grayscale": rgb_to_grayscale, "tensorflow.image.resize_images": resize_images("any"),
    "tensorflow.image.resize_bilinear": resize_images("bilinear"),
    "tensorflow.image.resize_nearest_neighbor": resize_images("nearest"),
    "tensorflow.image.random_crop": to_shape("value", "size"),
    "tensorflow.random_crop": to_shape("value", "size"), "tensorflow.diag": tf_diag,
    "tensorflow.Print": identity_first, "tensorflow.nn.swish": same_float, "tensorflow.nn.silu": same_float,
    "tensorflow.nn.batch_normalization": batch_normalization, "tensorflow.clip_by_norm": same_float,
})
register_aliases({
    "tensorflow.math.l2_loss": "tensorflow.nn.l2_loss", "tensorflow.linalg.norm": "tensorflow.norm",
    "tensorflow.math.top_k": "tensorflow.nn.top_k", "tensorflow.math.in_top_k": "tensorflow.nn.in_top_k",
    "tensorflow.linalg.tensordot": "tensorflow.tensordot", "tensorflow.linalg.diag": "tensorflow.diag",
    "tensorflow.lin_space": "tensorflow.linspace", "tensorflow.compat.v1.assign": "tensorflow.assign",
    "tensorflow.math.swish": "tensorflow.nn.swish",
    "keras.models.Input": "keras.Input",
})
# `from tensorflow.python.framework import ops; ops.reset_default_graph()`: the public functions
# of TensorFlow's graph module under its private path
register_aliases({}, {"tensorflow.python.framework.ops": "tensorflow"})
