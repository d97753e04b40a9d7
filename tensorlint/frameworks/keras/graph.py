"""TensorFlow 1 graph programs: sessions and the values fed to placeholders, the `tf.layers`
functions, and the MNIST helper of the TF1 tutorials (`input_data.read_data_sets`).

A placeholder's value is known only where the program feeds it: `sess.run(op, feed_dict={x:
batch})`, `t.eval(feed_dict=...)`, `op.run(feed_dict=...)`. The interpreter records every
feed it sees; when the values fed to a placeholder all agree on a dim its declaration leaves
open (`None`, or no shape at all), a second walk of the file uses the placeholder with that
dim (`refine_placeholders`). A feed whose value is not known leaves the placeholder as
declared, and so does a feed that contradicts the declaration (TL203 reports it).
"""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, FeedDict, Seq, Tensor, Value, is_int_dtype
from ...joins import join
from ...events import Fetch, GraphGradients
from ..registry import CALLS, LAYERS, OBJECT_ATTRIBUTES, OBJECT_METHODS, TENSOR_METHODS
from ..common import dtype_of, gradients_like, make
from ..models import call_layer
from .. import shapes as S


# -- sessions and feeds --------------------------------------------------------------------------

class Session(Value):
    """`tf.Session()` / `tf.InteractiveSession()`: its `run` evaluates fetches with a feed."""

    __slots__ = ()


for _q in ("tensorflow.Session", "tensorflow.InteractiveSession", "tensorflow.compat.v1.Session",
           "tensorflow.compat.v1.InteractiveSession"):
    CALLS[_q] = lambda call: Session()


def _run(call, sess):
    """`sess.run(fetches, feed_dict)`: its value is not followed; rules hear what it fetches."""
    fetches = call.arg(0, "fetches")
    if fetches is not None and call.interp.wants("fetch"):
        node = call.arg_node(0, "fetches")
        call.interp.emit("fetch", Fetch(fetches, feed_of(call), call.node, node))
    return UNKNOWN


def _eval(call, t):
    """`t.eval(feed_dict)` of a graph tensor: as `sess.run(t, feed_dict)`."""
    if t.fw in ("tf", "keras") and call.interp.wants("fetch"):
        call.interp.emit("fetch", Fetch(t, feed_of(call), call.node, getattr(call.node.func, "value", None)))
    return UNKNOWN


OBJECT_METHODS[("Session", "run")] = _run
TENSOR_METHODS["eval"] = _eval


def _get_shape(call, t):
    """`x.get_shape()` of a graph tensor: `x.shape`."""
    from ..methods import size_value

    return size_value(t)


def _gradients(call):
    """`tf.gradients(ys, xs)`: one gradient per source, always in a list; rules hear of it."""
    xs = call.arg(1, "xs")
    if call.interp.wants("graph_gradients") and "stop_gradients" not in call.kwargs:
        chained = call.arg(2, "grad_ys") is not None
        call.interp.emit("graph_gradients", GraphGradients(call.arg(0, "ys"), xs, call.node, chained))
    return gradients_like(call, xs, "list")  # a list also for one tensor


for _q in ("tensorflow.gradients", "tensorflow.compat.v1.gradients"):
    CALLS[_q] = _gradients
TENSOR_METHODS["get_shape"] = _get_shape
OBJECT_METHODS[("Session", "close")] = lambda call, sess: UNKNOWN
OBJECT_METHODS[("Session", "as_default")] = lambda call, sess: sess


def feed_of(call) -> "FeedDict | None":
    """The feed a call hands to TF1 graph evaluation: `feed_dict=` of any call, the second
    argument of `sess.run`, the first of `t.eval(...)` / `op.run(...)`."""
    v = call.kwargs.get("feed_dict")
    if isinstance(v, FeedDict):
        return v
    func = call.node.func
    method = func.attr.value if hasattr(func, "attr") else None
    if method in ("run", "eval"):
        for v in call.args[:2]:
            if isinstance(v, FeedDict):
                return v
    return None


# what the refinement changes of a declaration (the rest is the declaration's)
REFINED = ("shape", "dtype", "labels", "onehot", "nan", "magnitude", "normalized", "scale_mix", "scale")


def refine_placeholders(declared: dict, feeds: dict) -> dict:
    """Placeholder (its call node's id) -> the tensor it stands for given every value fed to it:
    the declared dtype, and the dims the declaration leaves open where all feeds agree."""
    out = {}
    for key, fed in feeds.items():
        decl = declared.get(key)
        if decl is None or not fed or not all(isinstance(v, Tensor) for v in fed):
            continue
        value = fed[0]
        for v in fed[1:]:
            value = join(value, v)
        shape = decl.shape
        vs = value.shape
        if vs is not None and ANY not in vs[:1]:
            if shape is None:
                shape = tuple(vs)
            elif len(shape) == len(vs) and all(d is None or e is None or not S.known_int(e) or d == e for d, e in zip(shape, vs)):
                shape = tuple(e if d is None else d for d, e in zip(shape, vs))
            else:
                continue  # the feed does not fit the declaration: TL203's, and the declaration stands
        facts = {k: getattr(value, k) for k in REFINED[2:]}
        refined = decl.with_(shape=shape, dtype=decl.dtype or value.dtype, **facts)
        if refined != decl:
            out[key] = refined
    return out


# -- tf.layers: the Keras layer built from the other arguments, applied to `inputs` --------------

_FUNCTIONAL = {
    "dense": "Dense", "conv1d": "Conv1D", "conv2d": "Conv2D", "conv3d": "Conv3D",
    "conv2d_transpose": "Conv2DTranspose", "separable_conv2d": "SeparableConv2D",
    "max_pooling1d": "MaxPooling1D", "max_pooling2d": "MaxPooling2D", "max_pooling3d": "MaxPooling3D",
    "average_pooling1d": "AveragePooling1D", "average_pooling2d": "AveragePooling2D",
    "average_pooling3d": "AveragePooling3D", "flatten": "Flatten", "dropout": "Dropout",
    "batch_normalization": "BatchNormalization",
}
_GRAPH_ONLY = ("training", "reuse", "name", "trainable")  # graph bookkeeping, not the layer's math
_CHANNELS_LAST = Const("channels_last")


def _functional_layer(qualname):
    spec = LAYERS[qualname]

    def fn(call):
        if "inputs" in call.kwargs:
            x, x_node = call.kwargs["inputs"], call.kwarg_nodes.get("inputs")
            rest, rest_nodes = list(call.args), list(call.arg_nodes)
        elif call.args:
            x, x_node = call.args[0], call.arg_nodes[0] if call.arg_nodes else None
            rest, rest_nodes = list(call.args[1:]), list(call.arg_nodes[1:])
        else:
            return UNKNOWN
        kwargs = {k: v for k, v in call.kwargs.items() if k not in _GRAPH_ONLY and k != "inputs"}
        if "data_format" in spec.params and "data_format" not in kwargs and len(rest) <= spec.params.index("data_format"):
            kwargs["data_format"] = _CHANNELS_LAST  # tf.layers' own default, whatever Keras' global one
        layer = spec.construct(call.with_args(rest, kwargs, rest_nodes, {k: n for k, n in call.kwarg_nodes.items() if k in kwargs}), qualname)
        return call_layer(call.with_args([x], {}, [x_node]), layer)
    return fn


for _name, _layer in _FUNCTIONAL.items():
    if "keras.layers." + _layer in LAYERS:
        CALLS["tensorflow.layers." + _name] = _functional_layer("keras.layers." + _layer)
for _name in ("flatten",):
    CALLS["tensorflow.contrib.layers." + _name] = _functional_layer("keras.layers.Flatten")

# tf.contrib.layers.fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, ...): a Dense
# layer whose activation is ReLU unless the call says otherwise; under a `slim.arg_scope` (which
# may set another default) an activation the call leaves out is not known
_FULLY_CONNECTED = ("inputs", "num_outputs", "activation_fn")


def _fully_connected(call):
    given = {}
    for name, value, node in zip(_FULLY_CONNECTED, call.args, call.arg_nodes or [None] * len(call.args)):
        given[name] = (value, node)
    for name in _FULLY_CONNECTED:
        if name in call.kwargs:
            given[name] = (call.kwargs[name], call.kwarg_nodes.get(name))
    if "inputs" not in given or "num_outputs" not in given or any(
            k not in _FULLY_CONNECTED and k not in _FC_KEYWORDS for k in call.kwargs):
        return UNKNOWN
    if "activation_fn" in given:
        activation, act_node = given["activation_fn"]
    elif "arg_scope" in call.interp.text:
        activation, act_node = UNKNOWN, None
    else:
        activation, act_node = Const("relu"), None
    norm = call.kwargs.get("normalizer_fn")
    if norm is not None and not (isinstance(norm, Const) and norm.value is None):
        activation, act_node = UNKNOWN, None  # the activation follows a normalization this does not model
    (units, units_node), (x, x_node) = given["num_outputs"], given["inputs"]
    layer = LAYERS["keras.layers.Dense"].construct(
        call.with_args([units], {"activation": activation}, [units_node], {"activation": act_node}), "keras.layers.Dense")
    return call_layer(call.with_args([x], {}, [x_node]), layer)


_FC_KEYWORDS = frozenset({"normalizer_fn", "normalizer_params", "weights_initializer", "weights_regularizer",
                          "biases_initializer", "biases_regularizer", "reuse", "variables_collections",
                          "outputs_collections", "trainable", "scope"})
for _module in ("tensorflow.contrib.layers.", "tensorflow.contrib.slim.", "tf_slim."):
    CALLS[_module + "fully_connected"] = _fully_connected


# -- the TF1 MNIST helper ----------------------------------------------------------------------

class MnistSplit(Value):
    """`mnist.train` / `.validation` / `.test` of `read_data_sets`."""

    __slots__ = ("images", "labels", "count")

    def __init__(self, images, labels, count):
        self.images, self.labels, self.count = images, labels, count


class MnistData(Value):
    __slots__ = ("train", "validation", "test")

    def __init__(self, train, validation, test):
        self.train, self.validation, self.test = train, validation, test


def _read_data_sets(call):
    """`read_data_sets(dir, one_hot=False, dtype=float32, reshape=True, validation_size=5000)`:
    images [n, 784] (or [n, 28, 28, 1] with reshape=False) scaled to [0, 1] for float32,
    labels [n] uint8 or [n, 10] float64 one-hot; 60,000 training images less the validation
    ones, and 10,000 test images."""
    one_hot = call.const(2, "one_hot", False)
    reshape = call.const(4, "reshape", True)
    valid = call.const(5, "validation_size", 5000)
    given = call.arg(3, "dtype")
    dtype = "float32" if given is None else dtype_of(given, "tf")
    if dtype not in ("float32", "uint8"):
        dtype = None
    sizes = {"train": 60000 - valid if S.known_int(valid) else None,
             "validation": valid if S.known_int(valid) else None, "test": 10000}
    splits = {}
    for name, n in sizes.items():
        image_shape = (n, 784) if reshape is True else (n, 28, 28, 1) if reshape is False else None
        images = make(call, image_shape, dtype, "np", normalized=dtype == "float32")
        if one_hot is True:
            labels = make(call, (n, 10), "float64", "np", labels=True, onehot=True)
        elif one_hot is False:
            labels = make(call, (n,), "uint8", "np", labels=True)
        else:
            labels = make(call, None, None, "np", labels=True)
        labels = labels.with_(origin=call.node.func)  # a tensor apart from the images
        splits[name] = MnistSplit(images, labels, n)
    return MnistData(splits["train"], splits["validation"], splits["test"])


def _next_batch(call, split):
    n = call.const(0, "batch_size")
    n = n if S.known_int(n) else None

    def batch(t):
        shape = (n,) + tuple(t.shape[1:]) if t.shape is not None else None
        return t.with_(shape=shape, node=call.node, name=None)

    return Seq("tuple", (batch(split.images), batch(split.labels)))


for _q in ("tensorflow.examples.tutorials.mnist.input_data.read_data_sets",
           "tensorflow.contrib.learn.python.learn.datasets.mnist.read_data_sets",
           "tensorflow.contrib.learn.datasets.mnist.read_data_sets"):
    CALLS[_q] = _read_data_sets
for _a in ("train", "validation", "test"):
    OBJECT_ATTRIBUTES[("MnistData", _a)] = lambda obj, _a=_a: getattr(obj, _a)
OBJECT_ATTRIBUTES[("MnistSplit", "images")] = lambda obj: obj.images
OBJECT_ATTRIBUTES[("MnistSplit", "labels")] = lambda obj: obj.labels
OBJECT_ATTRIBUTES[("MnistSplit", "num_examples")] = lambda obj: Const(obj.count) if obj.count is not None else UNKNOWN
OBJECT_METHODS[("MnistSplit", "next_batch")] = _next_batch


# -- what each graph tensor is computed from (`lineage`) ------------------------------------------

# ops whose result carries no gradient back to their inputs, whatever its dtype
_NO_GRADIENT = frozenset({"stop_gradient", "round", "sign", "floor", "ceil", "math.round", "math.sign", "math.floor",
                          "math.ceil", "argmax", "argmin", "math.argmax", "math.argmin"})
_SOURCES = {"placeholder": "placeholder", "placeholder_with_default": "placeholder", "Variable": "variable",
            "get_variable": "variable"}
# keywords that configure an op rather than hand it data
_SETTINGS = ("name", "initializer", "regularizer", "constraint", "activation", "trainable", "reuse", "dtype",
             "partitioner", "data_format", "padding", "strides", "axis", "keepdims", "keep_dims")


def _op_path(qualname: str) -> str:
    rest = qualname[len("tensorflow."):]
    return rest[len("compat.v1."):] if rest.startswith("compat.v1.") else rest


def record_op(call, qualname: str, out: Tensor) -> Tensor:
    """`out`, made by the TensorFlow op `qualname`, with the record of what it was computed from
    (`lineage`): placeholders and variables are leaves; a layer function (`tf.layers.dense`)
    reads its input and the variables it makes; an op without a gradient reads its inputs by
    value only. Only where the program builds a graph (a leaf, or an input with a record)."""
    from ...lineage import made, recorded, source

    path = _op_path(qualname)
    kind = _SOURCES.get(path)
    frozen = isinstance(call.kwargs.get("trainable"), Const) and call.kwargs["trainable"].value is False
    if kind is not None:
        return out.with_(lineage=source("frozen variable" if kind == "variable" and frozen else kind, call.node))
    kwargs = {k: v for k, v in call.kwargs.items() if not any(s in k for s in _SETTINGS)}
    if not recorded(*call.args, *kwargs.values()):
        return out
    head = path.split(".")
    if head[0] == "layers" or head[:2] == ["contrib", "layers"]:
        data = call.arg(0, "inputs")
        made_vars = source("frozen variable" if frozen else "variable", call.node)  # the kernel and bias it makes
        return out.with_(lineage=made(call.node, (data,) if data is not None else (), extra=(made_vars,),
                                      complete=data is not None, frame=call.frame))
    cut = path in _NO_GRADIENT or (out.dtype is not None and (is_int_dtype(out.dtype) or out.dtype == "bool"))
    values = (*call.args, *kwargs.values())
    if cut:
        return out.with_(lineage=made(call.node, (), values, frame=call.frame))
    return out.with_(lineage=made(call.node, values, frame=call.frame))


def _get_variable(call):
    """`tf.get_variable(name, shape)`: a graph variable (its shape and dtype are not followed)."""
    return make(call, None, None, "tf")


for _q in ("tensorflow.get_variable", "tensorflow.compat.v1.get_variable"):
    CALLS.setdefault(_q, _get_variable)
