"""torch functions that cut, reorder and select (`torch.split`, `torch.chunk`, `index_select`,
`gather`, `flip`, `roll`, `cumsum`, `meshgrid`, `all` / `any`) and the `torch.nn.functional` ones
the engine models (`conv2d` with a weight tensor, `scaled_dot_product_attention`, `layer_norm`,
`batch_norm`, `cosine_similarity`), against PyTorch: random valid configurations written several
ways (function and method, positional and keyword arguments, negative dims) must give the shape
and dtype PyTorch gives. A length that depends on the data stays unknown."""
from __future__ import annotations

import pytest

from ._harness import check_generated, inferred, random_shape

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.differential

HEADER = "import torch\nimport torch.nn.functional as F\n"
TENSORS = ("torch.randn({s})", "torch.zeros({s}, dtype=torch.int32)", "torch.ones({s}, dtype=torch.float64)",
           "torch.randint(0, 5, {s})", "torch.rand({s}) > 0.5")


def _tensor(r, shape):
    return r.choice(TENSORS).format(s=tuple(shape))


def parts(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    dim = r.randint(-n, n - 1)
    size = shape[dim]
    k = r.randint(1, 4)
    sections = [size - size // 2, size // 2]
    i = r.randint(0, 1)
    op = r.choice([f"torch.split(x, {k})[0]", f"torch.split(x, {k}, dim={dim})[-1]", f"x.split({k}, {dim})[0]",
                   f"torch.split(x, {sections}, dim={dim})[{i}]", f"x.split(split_size={k}, dim={dim})[0]",
                   f"torch.chunk(x, {k})[0]", f"torch.chunk(x, {k}, dim={dim})[-1]", f"x.chunk({k}, {dim})[0]",
                   f"x.chunk(chunks={k}, dim={dim})[-1]"])
    return f"x = {_tensor(r, shape)}\nout = {op}"


def selection(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    dim = r.randint(-n, n - 1)
    m = r.randint(1, 4)
    idx_shape = list(shape)
    idx_shape[dim] = m
    op = r.choice([f"torch.index_select(x, {dim}, torch.zeros({m}, dtype=torch.long))",
                   f"x.index_select({dim}, torch.tensor([0] * {m}))",
                   f"torch.index_select(x, dim={dim}, index=torch.zeros({m}, dtype=torch.long))",
                   f"torch.gather(x, {dim}, torch.zeros({tuple(idx_shape)}, dtype=torch.long))",
                   f"x.gather({dim}, torch.zeros({tuple(idx_shape)}, dtype=torch.long))",
                   f"torch.gather(x, dim={dim}, index=torch.zeros({tuple(idx_shape)}, dtype=torch.long))"])
    return f"x = {_tensor(r, shape)}\nout = {op}"


def reorder(r):
    shape = random_shape(r, r.randint(1, 3))
    n = len(shape)
    dim = r.randint(-n, n - 1)
    op = r.choice([f"torch.flip(x, [{dim}])", f"x.flip({dim})", f"torch.flip(x, dims=(0,))", f"torch.roll(x, 1)",
                   f"torch.roll(x, shifts=2, dims={dim})", f"x.roll(1, {dim})", f"torch.cumsum(x, {dim})",
                   f"x.cumsum(dim={dim})", f"torch.cumsum(x, dim={dim})", "torch.all(x)", f"torch.all(x, dim={dim})",
                   f"x.any({dim}, keepdim=True)", f"torch.any(x > 0, {dim})", f"x.all(dim={dim}, keepdim=False)"])
    return f"x = {_tensor(r, shape)}\nout = {op}"


def grids(r):
    n, m, k = random_shape(r, 3)
    op = r.choice([f"torch.meshgrid(torch.arange({n}), torch.arange({m}), indexing='ij')[{r.randint(0, 1)}]",
                   f"torch.meshgrid(torch.arange({n}), torch.arange({m}), indexing='xy')[{r.randint(0, 1)}]",
                   f"torch.meshgrid([torch.linspace(0, 2, {n}), torch.linspace(0, 1, {m})], indexing='ij')[1]",
                   f"torch.meshgrid(torch.arange({n}), torch.arange({m}), torch.arange({k}), indexing='xy')[2]",
                   f"torch.zeros(torch.Size([{n}, {m}]))", f"torch.ones(torch.Size(({k},)))"])
    return f"out = {op}"


def convolution(r):
    n, c, o = r.randint(1, 2), r.randint(1, 4), r.randint(1, 5)
    h, w = r.randint(3, 10), r.randint(3, 10)
    kh, kw = r.randint(1, 3), r.randint(1, 3)
    batch = (n,) if r.random() < 0.8 else ()
    x = f"torch.randn({batch + (c, h, w)})"
    wt = f"torch.randn({(o, c, kh, kw)})"
    form = r.choice([f"F.conv2d(x, w)", f"F.conv2d(x, w, None, {r.randint(1, 2)})",
                     f"F.conv2d(x, w, stride={r.randint(1, 3)}, padding={r.randint(0, 2)})",
                     f"F.conv2d(x, w, torch.zeros({o}), (1, 2), (1, 0))", "F.conv2d(x, w, padding='same')",
                     "F.conv2d(x, w, padding='valid')", f"F.conv2d(input=x, weight=w, dilation={r.randint(1, 2)})"])
    return f"x = {x}\nw = {wt}\nout = {form}"


def functional(r):
    shape = random_shape(r, r.randint(2, 4))
    n = len(shape)
    lead = shape[:-2]
    q, k, v = (lead + (r.randint(1, 5), shape[-1])), (lead + (shape[-2], shape[-1])), (lead + (shape[-2], r.randint(1, 5)))
    op = r.choice([f"F.scaled_dot_product_attention(torch.randn({q}), torch.randn({k}), torch.randn({v}))",
                   f"F.scaled_dot_product_attention(torch.randn({q}), torch.randn({k}), torch.randn({v}), is_causal=True)",
                   f"F.layer_norm(torch.randn({shape}), ({shape[-1]},))", f"F.layer_norm(torch.randn({shape}), [{shape[-1]}])",
                   f"F.batch_norm(torch.randn({shape}), torch.zeros({shape[1]}), torch.ones({shape[1]}))",
                   f"F.cosine_similarity(torch.randn({shape}), torch.randn({shape}))",
                   f"F.cosine_similarity(torch.randn({shape}), torch.randn({shape}), dim={r.randint(-n, n - 1)})",
                   f"F.relu_(torch.randn({shape}))",
                   f"torch.view_as_real(torch.randn({shape}, dtype=torch.complex64))"])
    return f"out = {op}"


FAMILIES = {"split/chunk": parts, "index_select/gather": selection, "flip/roll/cumsum/all": reorder, "meshgrid/Size": grids,
            "conv2d": convolution, "functional": functional}


def _real(code: str):
    env = {"torch": torch, "F": torch.nn.functional}
    exec(code, env)  # noqa: S102 - generated test code
    out = env["out"]
    return tuple(out.shape), str(out.dtype).replace("torch.", "")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_torch_array_functions_agree_with_torch(family):
    check_generated("torch-arrays:" + family, FAMILIES[family], HEADER, _real)


def test_data_dependent_lengths_stay_unknown():
    for op in ("torch.unique(x)", "torch.masked_select(x, x > 0)", "x.masked_select(x > 0)",
               "torch.bincount(torch.tensor([1, 2, 2]))"):
        engine = inferred(HEADER + f"x = torch.randn(5, 3)\nout = {op}")
        assert engine is not None and engine[0] in ((None,), ("...",)), (op, engine)


def test_forms_that_change_the_result_stay_unknown():
    """`return_counts=` makes `unique` a tuple, weights change bincount's dtype, a split whose sizes
    do not add up raises: none of them is given a tensor."""
    for op in ("torch.unique(x, return_counts=True)", "torch.bincount(torch.tensor([1, 2]), torch.ones(2))",
               "torch.split(x, [1, 1], dim=0)[0]", "torch.split(torch.randn(3, 4).numpy(), 2)[0]"):
        engine = inferred(HEADER + f"x = torch.randn(5, 3)\nout = {op}")
        assert engine is None or engine[0] in ((None,), ("...",)) and engine[1] is None, (op, engine)


def test_wrappers_hand_back_the_module_and_subsets_keep_rows():
    code = ("import torch.nn as nn\nfrom torch.utils.data import TensorDataset, random_split, DataLoader\n"
            "conv = nn.utils.weight_norm(nn.Conv2d(3, 8, 3))\nout = conv(torch.randn(2, 3, 10, 10))")
    assert inferred(HEADER + code) == ((2, 8, 8, 8), "float32")
    code = ("from torch.utils.data import TensorDataset, random_split, DataLoader\n"
            "ds = TensorDataset(torch.randn(100, 7), torch.zeros(100, dtype=torch.long))\n"
            "train, test = random_split(ds, [80, 20])\nfor xb, yb in DataLoader(train, batch_size=16):\n    pass\nout = xb")
    engine = inferred(HEADER + code)
    assert engine is not None and engine[0][-1] == 7 and engine[1] == "float32", engine
