"""torch functions the engine models as real scripts call them (`torch.max(x, 1)`,
`torch.transpose`, `torch.add`, padding layers, in-place initializers...), against PyTorch on the
meta device: random valid configurations (a seeded generator, a bounded number) must give the
shape and dtype PyTorch gives. Only this test process imports torch."""
from __future__ import annotations

import pytest

from ._harness import EINSUM, broadcastable, check_generated, einsum_equation, random_shape
from .test_torch_tables import _real

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.differential

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"




def reductions(r):
    shape = random_shape(r, r.randint(1, 4))
    dim = r.randint(-len(shape), len(shape) - 1)
    fn = r.choice(["max", "min"])
    form = r.choice(["values", "whole", "keepdim", "indices"])
    if form == "whole":
        return f"x = torch.randn{shape}\nout = torch.{fn}(x)"
    if form == "keepdim":
        return f"x = torch.randn{shape}\nout = x.{fn}({dim}, keepdim=True)[0]"
    if form == "indices":
        return f"x = torch.randn{shape}\nout = torch.{fn}(x, dim={dim})[1]"
    return f"x = torch.randn{shape}\nout = torch.{fn}(x, {dim})[0]"


def binary(r):
    a = random_shape(r, r.randint(1, 4))
    b = broadcastable(r, a)
    if r.random() < 0.5:
        a, b = b, a
    fn = r.choice(["add", "mul", "sub", "div", "multiply", "maximum", "minimum", "gt", "lt", "eq", "pow"])
    return f"a = torch.randn{a}\nb = torch.randn{b}\nout = torch.{fn}(a, b)"


def transpose(r):
    shape = random_shape(r, r.randint(2, 4))
    d0, d1 = r.randint(-len(shape), len(shape) - 1), r.randint(-len(shape), len(shape) - 1)
    return f"x = torch.randn{shape}\nout = torch.transpose(x, {d0}, {d1})"


def elementwise(r):
    shape = random_shape(r, r.randint(1, 4))
    op = r.choice(["F.tanh(x)", "F.softplus(x)", "torch.clamp(x, min=0)", "torch.clamp(x, -1, 1)", "torch.tril(x)" if len(shape) >= 2 else "x.clone()",
                   "torch.triu(x)" if len(shape) >= 2 else "x.clone()", "F.elu(x)", "F.leaky_relu(x, 0.2)", "torch.neg(x)",
                   "F.gelu(x)", "torch.nan_to_num(x)", "torch.clip(x, 0, 1)"])
    return f"x = torch.randn{shape}\nout = {op}"


def padding(r):
    c, h, w = random_shape(r, 3, 2, 9)
    p = r.randint(1, min(h, w) - 1)
    layer = r.choice([f"nn.ZeroPad2d({p})", f"nn.ReflectionPad2d({p})", f"nn.ReplicationPad2d({p})",
                      f"nn.ZeroPad2d(({p}, 0, {p - 1}, 1))", f"nn.ConstantPad2d({p}, 0.5)"])
    if r.random() < 0.3:
        return f"x = torch.randn(2, {c}, {h}, {w})\nout = F.pad(x, ({p}, {p}))"
    return f"x = torch.randn(2, {c}, {h}, {w})\nout = {layer}(x)"


def pixel_shuffle(r):
    f = r.randint(1, 3)
    c, h, w = r.randint(1, 3), r.randint(1, 5), r.randint(1, 5)
    return f"x = torch.randn(2, {c * f * f}, {h}, {w})\nout = nn.PixelShuffle({f})(x)"


def sampling(r):
    rows, k = r.randint(1, 5), r.randint(2, 8)
    n = r.randint(1, k)
    op = r.choice([f"torch.multinomial(torch.rand({rows}, {k}), {n})", f"torch.randperm({k})",
                   f"torch.normal(torch.zeros({rows}, {k}), torch.ones({rows}, {k}))",
                   f"torch.normal(0.0, 1.0, size=({rows}, {k}))", f"torch.multinomial(torch.rand({k}), {n}, replacement=True)"])
    return f"out = {op}"


def init_in_place(r):
    a, b = r.randint(1, 9), r.randint(1, 9)
    fn = r.choice(["xavier_uniform_", "xavier_normal_", "kaiming_normal_", "kaiming_uniform_", "normal_", "zeros_",
                   "ones_", "orthogonal_", "uniform_", "trunc_normal_"])
    return f"out = nn.init.{fn}(torch.empty({a}, {b}))"


def dot(r):
    n = r.randint(1, 9)
    return f"a = torch.randn({n})\nout = torch.dot(a, torch.randn({n}))"


def einsum(r):
    form, shapes = einsum_equation(r, r.choice(EINSUM))
    ops = ", ".join(f"torch.randn{s if len(s) != 1 else f'({s[0]},)'}" for s in shapes)
    return f"out = torch.einsum({form!r}, {ops})" if r.random() < 0.7 else f"out = torch.einsum({form!r}, [{ops}])"


def norms(r):
    shape = random_shape(r, r.randint(1, 4))
    n = len(shape)
    dim = r.randint(-n, n - 1)
    keep = r.choice(["", ", keepdim=True"])
    dims = tuple(sorted(r.sample(range(n), r.randint(1, n))))
    op = r.choice([f"x.norm(2, {dim}{keep})", f"x.norm(dim={dim}{keep})", f"x.norm(p=1, dim={dim})", "x.norm()",
                   f"torch.norm(x, 2, {dim}{keep})", f"torch.norm(x, dim={dim}{keep})", "torch.norm(x)",
                   f"torch.linalg.norm(x, dim={dim}{keep})", f"torch.linalg.vector_norm(x, 2, {dim}{keep})",
                   f"torch.linalg.vector_norm(x, dim={dims}{keep})", f"torch.linalg.vector_norm(x{keep})"])
    return f"x = torch.randn{shape}\nout = {op}"


def sort_diag(r):
    shape = random_shape(r, r.randint(1, 3))
    dim = r.randint(-len(shape), len(shape) - 1)
    form = r.choice(["sort values", "sort indices", "diag of vector", "diag of matrix"])
    if form == "sort values":
        return f"x = torch.randn{shape}\nout = " + r.choice([f"torch.sort(x, {dim})[0]", f"x.sort(dim={dim}, descending=True)[0]"])
    if form == "sort indices":
        return f"x = torch.randn{shape}\nout = " + r.choice([f"torch.sort(x, {dim}, True)[1]", f"x.sort({dim})[1]"])
    k = r.randint(-3, 3)
    if form == "diag of vector":
        return f"x = torch.randn({shape[0]})\nout = " + r.choice([f"torch.diag(x, {k})", "x.diag()", f"torch.diag(x, diagonal={k})"])
    rows, cols = random_shape(r, 2)
    return f"x = torch.randn({rows}, {cols})\nout = " + r.choice([f"torch.diag(x, {k})", "x.diag()", f"x.diag({k})"])


def repeat_tile(r):
    shape = random_shape(r, r.randint(1, 3), 1, 5)
    more = [r.randint(1, 3) for _ in range(len(shape) + r.randint(0, 1))]
    fewer = [r.randint(1, 3) for _ in range(r.randint(1, len(shape)))]
    other = r.choice(["torch.zeros(2, dtype=torch.float64)", "torch.zeros(2, dtype=torch.int64)", "torch.zeros(2)"])
    return f"x = torch.randn{shape}\nout = " + r.choice([
        f"x.repeat({', '.join(map(str, more))})", f"x.repeat({tuple(more)})", f"torch.tile(x, {tuple(fewer)})",
        f"x.tile({tuple(more)})", f"torch.tile(x, dims={list(fewer)})", f"x.type_as({other})",
        f"x.repeat({', '.join(map(str, more))}).type_as({other})",
    ])


FAMILIES = {
    "sort/diag": sort_diag, "repeat/tile/type_as": repeat_tile,
    "max/min": reductions, "binary functions": binary, "transpose": transpose, "elementwise": elementwise,
    "padding": padding, "PixelShuffle": pixel_shuffle, "sampling": sampling, "init": init_in_place, "dot": dot,
    "einsum": einsum, "norms": norms,
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_torch_ops_agree_with_torch(family):
    check_generated("torch-ops:" + family, FAMILIES[family], HEADER, _real)


def test_nonzero_agrees_with_torch():
    """`torch.nonzero(x)` / `x.nonzero()`: one int64 row of positions per nonzero element, so the
    count depends on the data (the engine leaves it unknown) and the row has one entry per axis;
    with `as_tuple=True`, one int64 vector per axis."""
    from ._harness import disagreement, inferred, rng

    r = rng("torch-ops:nonzero")
    for _ in range(8):
        shape = random_shape(r, r.randint(0, 3))
        make = f"torch.randn({shape!r})"
        for form in ("torch.nonzero(x > 0)", "x.nonzero()", "torch.nonzero(x, as_tuple=False)",
                     "torch.nonzero(x, as_tuple=True)[0]", "(x > 0).nonzero(as_tuple=True)[-1]"):
            code = f"x = {make}\nout = {form}"
            env = {"torch": torch}
            exec(code, env)  # noqa: S102 - generated test code
            real = env["out"]
            engine = inferred(HEADER + code)
            assert disagreement(engine, tuple(real.shape), str(real.dtype).replace("torch.", "")) is None, (code, engine)
            assert engine[0][1:] == tuple(real.shape)[1:] and engine[1] == "int64", (code, engine, real.shape)
