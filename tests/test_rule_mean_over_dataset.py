"""TL430 mean-over-whole-dataset, written the ways people write it: a notebook's epoch loop
that averages the training and validation losses of two SubsetRandomSampler loaders over
`len(loader.dataset)`, an accuracy helper, `/=`, loaders built through `torch.utils.data.*`,
`enumerate`/`tqdm` around the loader. The look-alikes divide by the number of samples the
loader really draws, or by the dataset of a loader that draws all of it. Each case marks its
expected findings with `# expect: TL430`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

SPLIT = """
    import numpy as np
    import torch
    from torchvision import datasets, transforms
    from torch.utils.data.sampler import SubsetRandomSampler

    train_data = datasets.CIFAR10('data', train=True, download=True, transform=transforms.ToTensor())
    indices = list(range(len(train_data)))
    np.random.shuffle(indices)
    split = int(np.floor(0.2 * len(train_data)))
    train_idx, valid_idx = indices[split:], indices[:split]
    train_sampler = SubsetRandomSampler(train_idx)
    valid_sampler = SubsetRandomSampler(valid_idx)
    train_loader = torch.utils.data.DataLoader(train_data, batch_size=20, sampler=train_sampler)
    valid_loader = torch.utils.data.DataLoader(train_data, batch_size=20, sampler=valid_sampler)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 10))
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
"""

CASES = {
    "notebook-epoch-loop": SPLIT + """
    for epoch in range(1, 31):
        train_loss = 0.0
        valid_loss = 0.0
        model.train()
        for data, target in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * data.size(0)
        model.eval()
        for data, target in valid_loader:
            loss = criterion(model(data), target)
            valid_loss += loss.item() * data.size(0)
        train_loss = train_loss / len(train_loader.dataset)  # expect: TL430
        valid_loss = valid_loss / len(valid_loader.dataset)  # expect: TL430
        print(epoch, train_loss, valid_loss)
    """,
    "accuracy-in-a-function-with-enumerate": SPLIT + """
    def validate():
        correct = 0
        with torch.no_grad():
            for i, (x, y) in enumerate(valid_loader):
                correct += (model(x).argmax(dim=1) == y).sum().item()
        return 100.0 * correct / len(valid_loader.dataset)  # expect: TL430
    """,
    "divide-assign-through-tqdm": SPLIT.replace(
        "from torch.utils.data.sampler import SubsetRandomSampler\n",
        "from tqdm import tqdm\n").replace(
        "SubsetRandomSampler(", "torch.utils.data.SubsetRandomSampler(") + """
    running = 0.0
    for x, y in tqdm(train_loader):
        running += criterion(model(x), y).item() * x.size(0)
    running /= len(train_loader.dataset)  # expect: TL430
    """,
    "ok-divided-by-the-sampler": SPLIT + """
    valid_loss = 0.0
    for data, target in valid_loader:
        valid_loss += criterion(model(data), target).item() * data.size(0)
    valid_loss = valid_loss / len(valid_loader.sampler)
    """,
    "ok-loader-without-sampler": SPLIT + """
    test_data = datasets.CIFAR10('data', train=False, download=True, transform=transforms.ToTensor())
    test_loader = torch.utils.data.DataLoader(test_data, batch_size=20)
    test_loss = 0.0
    for data, target in test_loader:
        test_loss += criterion(model(data), target).item() * data.size(0)
    test_loss = test_loss / len(test_loader.dataset)
    """,
    "ok-subset-dataset-instead-of-sampler": """
    import torch
    from torch.utils.data import DataLoader, Subset, TensorDataset

    data = TensorDataset(torch.randn(100, 4), torch.randint(0, 2, (100,)))
    valid_loader = DataLoader(Subset(data, list(range(20))), batch_size=10)
    model = torch.nn.Linear(4, 2)
    correct = 0
    for x, y in valid_loader:
        correct += (model(x).argmax(1) == y).sum().item()
    print(correct / len(valid_loader.dataset))
    """,
    "ok-random-sampler-draws-everything": """
    import torch
    from torch.utils.data import DataLoader, RandomSampler, TensorDataset

    data = TensorDataset(torch.randn(100, 4), torch.randint(0, 2, (100,)))
    loader = DataLoader(data, batch_size=10, sampler=RandomSampler(data))
    model = torch.nn.Linear(4, 2)
    correct = 0
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum().item()
    print(correct / len(loader.dataset))
    """,
    "ok-loader-bound-again-without-sampler": SPLIT + """
    valid_loader = torch.utils.data.DataLoader(train_data, batch_size=20)
    valid_loss = 0.0
    for data, target in valid_loader:
        valid_loss += criterion(model(data), target).item() * data.size(0)
    valid_loss = valid_loss / len(valid_loader.dataset)
    """,
    "ok-sampler-over-every-index": """
    import torch
    from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

    data = TensorDataset(torch.randn(100, 4), torch.randint(0, 2, (100,)))
    n_samples = len(data)
    loader = DataLoader(data, batch_size=10, sampler=SubsetRandomSampler(list(range(n_samples))))
    other = DataLoader(data, batch_size=10, sampler=SubsetRandomSampler(torch.randperm(len(data))))
    model = torch.nn.Linear(4, 2)
    correct = 0
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum().item()
    print(correct / len(loader.dataset))
    seen = 0
    for x, y in other:
        seen += x.size(0)
    print(seen / len(other.dataset))
    """,
    "ok-share-of-the-dataset": SPLIT + """
    print(f"training on {100 * len(train_loader.sampler) / len(train_loader.dataset):.0f}% of the data")
    """,
    "ok-a-loader-given-as-parameter": SPLIT + """
    def evaluate(loader):
        total = 0.0
        for data, target in loader:
            total += criterion(model(data), target).item() * data.size(0)
        return total / len(loader.dataset)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mean_over_whole_dataset(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL430"}
    assert found == _expected(text)


def test_on_by_default_with_the_sampler_fix():
    text = textwrap.dedent(CASES["notebook-epoch-loop"]).lstrip("\n")
    found = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL430"]
    assert [f.line for f in found] == [33, 34]
    first = found[0]
    assert "train_loss sums over the batches of train_loader" in first.message
    assert "SubsetRandomSampler (line 11)" in first.message
    assert first.fix is not None and [e.content for e in first.fix.edits] == ["sampler"]
    assert {r.span.start.line for r in first.related} == {11, 28}
