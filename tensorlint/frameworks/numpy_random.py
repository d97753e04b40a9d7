"""NumPy's legacy random functions (`np.random.rand`, `uniform`, `randint`, ...): arrays of the
requested size, with the values a sizable sample of the distribution holds (see
`tensorlint.frameworks.common`'s spans)."""
from __future__ import annotations

from .common import dtype_arg, make, normal_span, shape_from_args, shape_value, uniform_int_span, uniform_span
from .registry import CALLS
from ..values import Tensor


def _np(call, shape, dtype="float64", **kw) -> Tensor:
    return make(call, shape, dtype, "np", **kw)


def _uniform_draws(call, shape, dtype, low, high, source, **kw) -> Tensor:
    """A fresh array of draws from [low, high): the values it holds near both ends (a sizable
    sample) and, for element-wise writes, the interval each element is drawn from."""
    known = all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (low, high)) and high > low
    draws = (float(low), float(high), source) if known else None
    return _np(call, shape, dtype, span=uniform_span(low, high, shape, source), draws=draws, **kw)


def _rand(call):  # np.random.rand(2, 3)
    shape = shape_from_args(call, 0, "__none__") if call.args else ()
    return _uniform_draws(call, shape, "float64", 0.0, 1.0, "np.random.rand",
                          magnitude=(None, 1.0) if call.node is not None else None)


def _random01(call):  # np.random.random(size) / random_sample(size)
    v = call.arg(0, "size")
    shape = () if v is None else shape_value(v)
    return _uniform_draws(call, shape, "float64", 0.0, 1.0, "np.random.random")


def _np_uniform(call):  # np.random.uniform(low=0.0, high=1.0, size=None)
    v = call.arg(2, "size")
    shape = () if v is None else shape_value(v)
    low, high = call.const(0, "low"), call.const(1, "high")
    low = 0.0 if low is None and call.arg(0, "low") is None else low
    high = 1.0 if high is None and call.arg(1, "high") is None else high
    mag = (None, abs(high)) if isinstance(high, (int, float)) and not isinstance(high, bool) else None
    return _uniform_draws(call, shape, "float64", low, high, f"np.random.uniform({_num(low)}, {_num(high)})", magnitude=mag)


def _num(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else "?"




def _randn(call):
    shape = shape_from_args(call, 0, "__none__") if call.args else ()
    return _np(call, shape, span=normal_span(shape, "np.random.randn"))


def _sized(size_index, dtype="float64", magnitude_from=None, normal=None):
    def fn(call):
        v = call.arg(size_index, "size")
        shape = () if v is None else shape_value(v)
        mag = None
        if magnitude_from is not None:
            hi = call.const(*magnitude_from)
            if isinstance(hi, (int, float)) and not isinstance(hi, bool):
                mag = (None, abs(hi))
        # a normal distribution of several samples holds values far on both sides of its mean
        span = normal_span(shape, normal) if normal else None
        return _np(call, shape, dtype, magnitude=mag, span=span)
    return fn


def _randint(call):
    """np.random.randint(low, high=None, size=None): integers in [low, high), or [0, low)."""
    v = call.arg(2, "size")
    shape = () if v is None else shape_value(v)
    d = dtype_arg(call, 3, "int64")
    low, high = call.const(0, "low"), call.const(1, "high")
    if high is None:
        low, high = 0, low
    span = uniform_int_span(low, high, shape, f"np.random.randint({low}, {high})")
    return _np(call, shape, d, span=span)


CALLS.update({
    "numpy.random.rand": _rand,
    "numpy.random.randn": _randn,
    "numpy.random.random": _random01,
    "numpy.random.random_sample": _random01,
    "numpy.random.uniform": _np_uniform,
    "numpy.random.normal": _sized(2, normal="np.random.normal"),
    "numpy.random.standard_normal": _sized(0, normal="np.random.standard_normal"),
    "numpy.random.randint": _randint,
})
