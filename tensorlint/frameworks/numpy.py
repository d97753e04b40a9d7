"""NumPy (float64 by default) and the scikit-learn scalers that normalize data."""
from __future__ import annotations

from ..values import UNKNOWN, Const, MutableList, Seq, Tensor, UnknownInt, Value, exact_items
from .registry import CALLS, CONSTANTS as _CONSTANTS, DTYPES, OBJECT_METHODS, TENSOR_METHODS
from .ops import stack_tensors, concatenate
from .common import derive, dtype_arg, dtype_given, dtype_of, literal_data, literal_onehot, literal_span, make, normal_span, uniform_span, shape_value
from . import shapes as S

NP_DTYPES = {
    "float16": "float16", "float32": "float32", "float64": "float64", "double": "float64", "single": "float32",
    "half": "float16", "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8",
    "bool_": "bool", "bool": "bool", "float_": "float64", "int_": "int64", "longlong": "int64", "intc": "int32",
}
DTYPES.update({"numpy." + k: v for k, v in NP_DTYPES.items()})
DTYPES.update({"builtins.float": "float64", "builtins.int": "int64", "builtins.bool": "bool"})
CONSTANTS = {
    "numpy.nan": float("nan"), "numpy.NaN": float("nan"), "numpy.NAN": float("nan"), "numpy.inf": float("inf"),
    "numpy.Inf": float("inf"), "numpy.pi": 3.141592653589793, "numpy.e": 2.718281828459045, "math.nan": float("nan"),
    "math.inf": float("inf"), "math.pi": 3.141592653589793, "math.e": 2.718281828459045,
    "torch.nan": float("nan"), "torch.inf": float("inf"),
}
_CONSTANTS.update(CONSTANTS)


def _np(call, shape, dtype="float64", **kw) -> Tensor:
    return make(call, shape, dtype, "np", **kw)


def _filled(dtype_default="float64"):
    def fn(call):
        shape = shape_value(call.arg(0, "shape", UNKNOWN))
        d = dtype_arg(call, 1, dtype_default)
        return _np(call, shape, d)
    return fn


def _full(call):
    shape = shape_value(call.arg(0, "shape", UNKNOWN))
    fill = call.arg(1, "fill_value")
    d = dtype_arg(call, 2)
    if not dtype_given(call, 2) and isinstance(fill, Const):
        d = "float64" if isinstance(fill.value, float) else "int64" if isinstance(fill.value, int) else None
    nan = isinstance(fill, Const) and isinstance(fill.value, float) and (fill.value != fill.value or abs(fill.value) == float("inf"))
    return _np(call, shape, d, nan=nan)


def _array(call):
    data = call.arg(0, "object", UNKNOWN)
    d = dtype_arg(call, 1)
    given = dtype_given(call, 1)
    if isinstance(data, Tensor):
        return derive(data, call, fw="np", dtype=d if given else data.dtype, requires_grad=False, span=data.span)
    if not given and _ragged(data):
        # items of different known shapes (a state vector beside a reward): an array of Python
        # objects (NumPy >= 1.24 raises unless dtype=object), one per item
        n = len(data.items) if exact_items(data) is not None else None
        return _np(call, (n,), "object")
    shape, kind, nan, mag = literal_data(data)
    if not given:
        d = {"float": "float64", "int": "int64", "bool": "bool"}.get(kind) or _stacked_dtype(data)
    return _np(call, shape, d, nan=nan, magnitude=mag, span=literal_span(data), onehot=literal_onehot(data))


def _ragged(data) -> bool:
    """A list whose items have two different known shapes: `[state, action, reward]` where the
    state is an array and the reward a number."""
    if not isinstance(data, (Seq, MutableList)):
        return False
    shapes = set()
    for x in data.items:
        if isinstance(x, Const) and isinstance(x.value, (int, float)):
            shapes.add(())
        elif isinstance(x, Tensor) and x.shape is not None and all(isinstance(d, int) for d in x.shape):
            shapes.add(tuple(x.shape))
        elif isinstance(x, (Seq, MutableList)):
            inner = literal_data(x)[0]
            if inner is not None and all(isinstance(d, int) for d in inner):
                shapes.add(tuple(inner))
    return len(shapes) > 1


def _stacked_dtype(data):
    """`np.array(arrays)`: arrays collected in a list keep the dtype they all share."""
    items = data.items if isinstance(data, (Seq, MutableList)) else ()
    dtypes = {t.dtype for t in items if isinstance(t, Tensor)}
    if items and len(dtypes) == 1 and all(isinstance(t, Tensor) for t in items):
        return dtypes.pop()
    return None


def _arange(call):
    vals = [call.const(i) for i in range(3)]
    nums = [v for v in vals if v is not None]
    d = dtype_arg(call, 3)
    if not dtype_given(call, 3) and nums and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        d = "int64" if all(isinstance(v, int) for v in nums) else "float64"
    shape = None
    if nums and all(isinstance(v, int) and not isinstance(v, bool) for v in nums):
        try:
            r = range(*nums) if len(nums) <= 3 and nums[-1] != 0 or len(nums) < 3 else None
            shape = (len(r),) if r is not None else None
        except (OverflowError, TypeError, ValueError):
            shape = None
    elif _int_bounds(call):
        # `np.arange(len(xs))`: ints of unknown value still make a 1-D array of ints
        shape = (None,)
        d = d if dtype_given(call, 3) else "int64"
    return _np(call, shape, d)


def _int_bounds(call) -> bool:
    """Every bound given to arange (start, stop, step; by position) is an int, known or not."""
    given = [call.arg(i) for i in range(3) if call.arg(i) is not None]
    return bool(given) and not call.kwargs.keys() & {"start", "stop", "step"} and all(
        type(v) is UnknownInt or isinstance(v, Const) and type(v.value) is int for v in given)


def _concat(axis_default=0, qualname="np.concatenate"):
    def fn(call):
        return concatenate(call, call.arg(0), call.const(1, "axis", axis_default), qualname)
    return fn


def _hstack_axis(seq):
    """np.hstack joins 1-D arrays along axis 0 and anything else along axis 1."""
    items = seq.items if isinstance(seq, (Seq, MutableList)) else ()
    ranks = {t.rank for t in items if isinstance(t, Tensor)}
    return 0 if ranks == {1} else 1 if ranks and None not in ranks and min(ranks) >= 2 else None


def _common_dtype(parts):
    """NumPy's result type of joining arrays: the widest of their dtypes, when all are known."""
    from .ops import promote

    dtype = parts[0].dtype
    for t in parts[1:]:
        dtype = promote(dtype, t.dtype, "np")
    return dtype


def _astype(call, t):
    d = dtype_of(call.arg(0, "dtype"))
    return derive(t, call, dtype=d, span=t.span)


def _reshape_method(call, t):
    from .registry import TENSOR_METHODS as M

    return M["reshape"](call, t)


class Scaler(Value):
    __slots__ = ("kind", "low")

    def __init__(self, kind, low=None):
        self.kind = kind
        self.low = low  # MinMaxScaler: the lower end of its feature_range, when literal


def _scaler(call):
    return Scaler("scaler")


def _min_max_scaler(call):
    rng = call.arg(0, "feature_range")
    if rng is None:
        return Scaler("scaler", 0)
    ends = [v.value for v in rng.items if isinstance(v, Const)] if isinstance(rng, Seq) else []
    ok = len(ends) == 2 == len(rng.items) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in ends)
    return Scaler("scaler", ends[0] if ok else None)


def _transform(call, obj, fitted=False, rank=2):
    x = call.arg(0, "X")
    if x is not None and not isinstance(x, Tensor):
        # data the program does not show (a DataFrame's values): scikit-learn's transforms return a
        # 2-D float array all the same
        return make(call, (None,) * rank if rank else None, None, "np", normalized=True)
    if isinstance(x, Tensor):
        # fit_transform maps each column's minimum to the lower end of MinMaxScaler's feature_range
        # (a constant column too): the result certainly holds that value
        low = getattr(obj, "low", None) if fitted else None
        span = (low, low, f"MinMaxScaler(feature_range) starting at {low:g}") if low is not None else None
        return derive(x, call, dtype="float64" if x.fw == "np" else x.dtype, normalized=True, scale_mix=False,
                      magnitude=None, scale=None, span=span)
    return UNKNOWN


for name in ("StandardScaler", "RobustScaler", "Normalizer", "MaxAbsScaler", "QuantileTransformer", "PowerTransformer"):
    CALLS["sklearn.preprocessing." + name] = _scaler
CALLS["sklearn.preprocessing.MinMaxScaler"] = _min_max_scaler
OBJECT_METHODS[("Scaler", "fit_transform")] = lambda call, obj: _transform(call, obj, fitted=True)
for m in ("transform",):
    OBJECT_METHODS[("Scaler", m)] = _transform
OBJECT_METHODS[("Scaler", "fit")] = lambda call, obj: obj
CALLS["sklearn.preprocessing.scale"] = lambda call: _transform(call, None, rank=None)  # 1-D input too
CALLS["sklearn.preprocessing.normalize"] = lambda call: _transform(call, None)
CALLS["keras.utils.normalize"] = lambda call: _transform(call, None, rank=None)  # L2 norm along an axis, any rank


CALLS.update({
    "numpy.zeros": _filled(),
    "numpy.ones": _filled(),
    "numpy.empty": _filled(),
    "numpy.full": _full,
    "numpy.array": _array,
    "numpy.asarray": _array,
    "numpy.arange": _arange,
    "numpy.concatenate": _concat(0),
    "numpy.hstack": lambda call: _concat(_hstack_axis(call.arg(0)), "np.hstack")(call),
    "numpy.vstack": _concat(0, "np.vstack"),
})

# numpy array methods share the tensor method table (see torch.py); astype is numpy's own
TENSOR_METHODS["astype"] = _astype


def _np_method_as_function(method):
    """`np.reshape(a, shape)` is `a.reshape(shape)`."""
    return _on_first_argument(lambda call, a: TENSOR_METHODS[method](call, a))


def _on_first_argument(transfer):
    """`np.f(a, *rest)` as `transfer(call of *rest, a)`: the array `a` is the receiver."""
    def fn(call):
        a = call.arg(0, "a")
        if not isinstance(a, Tensor):
            return UNKNOWN
        rest = call.with_args(call.args[1:], {k: v for k, v in call.kwargs.items() if k != "a"}, call.arg_nodes[1:],
                              call.kwarg_nodes)
        return transfer(rest, a)
    return fn


def _axis_as_dim(call):
    """NumPy's `axis=` is PyTorch's `dim=` for the shared tensor methods."""
    if "axis" in call.kwargs:
        call.kwargs = {("dim" if k == "axis" else k): v for k, v in call.kwargs.items()}
    return call


def _stack(call):
    return stack_tensors(call, call.arg(0, "arrays"), call.const(1, "axis", 0))


CALLS.update({
    "numpy.reshape": _np_method_as_function("reshape"),
    "numpy.squeeze": _np_method_as_function("squeeze"),
    "numpy.stack": _stack,
    "numpy.expand_dims": lambda call: _np_method_as_function("unsqueeze")(_axis_as_dim(call)),
    "numpy.float32": lambda call: UNKNOWN,
})


# -- numpy.random.Generator (default_rng) -------------------------------------------------------

class Generator(Value):
    __slots__ = ()


def _gen_sized(size_index, dtype="float64", high_index=None):
    def fn(call, gen):
        v = call.arg(size_index, "size")
        shape = () if v is None else shape_value(v)
        d = dtype_arg(call, None, dtype)
        return _np(call, shape, d)
    return fn


CALLS["numpy.random.default_rng"] = lambda call: Generator()
CALLS["numpy.random.Generator"] = lambda call: Generator()
for _m, _fn in {
    "integers": _gen_sized(2, "int64"), "uniform": _gen_sized(2), "normal": _gen_sized(2),
    "random": _gen_sized(0), "standard_normal": _gen_sized(0), "exponential": _gen_sized(1),
    "poisson": _gen_sized(1, "int64"), "binomial": _gen_sized(2, "int64"),
}.items():
    OBJECT_METHODS[("Generator", _m)] = _fn


def _torch_eye(call):
    """`torch.eye(n)`: n one-hot rows (indexing it with labels, `torch.eye(n)[y]`, is the one-hot
    idiom; `np.eye` is below)."""
    n = call.const(0, "n", None)
    m = call.const(1, "m", None)
    if not S.known_int(n) or (m is not None and m != n):
        return UNKNOWN
    return make(call, (n, n), dtype_of(call.arg(None, "dtype")) or "float32", "torch", onehot=True, magnitude=(1.0, 1.0))


CALLS["torch.eye"] = _torch_eye
# -- more array makers, ufuncs and reductions ---------------------------------------------------

def _linspace(call):
    num = call.const(2, "num", 50)
    return _np(call, (num,) if S.known_int(num) else None, dtype_arg(call, 5, "float64"))


def _eye(call):
    n = call.const(0, "N")
    m = call.const(1, "M", None)
    m = n if m is None else m
    shape = (n if S.known_int(n) else None, m if S.known_int(m) else None)
    k = call.const(2, "k", 0)
    return _np(call, shape, dtype_arg(call, 3, "float64"), onehot=k == 0 and call.const(1, "M", None) is None)


def _ufunc(float_result=True):
    """Elementwise NumPy functions of one array: the same shape; integer input gives float64
    for the transcendental ones."""
    def fn(call):
        x = call.arg(0, "x")
        if not isinstance(x, Tensor):
            return UNKNOWN
        d = x.dtype
        if float_result and d is not None and not d.startswith("float") and not d.startswith("complex"):
            d = "float64"
        return derive(x, call, dtype=d, param=False, onehot=False, magnitude=None)
    return fn


def _ufunc2(call):
    """Elementwise NumPy functions of two arrays (maximum, minimum, power, ...): broadcast."""
    from .ops import binary_op

    a, b = call.arg(0, "x1"), call.arg(1, "x2")
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        return UNKNOWN
    out = binary_op(call.interp, "Add", a, b, call.node)
    # the shape and dtype of a sum, not its values: np.maximum(y, 0) has no negatives
    return out.with_(span=None) if isinstance(out, Tensor) else out


def _np_reduction(method):
    def fn(call):
        return _np_method_as_function(method)(_axis_as_dim(call))
    return fn


def _np_transpose(call, a):
    """`np.transpose(a, axes)`: NumPy's permutation of all dims, whatever made `a`."""
    from .torch.reshape import np_transpose

    return np_transpose(call, a)


CALLS.update({
    "numpy.linspace": _linspace, "numpy.eye": _eye, "numpy.identity": _eye,
    "numpy.zeros_like": lambda call: _like(call, None), "numpy.ones_like": lambda call: _like(call, None),
    "numpy.empty_like": lambda call: _like(call, None),
    "numpy.transpose": _on_first_argument(lambda call, a: _np_transpose(call, a)),
})
for _name in ("exp", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "tanh", "arctan", "expm1"):
    CALLS["numpy." + _name] = _ufunc(True)
for _name in ("abs", "absolute", "square", "sign", "negative", "round", "floor", "ceil", "clip", "nan_to_num"):
    CALLS["numpy." + _name] = _ufunc(False)
for _name in ("maximum", "minimum", "add", "subtract", "multiply", "power"):
    CALLS["numpy." + _name] = _ufunc2
for _name in ("sum", "mean", "std", "var", "prod"):
    CALLS["numpy." + _name] = _np_reduction(_name)
for _name in ("argmax", "argmin"):
    CALLS["numpy." + _name] = _np_reduction(_name)


def _like(call, dtype):
    src = call.arg(0, "a")
    if not isinstance(src, Tensor):
        return UNKNOWN
    return _np(call, src.shape, dtype_arg(call, 1, dtype or src.dtype))


def _class_span(call, n, call_name):
    """make_classification's labels are the ids 0..n_classes-1, each given to an equal share of the
    samples (unless `weights=` skews them): all occur once there are as many samples as classes."""
    if call_name != "make_classification" or call.arg(None, "weights") is not None:
        return None
    k = call.const(None, "n_classes", 2)
    if not (S.known_int(k) and S.known_int(n)) or k < 2 or n < k:
        return None
    return (0.0, float(k - 1), f"the class ids 0-{k - 1} of make_classification(n_classes={k})")


# -- scikit-learn's generated data sets: (X, y) with y class labels or regression targets ---------

def _sk_dataset(params: tuple, defaults: tuple, target: str, call_name: str | None = None):
    """make_classification(n_samples, n_features, ...) and the like: X float64 of shape
    [n_samples, n_features]; y int64 class labels [n_samples], or float64 targets ([n_samples]
    or [n_samples, n_targets])."""
    def fn(call):
        vals = [call.const(i, name, default) for i, (name, default) in enumerate(zip(params, defaults))]
        n = vals[0] if S.known_int(vals[0]) else None
        f = vals[1] if len(vals) > 1 and S.known_int(vals[1]) else (2 if len(vals) == 1 else None)
        # make_classification / make_regression features are normal draws: values of both signs
        # (unless make_classification's `shift=` moves them)
        shifted = call.arg(None, "shift") is not None
        x_span = normal_span((n, f), f"sklearn {call_name} features") if call_name and not shifted else None
        x = make(call, (n, f), "float64", "np", span=x_span)
        if target == "classes":
            y = make(call, (n,), "int64", "np", labels=True, classes=True, span=_class_span(call, n, call_name))
        else:
            k = call.const(None, "n_targets", 1)
            # targets are a linear function of normal features plus noise: values of both signs, unbounded
            y = make(call, (n,) if k == 1 else (n, k if S.known_int(k) else None), "float64", "np", labels=True,
                     span=normal_span((n,), "sklearn make_regression targets"))
        return Seq("tuple", (x, y))
    return fn


CALLS.update({
    "sklearn.datasets.make_classification": _sk_dataset(("n_samples", "n_features"), (100, 20), "classes", "make_classification"),
    "sklearn.datasets.make_blobs": _sk_dataset(("n_samples", "n_features"), (100, 2), "classes"),
    "sklearn.datasets.make_regression": _sk_dataset(("n_samples", "n_features"), (100, 100), "values", "make_regression"),
    "sklearn.datasets.make_moons": _sk_dataset(("n_samples",), (100,), "classes"),
    "sklearn.datasets.make_circles": _sk_dataset(("n_samples",), (100,), "classes"),
})


def _train_test_split(call):
    """train_test_split(X, y, ...): a train part and a test part of each array, in order; the
    parts keep the trailing dims, their row counts are left unknown."""
    from ..values import ANY
    from .common import subset_span

    parts = []
    for a in call.args:
        if not isinstance(a, Tensor):
            return UNKNOWN
        shape = None if a.shape is None or not a.shape or a.shape[0] is ANY else (None,) + tuple(a.shape[1:])
        part = derive(a, call, shape=shape, span=subset_span(a.span), draws=a.draws)
        sizes = _split_sizes(call, a.dim(0)) if a.draws is not None else None
        if sizes is None:
            parts += [part, part]
            continue
        # each part of independent draws is draws of its own size (its rows counted, the shape as before)
        per = S.numel(a.shape[1:])
        lo, hi, source = a.draws
        parts += [part.with_(span=subset_span(a.span) or (uniform_span(lo, hi, (k * per,), source) if per else None))
                  for k in sizes]
    return Seq("tuple", tuple(parts)) if parts else UNKNOWN


def _split_sizes(call, n):
    """(train rows, test rows) of `train_test_split` over n rows, as scikit-learn counts them
    (`test_size` 0.25 when neither size is given); None when a size is not a known number."""
    import math

    if not S.known_int(n):
        return None
    given = {}
    for key in ("test_size", "train_size"):
        v = call.kwargs.get(key)
        if v is None or isinstance(v, Const) and v.value is None:
            continue
        if not isinstance(v, Const) or not isinstance(v.value, (int, float)) or isinstance(v.value, bool):
            return None
        given[key] = v.value
    test, train = given.get("test_size"), given.get("train_size")
    count = lambda v, up: (math.ceil(v * n) if up else math.floor(v * n)) if isinstance(v, float) else v  # noqa: E731
    n_test = count(test, True) if test is not None else None
    n_train = count(train, False) if train is not None else None
    if n_test is None and n_train is None:
        n_test = math.ceil(0.25 * n)
    if n_train is None:
        n_train = n - n_test
    if n_test is None:
        n_test = n - n_train
    return (n_train, n_test) if n_train > 0 and n_test > 0 else None


CALLS["sklearn.model_selection.train_test_split"] = _train_test_split
CALLS["sklearn.cross_validation.train_test_split"] = _train_test_split
