"""torch.distributions: the shapes and dtypes of what a distribution built on tensors gives
(`sample`, `rsample`, `log_prob`, `entropy`, `kl_divergence`), so that a policy's
log-probabilities, its entropy or a reparameterized sample are tensors of known shape.

A distribution has a batch shape (one distribution per entry) and an event shape (the shape of
one draw). `Normal(loc, scale)` (and the other distributions of one number with tensor
parameters) has the broadcast of its parameters and (); `Categorical(probs)` all but the last
axis of its probabilities (or logits) and (); `Bernoulli(probs)` the shape of its probabilities
and (); `MultivariateNormal(loc, covariance)` the broadcast of `loc` without its last axis and
of the covariance without its last two, and `loc`'s last axis; `Independent(base, n)` moves the
last `n` batch axes of `base` into its event. `sample(shape)` has `shape`, then the batch, then
the event shape; `log_prob(value)` the broadcast of the value without its event axes and the
batch shape; `entropy()` the batch shape. A parameter of unknown value leaves the shapes
unknown, and a distribution of a kind not listed here stays unknown.

A sample does not carry gradients; a reparameterized sample (`rsample`), a log-probability and
an entropy carry those of the parameters (and of the value scored).
"""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, Tensor, Value, is_float_dtype
from ..common import derive, grad_models, grad_of, make, shape_value
from ..registry import CALLS, OBJECT_METHODS
from .. import shapes as S


class Distribution(Value):
    """`batch`, `event`: shapes (None where not known); `dtype`: the dtype of a draw; `params`:
    the tensors it was built from."""

    __slots__ = ("batch", "event", "dtype", "params")

    def __init__(self, batch, event, dtype, params):
        self.batch, self.event, self.dtype, self.params = batch, event, dtype, params

    def describe(self) -> str:
        return "distribution"


def _shape(v):
    """The shape of a parameter: a tensor's, () for a number, None otherwise."""
    if isinstance(v, Tensor):
        return v.shape
    if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool):
        return ()
    return None


def _float(*values):
    """The dtype of the parameters: the first tensor's float dtype (float32 for numbers only)."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    if not tensors:
        return "float32"
    d = tensors[0].dtype
    return d if is_float_dtype(d) and all(t.dtype == d for t in tensors) else None


def _given(*values):
    return tuple(v for v in values if v is not None and not (isinstance(v, Const) and v.value is None))


def _scalar_family(*names):
    """A distribution of one number per entry whose parameters broadcast (`Normal(loc, scale)`)."""
    def fn(call):
        params = tuple(call.arg(i, name) for i, name in enumerate(names))
        if any(_shape(p) is None and not isinstance(p, Tensor) for p in params):
            return UNKNOWN  # a parameter missing, or neither a tensor nor a number
        batch = ()
        for p in params:
            batch = S.broadcast(batch, _shape(p)) if batch is not None else None
        return Distribution(batch, (), _float(*params), params)
    return fn


def _categorical(call):
    given = _given(call.arg(0, "probs"), call.arg(1, "logits"))
    if len(given) != 1:
        return UNKNOWN
    p = given[0]
    shape = p.shape if isinstance(p, Tensor) else None
    batch = S.prefix(shape, 1) if shape is not None and S.last_dims(shape, 1) is not None else None
    if isinstance(p, Tensor) and p.dtype is not None and not is_float_dtype(p.dtype):
        return UNKNOWN
    return Distribution(batch, (), "int64", (p,))


def _bernoulli(call):
    given = _given(call.arg(0, "probs"), call.arg(1, "logits"))
    if len(given) != 1:
        return UNKNOWN
    return Distribution(_shape(given[0]), (), _float(given[0]), given)


def _multivariate_normal(call):
    loc = call.arg(0, "loc")
    matrices = _given(call.arg(1, "covariance_matrix"), call.arg(2, "precision_matrix"), call.arg(3, "scale_tril"))
    if not isinstance(loc, Tensor) or len(matrices) != 1:
        return UNKNOWN
    m = _shape(matrices[0])
    event = S.last_dims(loc.shape, 1)
    batch = S.broadcast(S.prefix(loc.shape, 1), S.prefix(m, 2)) if event is not None and S.last_dims(m, 2) is not None else None
    return Distribution(batch, event, _float(loc, *matrices), (loc, *matrices))


def _independent(call):
    base, n = call.arg(0, "base_distribution"), call.const(1, "reinterpreted_batch_ndims", None)
    if not isinstance(base, Distribution) or not S.known_int(n) or n < 0:
        return UNKNOWN
    moved = S.last_dims(base.batch, n) if n else ()
    if moved is None or base.event is None:
        return Distribution(None, None, base.dtype, base.params)
    return Distribution(S.prefix(base.batch, n) if n else base.batch, tuple(moved) + tuple(base.event),
                        base.dtype, base.params)


def _joined(a, b):
    """Shape `a` followed by shape `b` (None when either is not known)."""
    if a is None or b is None:
        return None
    if b and b[0] is ANY:
        return (ANY,) + tuple(b[1:]) if a else tuple(b)
    return tuple(a) + tuple(b)


def _result(call, d: Distribution, shape, dtype, grad_from):
    """A tensor computed from the distribution's parameters (`grad_from` its differentiable inputs)."""
    base = next((p for p in (*d.params, *grad_from) if isinstance(p, Tensor)), None)
    if base is None:
        return make(call, shape, dtype, "torch")
    return derive(base, call, shape=shape, dtype=dtype, origin=call.node, param=False, labels=False, magnitude=None, onehot=False,
                  activation=None, normalized=False, scale=None, broadcast=None, layout=None,
                  requires_grad=grad_of(*grad_from) if grad_from else False,
                  models=grad_models(*grad_from) if grad_from else frozenset())


def _sample(reparameterized):
    def fn(call, d):
        size = call.arg(0, "sample_shape")
        # a sequence of sizes or a torch.Size (torch refuses a bare number)
        prefix = () if size is None else None if isinstance(size, Const) else shape_value(size)
        shape = _joined(prefix, _joined(d.batch, d.event))
        return _result(call, d, shape, d.dtype, d.params if reparameterized else ())
    return fn


def _log_prob(call, d):
    value = call.arg(0, "value")
    scored = _shape(value)
    if scored is None or d.event is None or S.last_dims(scored, len(d.event)) is None:
        shape = None
    else:
        shape = S.broadcast(S.prefix(scored, len(d.event)) if d.event else scored, d.batch)
    dtype = d.dtype if is_float_dtype(d.dtype) else _float(*d.params)
    return _result(call, d, shape, dtype, (*d.params, value))


def _entropy(call, d):
    dtype = d.dtype if is_float_dtype(d.dtype) else _float(*d.params)
    return _result(call, d, d.batch, dtype, d.params)


def _kl_divergence(call):
    p, q = call.arg(0, "p"), call.arg(1, "q")
    if not isinstance(p, Distribution) or not isinstance(q, Distribution):
        return UNKNOWN
    dtype = _float(*p.params, *q.params)
    return _result(call, p, S.broadcast(p.batch, q.batch), dtype, (*p.params, *q.params))


_KINDS = {
    "normal.Normal": _scalar_family("loc", "scale"),
    "laplace.Laplace": _scalar_family("loc", "scale"),
    "log_normal.LogNormal": _scalar_family("loc", "scale"),
    "cauchy.Cauchy": _scalar_family("loc", "scale"),
    "gumbel.Gumbel": _scalar_family("loc", "scale"),
    "uniform.Uniform": _scalar_family("low", "high"),
    "beta.Beta": _scalar_family("concentration1", "concentration0"),
    "categorical.Categorical": _categorical,
    "bernoulli.Bernoulli": _bernoulli,
    "multivariate_normal.MultivariateNormal": _multivariate_normal,
    "independent.Independent": _independent,
}
for _path, _fn in _KINDS.items():
    CALLS["torch.distributions." + _path] = _fn
    CALLS["torch.distributions." + _path.rpartition(".")[2]] = _fn
CALLS["torch.distributions.kl_divergence"] = _kl_divergence
CALLS["torch.distributions.kl.kl_divergence"] = _kl_divergence
OBJECT_METHODS[("Distribution", "sample")] = _sample(False)
OBJECT_METHODS[("Distribution", "rsample")] = _sample(True)
OBJECT_METHODS[("Distribution", "log_prob")] = _log_prob
OBJECT_METHODS[("Distribution", "entropy")] = _entropy
