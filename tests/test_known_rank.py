"""A shape built from ints keeps its rank when the ints' values are not known.

`b = x.size(0)` of a tensor whose batch size is not known is still an int, so `torch.full((b,),
1.0)`, `torch.zeros(b)`, `label.resize_(b)` are rank-1 tensors and `x.view(b, -1)` a rank-2 one;
a value that may not be an int (a parameter's `.size(0)`, a TensorFlow dim, which may be None)
gives nothing known. A BCE loss of an `[N, 1]` output against an `[N]` label raises whatever N
is (pytorch/examples DCGAN before 9012fae), so TL208 decides it on the ranks alone."""
from __future__ import annotations

import re
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _values(text: str) -> dict:
    out = {}
    for v in analyze(text, "case.py", ALL, collect_values=True).values:
        out.setdefault(v.span.start.line, []).append(v.text)
    return out


def _check_values(text: str) -> None:
    text = textwrap.dedent(text)
    values = _values(text)
    expected = {i: m.group(1).strip() for i, line in enumerate(text.splitlines(), 1) if (m := re.search(r"# value: (.*)$", line))}
    assert expected
    for line, want in expected.items():
        assert want in values.get(line, []), (line, values.get(line))


def _codes(text: str, code: str = "TL208") -> list:
    return [f.line for f in analyze(textwrap.dedent(text), "case.py", ALL).findings if f.code == code]


VALUES = {
    "size-of-unknown-batch": """
        import torch
        for batch in loader:
            x = torch.FloatTensor(64, 3, 8, 8)
            x.resize_as_(batch)
            n = x.size(0)
            a = torch.zeros(n)  # value: Tensor[?] float32
            b = torch.FloatTensor(n)  # value: Tensor[?] float32
            c = torch.ones(n, 2)  # value: Tensor[?, 2] float32
            d = torch.full((n,), 1.0)  # value: Tensor[?] float32
            e = torch.randint(0, 2, (n,))  # value: Tensor[?] int64
            f = torch.randn(n)  # value: Tensor[?] float32
            g = x.view(n, -1)  # value: Tensor[?, ?] float32
            h = x.reshape(n)  # value: Tensor[?] float32
            t = torch.tensor([n, 3])  # value: Tensor[2] int64
    """,
    "shape-subscript-and-unpacking": """
        import torch
        import numpy as np
        for batch in loader:
            x = torch.randn(4, 4)
            x.resize_as_(batch)
            a = torch.zeros(x.shape[0])  # value: Tensor[?] float32
            b = torch.zeros(x.size()[1])  # value: Tensor[?] float32
            n, c, h, w = x.shape
            d = torch.empty(n, c)  # value: Tensor[?, ?] float32
            m = np.zeros(x.shape[-1])  # value: ndarray[?] float64
    """,
    "resize-in-place-to-unknown-int": """
        import torch
        label = torch.FloatTensor(64)
        for batch in loader:
            x = torch.randn(1, 3)
            x.resize_as_(batch)
            label.resize_(x.size(0))
            seen = label  # value: Tensor[?] float32
    """,
    "len-is-an-int": """
        import os
        import numpy as np
        import torch
        names = [f for f in os.listdir(".")]
        a = torch.zeros(len(names))  # value: Tensor[?] float32
        b = np.ones(len(load()))  # value: ndarray[?] float64
    """,
    "known-dims-stay-known": """
        import torch
        x = torch.randn(8, 3)
        a = torch.zeros(x.size(0))  # value: Tensor[8] float32
        b = torch.zeros(x.shape[1], x.size(0))  # value: Tensor[3, 8] float32
    """,
    "int-arithmetic": """
        import torch
        x = torch.randn(8, 3)
        x.resize_as_(load())
        n = x.size(0)
        a = torch.zeros(n * 2)  # value: Tensor[?] float32
        b = torch.zeros(n // 2 + 1, 4)  # value: Tensor[?, 4] float32
        c = torch.zeros(n / 2)  # value: Tensor[...] float32
    """,
    # an index of unknown value takes one dim away; enumerate counts with ints
    "index-by-unknown-int": """
        import torch
        x = torch.randn(10, 3, 5)
        for i, batch in enumerate(loader):
            row = x[i]  # value: Tensor[3, 5] float32
            col = x[:, len(batch)]  # value: Tensor[10, 5] float32
            part = x[:i]  # value: Tensor[?, 3, 5] float32
    """,
    # one int of unknown value and a known one: an int of unknown value
    "joined-ints": """
        import torch
        x = torch.randn(8, 3)
        x.resize_as_(load())
        n = x.size(0) if flag() else 16
        a = torch.zeros(n)  # value: Tensor[?] float32
    """,
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values(name):
    _check_values(VALUES[name])


UNKNOWN_RANK = {
    # a parameter's `.size(0)` may be anything: nothing known about the rank
    "size-of-parameter": """
        import torch
        def make(x):
            n = x.size(0)
            a = torch.zeros(n)  # value: Tensor[...] float32
            return a
    """,
    # a TensorFlow dim that is not known may be None
    "tf-dim-of-unknown-size": """
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 4])
        z = tf.zeros(x.shape[0])  # value: Tensor[...] float32
    """,
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_RANK))
def test_unknown_rank_stays_unknown(name):
    _check_values(UNKNOWN_RANK[name])


_DCGAN_HEAD = """
import torch
import torch.nn as nn
import torch.nn.functional as F

class D(nn.Module):
    def __init__(self, ngpu):
        super().__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(nn.Conv2d(3, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 1, 4, 1, 0), nn.Sigmoid())

    def forward(self, input):
        if input.is_cuda and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output.view(-1, 1){squeeze}

netD = D(1)
criterion = nn.BCELoss()
"""

BUGS = {
    "full-of-batch-size": """
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    b_size = images.size(0)
    label = torch.full((b_size,), 1.0)
    output = netD(images)
    err = criterion(output, label)  # TL208
""",
    "resize-label-to-batch": """
label = torch.FloatTensor(64)
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    label.resize_(images.size(0)).fill_(1)
    err = criterion(netD(images), label)  # TL208
""",
    "ones-of-shape-index-with-logits": """
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    logits = torch.randn(2, 1)
    logits.resize_(images.shape[0], 1)
    err = F.binary_cross_entropy_with_logits(logits, torch.ones(images.shape[0]))  # TL208
""",
    "zeros-of-len": """
labels = torch.zeros(len(load_names()))
out = torch.sigmoid(torch.randn(16, 1))
out.resize_(len(load_names()), 1)
err = F.binary_cross_entropy(out, labels)  # TL208
""",
}

LOOKALIKES = {
    # the fix of pytorch/examples 9012fae: the output loses its column before the loss
    "squeezed-output": ("full-of-batch-size", ".squeeze(1)"),
    "view-minus-one-before-loss": ("full-of-batch-size", ".view(-1)"),
}


def _program(body: str, squeeze: str = "") -> str:
    return _DCGAN_HEAD.replace("{squeeze}", squeeze) + body


@pytest.mark.parametrize("name", sorted(BUGS))
def test_rank_mismatch_found(name):
    text = _program(BUGS[name])
    want = [i for i, line in enumerate(text.splitlines(), 1) if line.endswith("# TL208")]
    assert _codes(text) == want


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_matching_ranks_silent(name):
    bug, squeeze = LOOKALIKES[name]
    assert _codes(_program(BUGS[bug], squeeze)) == []


SILENT = {
    "label-unsqueezed": """
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    label = torch.full((images.size(0),), 1.0)
    err = criterion(netD(images), label.unsqueeze(1))
""",
    # the label's rank is not known (its size comes from a parameter): nothing to decide
    "label-of-unknown-rank": """
def step(real, n):
    label = torch.full(n, 1.0)
    return criterion(netD(real), label)
""",
    # MSE broadcasts [N, 1] against [N] to [N, N] unless N is 1: TL205's, and only with known sizes
    "mse-of-unknown-batch": """
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    err = nn.MSELoss()(netD(images), torch.zeros(images.size(0)))
""",
    # the same rank, sizes not known: they may match
    "same-rank-unknown-sizes": """
for real in loader:
    images = torch.randn(2, 3, 8, 8)
    images.resize_as_(real)
    n = images.size(0)
    err = criterion(netD(images), torch.ones(n, images.size(1) // 3))
""",
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_silent(name):
    assert _codes(_program(SILENT[name])) == []


def test_batch_only_difference_is_left_to_tl204():
    text = """
    import torch
    import torch.nn as nn
    out = torch.sigmoid(torch.randn(8, 1))
    label = torch.ones(4, 1)
    err = nn.BCELoss()(out, label)
    """
    assert _codes(text) == []


# torchvision datasets of RGB images of unknown size, chosen among branches as DCGAN does
DATASETS = {
    "image-folder-or-cifar": """
        import torch
        import torchvision.datasets as dset
        import torchvision.transforms as transforms
        tf = transforms.Compose([transforms.Scale(64), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
        if kind == "folder":
            dataset = dset.ImageFolder(root=root, transform=tf)
        elif kind == "cifar10":
            dataset = dset.CIFAR10(root=root, download=True, transform=tf)
        loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
        for i, data in enumerate(loader):
            images, _ = data
            label = torch.full((images.size(0),), 1.0)  # value: Tensor[?] float32
            seen = images  # value: Tensor[B, 3, ?, ?] float32
    """,
    "lsun-positional-transform": """
        import torch
        from torchvision import datasets, transforms
        ds = datasets.LSUN(root, ["bedroom_train"], transforms.Compose([transforms.Resize(64), transforms.ToTensor()]))
        for x, y in torch.utils.data.DataLoader(ds, batch_size=8):
            seen = x  # value: Tensor[B, 3, ?, ?] float32
            classes = y  # value: Tensor[B] int64
    """,
}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_datasets(name):
    _check_values(DATASETS[name])


def test_folder_with_own_loader_is_unknown():
    text = """
    import torch
    from torchvision import datasets, transforms
    ds = datasets.ImageFolder(root, transforms.ToTensor(), loader=open_gray)
    for x, y in torch.utils.data.DataLoader(ds, batch_size=8):
        seen = x
    """
    assert not any(v.startswith("Tensor") for v in _values(textwrap.dedent(text)).get(6, []))
