"""NumPy's array manipulation, sorting, logic and statistics functions (`np.argsort`, `np.append`,
`np.pad`, `np.meshgrid`, `np.split`, `np.flip`, `np.cumsum`, `np.percentile`, `np.linalg.norm`,
...), against NumPy itself: random valid configurations (a seeded generator, a bounded number)
written several ways (positional and keyword arguments, negative axes) must give the shape and
dtype NumPy gives. A length that depends on the data stays unknown."""
from __future__ import annotations

import pytest

from ._harness import check_generated, inferred, numpy_result, random_shape

pytestmark = pytest.mark.differential

HEADER = "import numpy as np\n"
ARRAYS = ("np.random.rand{s}", "np.zeros({s}, dtype=np.int32)", "np.ones({s}, dtype='float32')",
          "np.random.randint(0, 5, size={s})")


def _array(r, shape):
    return r.choice(ARRAYS).format(s=tuple(shape))


def sorting(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    op = r.choice(["np.argsort(a)", f"np.argsort(a, axis={r.randint(-n, n - 1)})", "np.argsort(a, axis=None)",
                   "np.sort(a)", f"np.sort(a, {r.randint(-n, n - 1)})", "np.cumsum(a)", f"np.cumsum(a, axis={r.randint(-n, n - 1)})",
                   "np.cumprod(a, axis=None)", "np.flip(a)", f"np.flip(a, {r.randint(-n, n - 1)})",
                   f"np.roll(a, {r.randint(-3, 3)})", f"np.roll(a, 1, axis={r.randint(-n, n - 1)})"])
    return f"a = {_array(r, shape)}\nout = {op}"


def joining(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    other = list(shape)
    axis = r.randint(-n, n - 1)
    other[axis] = r.randint(1, 4)
    op = r.choice([f"np.append(a, c, axis={axis})", f"np.append(a, c, {axis})",
                   "np.column_stack([a.reshape(-1), a.reshape(-1)])", "np.column_stack((a.reshape(-1, 1), a.reshape(-1)))",
                   "np.outer(a, b)"])
    return f"a = {_array(r, shape)}\nb = {_array(r, random_shape(r, r.randint(1, 2)))}\nc = np.ones({tuple(other)})\nout = {op}"


def padding(r):
    shape = random_shape(r, r.randint(1, 3))
    widths = [(r.randint(0, 2), r.randint(0, 2)) for _ in shape]
    op = r.choice([f"np.pad(a, {widths})", f"np.pad(a, {r.randint(0, 3)})", f"np.pad(a, ({r.randint(0, 2)}, {r.randint(0, 2)}))",
                   f"np.pad(a, pad_width={tuple(widths)}, mode='constant')", f"np.pad(a, {widths}, 'edge')"])
    return f"a = {_array(r, shape)}\nout = {op}"


def grids_and_splits(r):
    n, m, k = random_shape(r, 3, 1, 6)
    rows = r.choice([d for d in range(1, 7) if (n * 2) % d == 0])
    op = r.choice([f"np.meshgrid(np.arange({n}), np.linspace(0, 1, {m}))[{r.randint(0, 1)}]",
                   f"np.meshgrid(np.arange({n}), np.arange({m}), indexing='ij')[1]",
                   f"np.meshgrid(np.arange({n}), np.arange({m}), np.arange({k}))[2]",
                   f"np.split(np.ones(({n * 2}, {m})), {rows})[0]", f"np.split(np.ones(({n}, {m})), [1, 3], axis=0)[{r.randint(0, 2)}]",
                   f"np.array_split(np.ones(({m}, {n})), {k}, axis=1)[{r.randint(0, k - 1)}]",
                   f"np.split(np.ones(({m}, {n * 2})), 2, axis=-1)[1]"])
    return f"out = {op}"


def rearranging(r):
    shape = random_shape(r, r.randint(2, 4))
    n = len(shape)
    op = r.choice(["np.fliplr(a)", "np.flipud(a)", "np.rot90(a)", f"np.rot90(a, {r.randint(-3, 3)})",
                   f"np.rot90(a, k=1, axes=(1, 0))", f"np.moveaxis(a, {r.randint(-n, n - 1)}, {r.randint(-n, n - 1)})",
                   "np.moveaxis(a, [0, 1], [-1, -2])", "np.ascontiguousarray(a)", "np.ascontiguousarray(a, dtype=np.float32)",
                   "np.atleast_2d(a)", "np.atleast_2d(a[0, 0])", "np.atleast_2d(a.reshape(-1))"])
    return f"a = {_array(r, shape)}\nout = {op}"


def logic(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    op = r.choice(["np.isnan(a)", "np.isinf(a)", "np.isfinite(a)", "np.logical_not(a > 1)", "np.logical_and(a > 0, a < 3)",
                   "np.logical_or(a > 0, True)", "np.all(a > 0)", f"np.all(a > 0, axis={r.randint(-n, n - 1)})",
                   f"np.any(a, {r.randint(-n, n - 1)}, keepdims=True)", "np.any(a > 0, keepdims=True)",
                   f"np.count_nonzero(a, axis={r.randint(-n, n - 1)})", "np.mod(a, 3)", "np.mod(a, a)"])
    return f"a = {_array(r, shape)}\nout = {op}"


def statistics(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    ax = r.randint(-n, n - 1)
    op = r.choice(["np.median(a)", f"np.median(a, axis={ax})", f"np.median(a, {ax}, keepdims=True)",
                   "np.percentile(a, 50)", f"np.percentile(a, [10, 90], axis={ax})", f"np.percentile(a, q=5, axis={ax})",
                   f"np.nanmean(a, axis={ax})", "np.average(a)", f"np.average(a, axis={ax})", "np.linalg.norm(a)",
                   f"np.linalg.norm(a, axis={ax})", f"np.linalg.norm(a, axis={ax}, keepdims=True)"])
    return f"a = {_array(r, shape)}\nout = {op}"


def matrices(r):
    n, m = random_shape(r, 2)
    k = r.randint(-2, 2)
    op = r.choice([f"np.diag(np.ones({n}))", f"np.diag(np.arange({n}), {k})", f"np.diag(np.ones(({n}, {m})), k={k})",
                   f"np.trace(np.ones(({n}, {m})))", f"np.trace(np.ones(({n}, {m}, 3), dtype=np.int32))",
                   f"np.convolve(np.ones({n}), np.ones({m}))", f"np.convolve(np.ones({n}), np.ones({m}), 'same')",
                   f"np.convolve(np.ones({n}), np.ones({m}), mode='valid')",
                   f"np.real(np.ones(({n}, {m}), dtype=np.complex64))", f"np.interp(np.ones({n}), np.arange(3.0), np.ones(3))",
                   f"np.random.binomial(1, 0.5, size=({n}, {m}))", f"np.random.beta(1.0, 2.0, {n})",
                   f"np.ndarray(({n}, {m}))", f"np.ndarray(({n},), dtype=np.int32)", f"np.zeros(np.shape(np.ones(({n}, {m}))))"])
    return f"out = {op}"


FAMILIES = {"sorting": sorting, "joining": joining, "padding": padding, "grids/splits": grids_and_splits,
            "rearranging": rearranging, "logic": logic, "statistics": statistics, "matrices": matrices}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_numpy_array_functions_agree_with_numpy(family):
    check_generated("numpy-arrays:" + family, FAMILIES[family], HEADER, numpy_result)


def test_data_dependent_lengths_stay_unknown():
    for op in ("np.nonzero(a)[0]", "np.nonzero(a > 0.5)[1]", "np.frombuffer(b'1234', dtype=np.uint8)"):
        engine = inferred(HEADER + f"a = np.random.rand(5, 3)\nout = {op}")
        assert engine is not None and engine[0] in ((None,), ("...",)), (op, engine)


def test_lists_and_other_frameworks_stay_unknown():
    """A Python list or a torch tensor is not read as an array (its dtype would be a guess)."""
    for code in ("out = np.argsort([3, 1, 2])", "import torch\nout = np.flip(torch.ones(3))",
                 "out = np.pad([1, 2], 1)", "a = np.ones((2, 3))\nout = np.split(a, 4)"):
        assert inferred(HEADER + code) is None, code
