"""TensorFlow 1 graph code and the tf.nn / tf.math functions, tf.data pipelines, tf.nn
convolutions and pooling, tf.losses."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, BoundMethod, Dataset, Func, Loss, Seq, Tensor
from ..registry import CALLS, LOSSES, OBJECT_METHODS, LossSpec, register_aliases
from ..common import derive, grad_models, grad_of, recorded
from .. import shapes as S
from .training import KERAS_LOSSES, KERAS_LOSS_FUNCTIONS
from .tensors import matmul, same, tf_tensor


# -- TensorFlow 1 style graph code and the tf.nn / tf.math functions rules look at ---------------

register_aliases({
    "tensorflow.truncated_normal": "tensorflow.random.truncated_normal",
    "tensorflow.nn.softmax_cross_entropy_with_logits_v2": "tensorflow.nn.softmax_cross_entropy_with_logits",
    "tensorflow.math.softmax": "tensorflow.nn.softmax",
    "tensorflow.math.log_softmax": "tensorflow.nn.log_softmax",
    "tensorflow.math.sigmoid": "tensorflow.sigmoid",
    "tensorflow.nn.sigmoid": "tensorflow.sigmoid",
    "tensorflow.linalg.matmul": "tensorflow.matmul",
}, {
    # the modules tf.nn re-exports, imported by their own path in early TensorFlow code
    "tensorflow.python.ops.nn": "tensorflow.nn", "tensorflow.python.ops.nn_ops": "tensorflow.nn",
    "tensorflow.python.ops.nn_impl": "tensorflow.nn",
})


def _tf_unary(activation=None, method=None):
    """Elementwise tf functions: same shape; `activation` names what the result is (None: not
    an output activation any more); `method` is the tensor method rules see it as."""
    def fn(call):
        x = call.arg(0, "x")
        if x is None:
            x = call.arg(0, "logits")
        if not isinstance(x, Tensor):
            # a softmax/sigmoid of something unknown is still a tensor of probabilities (a tanh one in (-1, 1)...)
            return tf_tensor(call, None, None, activation=activation) if activation is not None else UNKNOWN
        interp = call.interp
        if method is not None and interp.wants("method_call"):
            from ...events import MethodCall

            interp.emit("method_call", MethodCall(x, method, list(call.args[1:]), call.kwargs, call.node))
        return derive(x, call, param=False, onehot=False, activation=activation)
    return fn


def _tf_matmul(call):
    """tf.matmul(a, b): TF never promotes dtypes; rules check the operands (`matmul` event)."""
    a, b = call.arg(0, "a"), call.arg(1, "b")
    if any(k in call.kwargs for k in ("transpose_a", "transpose_b", "adjoint_a", "adjoint_b")):
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            from ..ops import emit_matmul

            emit_matmul(call.interp, a, b, call.node, "tf.matmul", call.kwargs)
        return derive(a, call, shape=None, param=False, onehot=False, activation=None) if isinstance(a, Tensor) else UNKNOWN
    return matmul(call)  # the `matmul` event comes with the product


def _tf_loss_event(call, qualname, labels, output, from_logits):
    """Tell the rules about a TensorFlow loss function called on (labels, output)."""
    args = [labels if labels is not None else UNKNOWN, output if output is not None else UNKNOWN]
    interp = call.interp
    if interp.wants("loss_call"):
        from ...events import LossCall

        loss = Loss(qualname, {"from_logits": from_logits}, "keras", call.node)
        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "keras"))
    return args


def _tf_nn_loss(qualname):
    """tf.nn.*_cross_entropy_with_logits(labels=..., logits=...): a per-example loss."""
    def fn(call):
        labels, logits = call.arg(None, "labels"), call.arg(None, "logits")
        if labels is None and logits is None and len(call.args) == 2:
            labels, logits = call.args  # TF2 allows them positionally
            if _int_tensor(logits):  # logits are never integers: TF 0.x's order, (logits, labels)
                labels, logits = logits, labels
        args = _tf_loss_event(call, qualname, labels, logits, True)
        interp = call.interp
        ts = [a for a in args if isinstance(a, Tensor)]
        if not isinstance(logits, Tensor):
            return UNKNOWN
        from ..common import grad_of

        shape = logits.shape[:-1] if logits.shape and ANY not in logits.shape[:1] and qualname.endswith("softmax_cross_entropy_with_logits") else logits.shape
        return derive(logits, call, shape=shape, param=False, onehot=False, activation=None, requires_grad=grad_of(*args),
                      labels=any(t.labels for t in ts), tapes=recorded(interp, *ts))
    return fn


def _int_tensor(value) -> bool:
    from ...values import is_int_dtype

    return isinstance(value, Tensor) and is_int_dtype(value.dtype)


for _q, _kind in (("tensorflow.nn.softmax_cross_entropy_with_logits", "categorical"),
                  ("tensorflow.nn.sparse_softmax_cross_entropy_with_logits", "sparse_categorical"),
                  ("tensorflow.nn.sigmoid_cross_entropy_with_logits", "binary")):
    LOSSES[_q] = LossSpec("keras", _kind, True, False, None, ("labels", "logits"), is_function=True)
    CALLS[_q] = _tf_nn_loss(_q)

CALLS.update({
    "tensorflow.nn.softmax": _tf_unary("softmax", "softmax"), "keras.activations.softmax": _tf_unary("softmax", "softmax"),
    "tensorflow.nn.log_softmax": _tf_unary("log_softmax"), "tensorflow.sigmoid": _tf_unary("sigmoid", "sigmoid"),
    "keras.activations.sigmoid": _tf_unary("sigmoid", "sigmoid"), "tensorflow.nn.relu": _tf_unary("relu"),
    "tensorflow.math.log": _tf_unary(None, "log"), "tensorflow.math.exp": _tf_unary(), "tensorflow.exp": _tf_unary(),
    "tensorflow.square": _tf_unary(), "tensorflow.math.square": _tf_unary(), "tensorflow.abs": _tf_unary(),
    "tensorflow.matmul": _tf_matmul,
})


def _announce_cut():
    """`tf.stop_gradient(x)` is seen by rules as the method call `x.stop_gradient()`."""
    from ..torch import emitting

    for q in ("tensorflow.stop_gradient",):
        CALLS[q] = emitting("stop_gradient", CALLS[q])


_announce_cut()



# -- tf.data pipelines of (features, labels) ----------------------------------------------------

def _from_tensor_slices(call):
    data = call.arg(0, "tensors")
    if isinstance(data, Seq) and data.kind == "tuple" and len(data.items) == 2 and all(isinstance(t, Tensor) for t in data.items):
        return Dataset(tuple(t.with_(labels=t.labels or i == 1) for i, t in enumerate(data.items)), False, call.node)
    if isinstance(data, Tensor):  # one tensor: its rows are the elements
        return Dataset((data,), False, call.node)
    return UNKNOWN


def _dataset_batch(call, ds):
    """`ds.batch(n)`: batches of the elements; batching batches again nests them, whose shapes
    are left unknown."""
    if ds.batched:
        return Dataset(tuple(t.with_(shape=None) if isinstance(t, Tensor) else t for t in ds.tensors), True, call.node, ds.shuffled)
    return Dataset(ds.tensors, True, call.node, ds.shuffled)


def dataset_batch(call, ds):
    from ..methods import iterate

    batch = iterate(call.interp, ds)
    if not isinstance(batch, Seq) or len(batch.items) != 2:
        return UNKNOWN, UNKNOWN
    return tuple(b.with_(name=t.name) if isinstance(b, Tensor) and isinstance(t, Tensor) else b for b, t in zip(batch.items, ds.tensors))


def _dataset_map(call, ds):
    """`ds.map(fn)`: `fn` runs on one element (a sample, or a batch once batched) and what it
    returns is the new element. A function the file does not define leaves nothing known."""
    from ..methods import iterate

    fn = call.arg(0, "map_func")
    if not isinstance(fn, (Func, BoundMethod)):
        return UNKNOWN
    element = iterate(call.interp, ds)
    args = list(element.items) if isinstance(element, Seq) else [element]
    out = call.interp.call(fn, call.with_args(args))
    items = out.items if isinstance(out, Seq) else (out,)
    if not 1 <= len(items) <= 2 or not all(isinstance(t, Tensor) for t in items):
        return UNKNOWN
    first = next((t for t in ds.tensors if isinstance(t, Tensor)), None)
    count = first.shape[0] if first is not None and first.rank else None
    tensors = []
    for i, t in enumerate(items):
        if t.shape is not None and ANY not in t.shape[:1]:
            t = t.with_(shape=t.shape if ds.batched else (count,) + tuple(t.shape))
        else:
            t = t.with_(shape=None)
        tensors.append(t.with_(labels=t.labels or (len(items) == 2 and i == 1)))
    return Dataset(tuple(tensors), ds.batched, call.node, ds.shuffled)


CALLS["tensorflow.data.Dataset.from_tensor_slices"] = _from_tensor_slices
OBJECT_METHODS[("Dataset", "map")] = _dataset_map
OBJECT_METHODS[("Dataset", "batch")] = _dataset_batch
for _m in ("prefetch", "repeat", "cache"):  # order and timing only: the elements stay what they are
    OBJECT_METHODS[("Dataset", _m)] = lambda call, ds: Dataset(ds.tensors, ds.batched, call.node, ds.shuffled)
OBJECT_METHODS[("Dataset", "shuffle")] = lambda call, ds: Dataset(ds.tensors, ds.batched, call.node, call.node)
# -- tf.nn convolution, pooling and lookups; tf.losses ------------------------------------------

def _spatial_args(v, n):
    """`strides=[1, 2, 2, 1]` / `ksize=2` / `(2, 2)` of tf.nn ops as the n spatial values (NHWC)."""
    from ..registry import plain

    p = plain(v) if v is not None else None
    if S.known_int(p):
        return (p,) * n
    if isinstance(p, tuple) and len(p) == n + 2:
        return tuple(p[1:1 + n])
    if isinstance(p, tuple) and len(p) == n:
        return p
    return (None,) * n


def _tf_conv(n):
    def fn(call):
        x, w = call.arg(0, "input"), call.arg(1, "filters")
        if w is None:
            w = call.arg(None, "filter")
        if not isinstance(x, Tensor):
            return UNKNOWN
        qual = f"tensorflow.nn.conv{n}d"
        if call.interp.wants("api_call"):  # the input's rank, and its channels against the filter's (rules check)
            from ...events import ApiCall

            args = [x, w] if isinstance(w, Tensor) and w.rank == n + 2 else [x]
            call.interp.emit("api_call", ApiCall(qual, args, {}, call.node, list(call.arg_nodes), dict(call.kwarg_nodes)))
        st = _spatial_args(call.arg(2, "strides"), n)
        pad = call.const(3, "padding")
        fmt = call.const(4, "data_format")
        if x.rank != n + 2 or (isinstance(fmt, str) and fmt.startswith("NC")) or fmt is not None and not isinstance(fmt, str):
            return derive(x, call, shape=None, param=False, activation=None)
        k = tuple(w.shape[:n]) if isinstance(w, Tensor) and w.rank == n + 2 else (None,) * n
        out_c = w.dim(-1) if isinstance(w, Tensor) else None
        pad = pad.lower() if isinstance(pad, str) else None
        sp = tuple(S.conv_out(d, kk, ss, pad) if pad in ("same", "valid") else None for d, kk, ss in zip(x.shape[1:1 + n], k, st))
        return derive(x, call, shape=(x.shape[0],) + sp + (out_c,), param=False, activation=None,
                      requires_grad=grad_of(x, w), models=grad_models(x, w))
    return fn


def _tf_pool(n, qual):
    def fn(call):
        x = call.arg(0, "input")
        if x is None:
            x = call.arg(None, "value")
        if not isinstance(x, Tensor):
            return UNKNOWN
        if call.interp.wants("api_call"):  # the input's rank (rules check)
            from ...events import ApiCall

            call.interp.emit("api_call", ApiCall(qual, [x], {}, call.node, list(call.arg_nodes), dict(call.kwarg_nodes)))
        k = _spatial_args(call.arg(1, "ksize"), n)
        st = _spatial_args(call.arg(2, "strides"), n)
        pad = call.const(3, "padding")
        pad = pad.lower() if isinstance(pad, str) else None
        if x.rank != n + 2 or pad not in ("same", "valid"):
            return derive(x, call, shape=None, param=False)
        sp = tuple(S.conv_out(d, kk, ss, pad) for d, kk, ss in zip(x.shape[1:1 + n], k, st))
        return derive(x, call, shape=(x.shape[0],) + sp + (x.shape[-1],), param=False)
    return fn


def _embedding_lookup(call):
    params, ids = call.arg(0, "params"), call.arg(1, "ids")
    if not isinstance(params, Tensor):
        return UNKNOWN
    lead = tuple(ids.shape) if isinstance(ids, Tensor) and ids.shape is not None else (ANY,)
    rest = tuple(params.shape[1:]) if params.shape is not None and ANY not in params.shape[:1] else None
    shape = lead + rest if rest is not None and ANY not in lead else ((ANY,) + rest if rest is not None else None)
    return derive(params, call, shape=shape, param=False, fw="tf", activation=None, onehot=False)


def _tf1_loss(kind, labels_key, logits_key, logits=True):
    """tf.losses.softmax_cross_entropy(onehot_labels, logits) and the other TF1 losses: a
    scalar (mean over the batch) computed from the labels and the logits or predictions."""
    qual = "tensorflow.losses." + kind

    def fn(call):
        args = _tf_loss_event(call, qual, call.arg(0, labels_key), call.arg(1, logits_key), logits)
        interp = call.interp
        ts = [a for a in args if isinstance(a, Tensor)]
        return Tensor(shape=(), dtype="float32", fw="tf", node=call.node, depth=call.depth, origin=call.node,
                      labels=any(t.labels for t in ts), requires_grad=grad_of(*args), models=grad_models(*ts),
                      tapes=recorded(interp, *ts))
    return fn


TF1_LOSSES = {
    "softmax_cross_entropy": ("categorical", "onehot_labels", "logits", True),
    "sparse_softmax_cross_entropy": ("sparse_categorical", "labels", "logits", True),
    "sigmoid_cross_entropy": ("binary", "multi_class_labels", "logits", True),
    "log_loss": ("binary", "labels", "predictions", False),
    "mean_squared_error": ("regression", "labels", "predictions", None),
    "absolute_difference": ("regression", "labels", "predictions", None),
    "huber_loss": ("regression", "labels", "predictions", None),
}
for _name, (_kind, _lk, _ok, _logits) in TF1_LOSSES.items():
    _q = "tensorflow.losses." + _name
    LOSSES[_q] = LossSpec("keras", _kind, _logits, _kind == "regression", None, (_lk, _ok), is_function=True)
    CALLS[_q] = _tf1_loss(_name, _lk, _ok, _logits)
# TF2's tf.losses is Keras's: the classes and the functions of keras.losses
register_aliases({"tensorflow.losses." + n: "keras.losses." + n for n in (*KERAS_LOSSES, *KERAS_LOSS_FUNCTIONS)
                  if "tensorflow.losses." + n not in LOSSES})

CALLS.update({
    "tensorflow.nn.conv1d": _tf_conv(1), "tensorflow.nn.conv2d": _tf_conv(2), "tensorflow.nn.conv3d": _tf_conv(3),
    "tensorflow.nn.embedding_lookup": _embedding_lookup,
    "tensorflow.nn.dropout": same, "tensorflow.nn.bias_add": same, "tensorflow.nn.tanh": _tf_unary("tanh"),
    "tensorflow.nn.elu": _tf_unary("elu"), "tensorflow.nn.leaky_relu": _tf_unary("leakyrelu"), "tensorflow.nn.selu": _tf_unary("selu"),
})
CALLS.update({"tensorflow.nn." + name: _tf_pool(n, "tensorflow.nn." + name) for name, n in (
    ("max_pool", 2), ("max_pool2d", 2), ("avg_pool", 2), ("avg_pool2d", 2), ("max_pool1d", 1), ("avg_pool1d", 1))})
