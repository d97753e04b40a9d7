"""The torch tables against PyTorch itself: every modeled layer and op, built with random valid
configurations (a seeded generator, a bounded number), must give the shape and dtype that
PyTorch gives on the meta device (no memory, no compute). A disagreement is a bug in the table.
Only this test process imports torch; the analyzer never does."""
from __future__ import annotations

import pytest

from ._harness import CASES_PER_FAMILY, check_family, rng

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.differential

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def _shape(r, rank, lo=1, hi=9):
    return tuple(r.randint(lo, hi) for _ in range(rank))


def linear(r):
    i, o = r.randint(1, 64), r.randint(1, 64)
    lead = _shape(r, r.randint(1, 3))
    return f"x = torch.randn{lead + (i,)}\nout = nn.Linear({i}, {o})(x)"


def conv(n, transpose=False):
    def gen(r):
        cin, cout, k = r.randint(1, 8), r.randint(1, 8), r.randint(1, 5)
        stride = r.randint(1, 3)
        dil = r.randint(1, 2)
        size = tuple(r.randint(dil * (k - 1) + 1, 20) for _ in range(n))
        name = f"ConvTranspose{n}d" if transpose else f"Conv{n}d"
        if transpose:
            pad = r.randint(0, (k - 1) // 2)
            op = r.randint(0, max(stride, dil) - 1)
            args = f"{cin}, {cout}, {k}, stride={stride}, padding={pad}, output_padding={op}, dilation={dil}"
        elif stride == 1 and r.random() < 0.3:
            args = f"{cin}, {cout}, {k}, padding='same', dilation={dil}"
        else:
            args = f"{cin}, {cout}, kernel_size={k}, stride={stride}, padding={r.randint(0, k // 2)}, dilation={dil}"
        batch = (r.randint(1, 4),) if r.random() < 0.8 else ()
        return f"x = torch.randn{batch + (cin,) + size}\nout = nn.{name}({args})(x)"
    return gen


def pool(kind, n):
    def gen(r):
        c = r.randint(1, 6)
        if kind == "Adaptive":
            size = _shape(r, n, 4, 20)
            o = r.randint(1, 4)
            return f"x = torch.randn{(2, c) + size}\nout = nn.AdaptiveAvgPool{n}d({o})(x)"
        k = r.randint(1, 4)
        size = _shape(r, n, k, 20)
        stride = r.choice([None, 1, 2, 3])
        pad = r.randint(0, k // 2)
        stride_arg = "" if stride is None else f", stride={stride}"
        return f"x = torch.randn{(2, c) + size}\nout = nn.{kind}Pool{n}d({k}{stride_arg}, padding={pad})(x)"
    return gen


def flatten(r):
    rank = r.randint(2, 5)
    start = r.randint(0, rank - 1)
    end = r.choice([-1, r.randint(start, rank - 1)])
    return f"x = torch.randn{_shape(r, rank)}\nout = nn.Flatten({start}, {end})(x)"


def embedding(r):
    n, d = r.randint(2, 50), r.randint(1, 16)
    return f"ids = torch.randint(0, {n}, {_shape(r, r.randint(1, 3))})\nout = nn.Embedding({n}, {d})(ids)"


def embedding_bag(r):
    n, d = r.randint(2, 50), r.randint(1, 16)
    return f"ids = torch.randint(0, {n}, {_shape(r, 2)})\nout = nn.EmbeddingBag({n}, {d})(ids)"


def rnn(r):
    kind = r.choice(["LSTM", "GRU", "RNN"])
    i, h = r.randint(1, 16), r.randint(1, 16)
    bi = r.random() < 0.5
    batch_first = r.random() < 0.5
    return (f"x = torch.randn{_shape(r, 3)[:2] + (i,)}\n"
            f"out, _ = nn.{kind}({i}, {h}, bidirectional={bi}, batch_first={batch_first})(x)")


def same_shape_layer(r):
    c = r.randint(1, 8)
    layer = r.choice([f"nn.BatchNorm2d({c})", "nn.ReLU()", "nn.Dropout(0.3)", "nn.Softmax(dim=1)", "nn.Tanh()",
                      "nn.LeakyReLU(0.2)", "nn.Sigmoid()", "nn.Identity()", "nn.GELU()"])
    return f"x = torch.randn{(2, c) + _shape(r, 2)}\nout = {layer}(x)"


def layer_norm(r):
    shape = _shape(r, 3)
    return f"x = torch.randn{shape}\nout = nn.LayerNorm({shape[-1]})(x)"


def upsample(r):
    size = _shape(r, 2)
    if r.random() < 0.5:
        return f"x = torch.randn{(1, 3) + size}\nout = nn.Upsample(scale_factor={r.randint(1, 3)})(x)"
    return f"x = torch.randn{(1, 3) + size}\nout = F.interpolate(x, size={_shape(r, 2)})"


def unflatten(r):
    a, b = r.randint(1, 5), r.randint(1, 5)
    return f"x = torch.randn(3, {a * b}, 2)\nout = nn.Unflatten(1, ({a}, {b}))(x)"


def sequential(r):
    cin, mid = r.randint(1, 4), r.randint(1, 8)
    k = r.randint(1, 3)
    size = r.randint(k + 2, 16)
    return (f"net = nn.Sequential(nn.Conv2d({cin}, {mid}, {k}), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())\n"
            f"out = net(torch.randn(2, {cin}, {size}, {size}))")


def cat_stack(r):
    shape = _shape(r, r.randint(1, 3))
    rank = len(shape)
    if r.random() < 0.5:
        dim = r.randint(-rank, rank - 1)
        other = list(shape)
        other[dim] = r.randint(1, 5)
        return f"a = torch.randn{shape}\nb = torch.randn{tuple(other)}\nout = torch.cat([a, b], dim={dim})"
    dim = r.randint(-rank - 1, rank)
    return f"a = torch.randn{shape}\nout = torch.stack([a, a, a], dim={dim})"


def reshape_ops(r):
    shape = _shape(r, 3, 1, 6)
    op = r.choice([
        f"x.view(-1, {shape[-1]})", f"x.reshape({shape[0]}, -1)", "x.flatten(1)", "x.permute(2, 0, 1)",
        "x.transpose(0, 2)", f"x.unsqueeze({r.randint(-4, 3)})", "x.t()" if False else "x.contiguous()",
        f"x.sum({r.randint(-3, 2)})", f"x.mean(dim={r.randint(0, 2)}, keepdim=True)", f"x.argmax({r.randint(0, 2)})",
        "x.squeeze(1)", "x.T", "x.expand(2, -1, -1, -1)" if False else "x.clone()",
    ])
    return f"x = torch.randn{shape}\nout = {op}"


def matmul(r):
    n, k, m = _shape(r, 3)
    lead = _shape(r, r.randint(0, 1))
    return f"a = torch.randn{lead + (n, k)}\nb = torch.randn({k}, {m})\nout = torch.matmul(a, b)"


def dtypes(r):
    expr = r.choice([
        f"torch.full(({r.randint(1, 5)},), {r.choice(['1', '1.5', 'True', '0'])})",
        f"torch.arange({r.randint(1, 9)})", f"torch.arange(0, {r.randint(1, 9)}, 0.5)",
        "torch.zeros(3, dtype=torch.float64)", "torch.tensor([1, 2, 3])", "torch.tensor([[1.0, 2.0]])",
        "torch.randint(0, 5, (4,)).float()", "torch.randint(0, 5, (4,)) / 2", "torch.randint(0, 5, (4,)) * 1.5",
        "torch.randint(0, 5, (4,)).type(torch.FloatTensor)", "torch.ones(2, 2).long()", "torch.ones(4).double() * torch.ones(4)",
        "torch.ones(4) * torch.tensor(2.0, dtype=torch.float64)", "torch.ones(3, dtype=torch.int32).to(torch.float16)",
        "torch.linspace(0, 1, 7)", "torch.randn(3, 4) > 0",
    ])
    return f"out = {expr}"


FAMILIES = {
    "Linear": linear, "Conv1d": conv(1), "Conv2d": conv(2), "Conv3d": conv(3),
    "ConvTranspose1d": conv(1, True), "ConvTranspose2d": conv(2, True),
    "MaxPool1d": pool("Max", 1), "MaxPool2d": pool("Max", 2), "AvgPool1d": pool("Avg", 1), "AvgPool2d": pool("Avg", 2),
    "AdaptiveAvgPool1d": pool("Adaptive", 1), "AdaptiveAvgPool2d": pool("Adaptive", 2),
    "Flatten": flatten, "Embedding": embedding, "EmbeddingBag": embedding_bag, "RNN": rnn,
    "same-shape layers": same_shape_layer, "LayerNorm": layer_norm, "Upsample": upsample, "Unflatten": unflatten,
    "Sequential": sequential, "cat/stack": cat_stack, "tensor methods": reshape_ops, "matmul": matmul,
    "dtypes": dtypes,
}


def _real(code: str):
    env = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}
    with torch.device("meta"):
        exec(code, env)  # noqa: S102 - generated test code
    out = env["out"]
    return tuple(out.shape), str(out.dtype).replace("torch.", "")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_table_agrees_with_torch(family):
    r = rng(family)
    codes = [FAMILIES[family](r) for _ in range(CASES_PER_FAMILY)]
    check_family((HEADER + code, lambda code=code: _real(code)) for code in codes)
