"""`view` after the operations that change a tensor's strides (transpose, permute, `.t()`, `.T`,
`.mT`, expand, slices, `unsqueeze`, `.contiguous()`, `view` itself) or keep them in a copy (`.clone()`, `.to`),
against PyTorch: for random chains with
every dim known, TL114 must be reported exactly where torch raises."""
from __future__ import annotations

import random

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

from ._harness import SEED

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.differential

CASES = 300


def _factors(r, total):
    """A random shape holding `total` elements, sometimes with a -1 or a size-1 dim."""
    dims, rest = [], total
    while rest > 1 and len(dims) < 3:
        d = r.choice([k for k in range(1, rest + 1) if rest % k == 0])
        dims.append(d)
        rest //= d
    dims.append(rest)
    if r.random() < 0.2:
        dims.insert(r.randrange(len(dims) + 1), 1)
    r.shuffle(dims)
    if r.random() < 0.3 and total:
        dims[r.randrange(len(dims))] = -1
    return dims


def _step(r, x):
    """One operation on `x` (a real tensor) as (source text, result)."""
    n = x.dim()
    k = r.random()
    if k < 0.3 and n >= 2:
        a, b = r.sample(range(-n, n), 2)
        if a % n != b % n:
            return f".transpose({a}, {b})", x.transpose(a, b)
    if k < 0.5 and n >= 1:
        p = list(range(n))
        r.shuffle(p)
        return f".permute({', '.join(map(str, p))})", x.permute(*p)
    if k < 0.6 and n == 2:
        return r.choice([(".t()", x.t()), (".T", x.T)])
    if k < 0.65 and n >= 2:
        return ".mT", x.mT
    if k < 0.75 and n >= 1:
        d = r.randrange(n)
        lo, step = r.randrange(max(x.shape[d], 1)), r.choice([None, 1, 2, 3])
        idx = ["0" if d and r.random() < 0.1 else ":" for _ in range(d)] + [f"{lo}::{step}" if step else f"{lo}:"]
        return f"[{', '.join(idx)}]", eval(f"x[{', '.join(idx)}]", {"x": x})
    if k < 0.82 and 1 in tuple(x.shape):
        sizes = [r.choice([2, 3]) if s == 1 else s for s in x.shape]
        if r.random() < 0.3:
            sizes.insert(0, r.choice([1, 2]))
        return f".expand({', '.join(map(str, sizes))})", x.expand(*sizes)
    if k < 0.84 and n < 4:
        d = r.randrange(-n - 1, n + 1)
        return f".unsqueeze({d})", x.unsqueeze(d)
    if k < 0.86:
        # copies in the default preserve_format: a dense tensor's strides are kept
        return r.choice([(".clone()", x.clone()), (".to(torch.float64)", x.to(torch.float64))])
    if k < 0.9:
        return ".contiguous()", x.contiguous()
    new = _factors(r, x.numel())
    try:
        return f".view({', '.join(map(str, new))})", x.view(*new)
    except RuntimeError:
        return ".contiguous()", x.contiguous()  # keep the chain going: the last view is the one judged


def _case(r):
    shape = tuple(r.choice([1, 2, 3, 4]) for _ in range(r.randint(1, 4)))
    x = torch.empty(*shape, device="meta")
    text, chain = f"torch.randn{shape if len(shape) > 1 else f'({shape[0]})'}", ""
    for _ in range(r.randint(1, 4)):
        op, x = _step(r, x)
        chain += op
    new = _factors(r, x.numel())
    try:
        x.view(*new)
        raises = False
    except RuntimeError:
        raises = True
    return f"import torch\nx = {text}\ny = x{chain}\nout = y.view({', '.join(map(str, new))})\n", raises


def test_view_is_flagged_exactly_where_torch_raises():
    r = random.Random(f"{SEED}-layout")
    wrong = []
    for _ in range(CASES):
        code, raises = _case(r)
        found = any(f.code == "TL114" for f in analyze(code, "diff.py", Config(select=("TL114",)), force=True).findings)
        if found != raises:
            wrong.append(("missed" if raises else "false finding") + ":\n" + code)
    assert not wrong, "\n".join(wrong[:5])


# elementwise functions of one tensor and the `*_like` factories: laid out as torch lays out an
# elementwise result (a dense input's strides, else dense in the order of its strides)
ONE_TENSOR = (
    ("torch.exp({})", torch.exp), ("torch.sigmoid({})", torch.sigmoid), ("torch.tanh({})", torch.tanh),
    ("torch.sqrt({})", torch.sqrt), ("torch.nn.functional.relu({})", torch.nn.functional.relu),
    ("{}.exp()", torch.exp), ("{}.sigmoid()", torch.sigmoid), ("{}.log()", torch.log),
    ("torch.randn_like({})", torch.randn_like), ("torch.zeros_like({})", torch.zeros_like),
    ("torch.ones_like({})", torch.ones_like), ("torch.rand_like({})", torch.rand_like),
)


def _case_one_tensor(r):
    shape = tuple(r.choice([1, 2, 3, 4]) for _ in range(r.randint(2, 4)))
    x = torch.empty(*shape, device="meta")
    chain = ""
    for _ in range(r.randint(1, 3)):
        op, x = _step(r, x)
        chain += op
    written, fn = r.choice(ONE_TENSOR)
    z = fn(x)
    new = _factors(r, z.numel())
    try:
        z.view(*new)
        raises = False
    except RuntimeError:
        raises = True
    return (f"import torch\nx = torch.randn{shape}\ny = x{chain}\nz = {written.format('y')}\n"
            f"out = z.view({', '.join(map(str, new))})\n"), raises


def test_view_of_an_elementwise_result_is_flagged_exactly_where_torch_raises():
    r = random.Random(f"{SEED}-layout-one-tensor")
    wrong = []
    for _ in range(CASES):
        code, raises = _case_one_tensor(r)
        found = any(f.code == "TL114" for f in analyze(code, "diff.py", Config(select=("TL114",)), force=True).findings)
        if found != raises:
            wrong.append(("missed" if raises else "false finding") + ":\n" + code)
    assert not wrong, f"{len(wrong)} of {CASES}:\n" + "\n".join(wrong[:5])
