"""TF1 graph code beside what `keras.graph` models: the layer functions of TF-Slim and
`tf.contrib.layers` that convolve, pool and normalize (`slim.conv2d`, `max_pool2d`,
`batch_norm`), the recurrent cells of `tf.nn.rnn_cell` / `tf.contrib.rnn` unrolled by
`tf.nn.dynamic_rnn` (outputs [batch, time, units]; the cell's state is left unknown), `tf.cond`
(both branches run, as TensorFlow traces both: the value where they agree), and the `tf.data`
constructors `Dataset.zip` and `Dataset.range`. Where `slim.arg_scope` may change a default,
what the default decides is left unknown. Each is checked against TensorFlow in
tests/differential/test_tf1_models.py."""
from __future__ import annotations

from ..values import UNKNOWN, BoundMethod, Const, Dataset, Func, Seq, Tensor, Value, exact_items
from . import axes as A, shapes as S
from .common import derive, dtype_arg, make
from .registry import CALLS, OBJECT_METHODS, register_aliases

SCOPED = ("arg_scope",)  # a file that sets defaults for the layer functions


def scoped(call) -> bool:
    return any(s in (getattr(call.interp, "text", "") or "") for s in SCOPED)


def tf_in(call, index, name):
    v = call.arg(index, name)
    return v if isinstance(v, Tensor) and v.fw in ("tf", "keras") else None


def pair(v):
    t = A.int_tuple(v)
    return (t[0], t[0]) if t is not None and len(t) == 1 else t if t is not None and len(t) == 2 else None


def spatial(call, x, k_index, s_index, p_index, default_stride, default_padding, rate=1):
    """The two spatial dims of a TF-Slim convolution or pooling of an NHWC input."""
    k = pair(call.arg(k_index, "kernel_size"))
    stride_v, pad_v = call.arg(s_index, "stride"), call.arg(p_index, "padding")
    if (stride_v is None or pad_v is None) and scoped(call):
        return (None, None)
    st = pair(stride_v) if stride_v is not None else (default_stride,) * 2
    pad = pad_v.value if isinstance(pad_v, Const) else default_padding if pad_v is None else None
    pad = pad.lower() if isinstance(pad, str) else None
    if k is None or st is None or pad not in ("same", "valid") or not S.known_int(rate):
        return (None, None)
    return tuple(S.conv_out(d, kk, ss, pad, rate) for d, kk, ss in zip(x.shape[1:3], k, st))


def nhwc(call, x) -> bool:
    fmt = call.const(None, "data_format")
    return A.dims(x) is not None and len(x.shape) == 4 and fmt in (None, "NHWC")


def slim_conv2d(call):
    """slim.conv2d(inputs, num_outputs, kernel_size, stride=1, padding='SAME', data_format, rate)."""
    x = tf_in(call, 0, "inputs")
    if x is None:
        return UNKNOWN
    n = call.const(1, "num_outputs")
    if not nhwc(call, x) or not S.known_int(n):
        return derive(x, call, shape=None, param=False, activation=None, onehot=False)
    rate = call.const(6, "rate", 1)
    h, w = spatial(call, x, 2, 3, 4, 1, "same", rate)
    return derive(x, call, shape=(x.shape[0], h, w, n), param=False, activation=None, onehot=False, magnitude=None,
                  span=None, scale=None)


def slim_pool(call):
    """slim.max_pool2d / avg_pool2d(inputs, kernel_size, stride=2, padding='VALID')."""
    x = tf_in(call, 0, "inputs")
    if x is None:
        return UNKNOWN
    if not nhwc(call, x):
        return derive(x, call, shape=None, param=False)
    h, w = spatial(call, x, 1, 2, 3, 2, "valid")
    return derive(x, call, shape=(x.shape[0], h, w, x.shape[3]), param=False, onehot=False)


def same_shape(call):
    """batch_norm, layer_norm, dropout, bias_add of the layer functions: the input's shape."""
    x = tf_in(call, 0, "inputs")
    return derive(x, call, param=False, onehot=False, magnitude=None, span=None) if x is not None else UNKNOWN


for _m in ("tensorflow.contrib.slim.", "tensorflow.contrib.layers.", "tf_slim."):
    CALLS.update({_m + "conv2d": slim_conv2d, _m + "convolution2d": slim_conv2d, _m + "max_pool2d": slim_pool,
                  _m + "avg_pool2d": slim_pool, _m + "batch_norm": same_shape, _m + "layer_norm": same_shape,
                  _m + "dropout": same_shape, _m + "bias_add": same_shape})
register_aliases({"tensorflow.contrib.slim.flatten": "tensorflow.contrib.layers.flatten",
                  "tensorflow.contrib.layers.python.layers.batch_norm": "tensorflow.contrib.layers.batch_norm"})


# -- recurrent cells and dynamic_rnn -------------------------------------------------------------

class RNNCell(Value):
    """A TF1 recurrent cell: what its output holds per step (`units`, None when not known)."""

    __slots__ = ("units",)

    def __init__(self, units):
        self.units = units


def cell(units_index=0, units_name="num_units", proj=False):
    def fn(call):
        n = call.const(units_index, units_name)
        if proj and not A.is_none(call.arg(None, "num_proj")):
            n = call.const(None, "num_proj")
        return RNNCell(n if S.known_int(n) else None)
    return fn


def wrapper(call):
    """DropoutWrapper / ResidualWrapper / DeviceWrapper(cell): the cell's outputs, changed in value only."""
    inner = call.arg(0, "cell")
    return RNNCell(inner.units) if isinstance(inner, RNNCell) else RNNCell(None)


def projection(call):
    n = call.const(1, "output_size")
    return RNNCell(n if S.known_int(n) else None)


def multi(call):
    cells = exact_items(call.arg(0, "cells"))
    last = cells[-1] if cells else None
    return RNNCell(last.units if isinstance(last, RNNCell) else None)


def unrolled(c, x, call, time_major):
    """The outputs of `c` run over `x` [batch, time, features] ([time, batch, ...] time-major)."""
    units = c.units if isinstance(c, RNNCell) else None
    d = dtype_arg(call, None, None, "tf") if not x.dtype else x.dtype
    shape = x.shape[:2] + (units,) if A.dims(x) is not None and len(x.shape) == 3 else None
    return derive(x, call, shape=shape, dtype=d, param=False, activation=None, onehot=False, magnitude=None, span=None,
                  scale=None, labels=False)


def dynamic_rnn(call):
    """tf.nn.dynamic_rnn(cell, inputs, ...): (outputs, final state)."""
    c, x = call.arg(0, "cell"), tf_in(call, 1, "inputs")
    if x is None or not isinstance(c, RNNCell):
        return Seq("tuple", (UNKNOWN, UNKNOWN))
    time_major = call.const(None, "time_major", False)
    if not isinstance(time_major, bool):
        return Seq("tuple", (UNKNOWN, UNKNOWN))
    return Seq("tuple", (unrolled(c, x, call, time_major), UNKNOWN))


def bidirectional(call):
    """tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs): ((out_fw, out_bw), states)."""
    fw, bw, x = call.arg(0, "cell_fw"), call.arg(1, "cell_bw"), tf_in(call, 2, "inputs")
    time_major = call.const(None, "time_major", False)
    if x is None or not isinstance(fw, RNNCell) or not isinstance(bw, RNNCell) or not isinstance(time_major, bool):
        return Seq("tuple", (UNKNOWN, UNKNOWN))
    outs = Seq("tuple", (unrolled(fw, x, call, time_major), unrolled(bw, x, call, time_major)))
    return Seq("tuple", (outs, Seq("tuple", (UNKNOWN, UNKNOWN))))


for _m in ("tensorflow.nn.rnn_cell.", "tensorflow.contrib.rnn."):
    CALLS.update({_m + "BasicLSTMCell": cell(), _m + "LSTMCell": cell(proj=True), _m + "GRUCell": cell(),
                  _m + "BasicRNNCell": cell(), _m + "DropoutWrapper": wrapper, _m + "ResidualWrapper": wrapper,
                  _m + "DeviceWrapper": wrapper, _m + "MultiRNNCell": multi, _m + "OutputProjectionWrapper": projection})
CALLS.update({"tensorflow.nn.dynamic_rnn": dynamic_rnn, "tensorflow.nn.bidirectional_dynamic_rnn": bidirectional})
OBJECT_METHODS[("RNNCell", "zero_state")] = lambda call, obj: UNKNOWN


# -- tf.cond ------------------------------------------------------------------------------------

def joined(a: Value, b: Value) -> Value:
    """The value of either branch: where both are tensors, what they agree on."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if A.dims(a) is not None and A.dims(b) is not None and len(a.shape) == len(b.shape):
            shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        else:
            shape = None
        return a.with_(shape=shape, dtype=a.dtype if a.dtype == b.dtype else None, span=None, magnitude=None,
                       activation=a.activation if a.activation == b.activation else None, onehot=a.onehot and b.onehot,
                       labels=a.labels and b.labels, param=False,
                       requires_grad=a.requires_grad if a.requires_grad == b.requires_grad else None,
                       models=a.models | b.models)
    ia, ib = exact_items(a), exact_items(b)
    if ia is not None and ib is not None and len(ia) == len(ib) and isinstance(a, Seq):
        return Seq(a.kind, tuple(joined(x, y) for x, y in zip(ia, ib)))
    return UNKNOWN


def cond(call):
    """tf.cond(pred, true_fn, false_fn): TensorFlow builds both branches; the result is the one
    the predicate picks, so only what both give is known."""
    f, g = call.arg(1, "true_fn"), call.arg(2, "false_fn")
    if f is None:
        f = call.arg(None, "fn1")
    if g is None:
        g = call.arg(None, "fn2")
    if not isinstance(f, (Func, BoundMethod)) or not isinstance(g, (Func, BoundMethod)):
        return UNKNOWN
    a = call.interp.call(f, call.with_args([]))
    b = call.interp.call(g, call.with_args([]))
    return joined(a, b)


CALLS["tensorflow.cond"] = cond


# -- tf.data constructors -----------------------------------------------------------------------

def dataset_zip(call):
    """Dataset.zip((features, labels)): pairs of the two data sets' elements."""
    parts = exact_items(call.arg(0, "datasets"))
    if parts is None or len(parts) != 2 or not all(isinstance(d, Dataset) and not d.batched and len(d.tensors) == 1
                                                  and not d.tupled for d in parts):
        return UNKNOWN
    x, y = parts[0].tensors[0], parts[1].tensors[0]
    if not isinstance(x, Tensor) or not isinstance(y, Tensor):
        return UNKNOWN
    rows = [t.shape[0] if A.dims(t) else None for t in (x, y)]
    if rows[0] != rows[1]:  # the shorter one ends the zip
        x, y = (t.with_(shape=(None,) + tuple(t.shape[1:])) if A.dims(t) else t for t in (x, y))
    return Dataset((x, y.with_(labels=True)), False, call.node)


def dataset_range(call):
    """Dataset.range(n) / (start, stop, step): int64 scalars."""
    args = [call.const(i) for i in range(len(call.args))]
    if not args or any(not S.known_int(a) for a in args) or call.kwargs and set(call.kwargs) != {"output_type"}:
        n = None
    else:
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
        n = max(0, -(-(stop - start) // step)) if step else None
    d = dtype_arg(call, None, "int64", "tf", "output_type")
    return Dataset((make(call, (n,), d, "tf"),), False, call.node)


CALLS.update({"tensorflow.data.Dataset.zip": dataset_zip, "tensorflow.data.Dataset.range": dataset_range})
