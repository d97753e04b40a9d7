"""TL432 split-shares-transform, written the ways people write it: a notebook that splits the
MNIST training set with `data.random_split` and then sets the validation part's transform
through `.dataset`, two `Subset`s of one dataset, `target_transform`. The look-alikes
deep-copy the part first, give validation a dataset of its own, or set a transform on a
dataset that no split shares. Each case marks its expected findings with `# expect: TL432`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

MNIST = """
    import copy
    import torch.utils.data as data
    from torchvision import datasets, transforms

    train_transforms = transforms.Compose([transforms.RandomRotation(5), transforms.ToTensor()])
    test_transforms = transforms.Compose([transforms.ToTensor()])
    train_data = datasets.MNIST(root='.data', train=True, download=True, transform=train_transforms)
    n_train = int(len(train_data) * 0.9)
    n_valid = len(train_data) - n_train
"""

CASES = {
    "notebook-random-split": MNIST + """
    train_data, valid_data = data.random_split(train_data, [n_train, n_valid])
    valid_data.dataset.transform = test_transforms  # expect: TL432
    train_iterator = data.DataLoader(train_data, shuffle=True, batch_size=64)
    valid_iterator = data.DataLoader(valid_data, batch_size=64)
    """,
    "subsets-of-one-dataset": """
    import torch
    from torch.utils.data import Subset
    from torchvision import datasets, transforms

    full = datasets.CIFAR10('data', train=True, transform=transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.ToTensor()]))
    perm = torch.randperm(len(full)).tolist()
    train_set = Subset(full, perm[5000:])
    val_set = Subset(full, perm[:5000])
    val_set.dataset.transform = transforms.ToTensor()  # expect: TL432
    """,
    "target-transform-on-the-training-part": MNIST + """
    from torch.utils.data import random_split
    train_part, valid_part = random_split(train_data, [n_train, n_valid])
    train_part.dataset.target_transform = lambda y: (y + 1) % 10  # expect: TL432
    """,
    "ok-deep-copied-first": MNIST + """
    train_data, valid_data = data.random_split(train_data, [n_train, n_valid])
    valid_data = copy.deepcopy(valid_data)
    valid_data.dataset.transform = test_transforms
    """,
    "ok-a-dataset-of-its-own": MNIST + """
    valid_full = datasets.MNIST(root='.data', train=True, download=True, transform=test_transforms)
    indices = list(range(len(train_data)))
    train_data = data.Subset(train_data, indices[:n_train])
    valid_data = data.Subset(valid_full, indices[n_train:])
    valid_data.dataset.transform = test_transforms
    """,
    "ok-one-subset-only": MNIST + """
    small = data.Subset(train_data, list(range(1000)))
    small.dataset.transform = test_transforms
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_split_shares_transform(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL432"}
    assert found == _expected(text)


def test_message_names_the_other_parts_and_the_split():
    text = textwrap.dedent(CASES["notebook-random-split"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL432"]
    assert "changes it for train_data too" in f.message and "random_split at line 11" in f.message
    assert [r.span.start.line for r in f.related] == [11]
    assert f.fix is None
