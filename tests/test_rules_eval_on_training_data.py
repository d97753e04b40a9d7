"""TL436 evaluation-data-holds-training-data on the bug written the ways people write it (a copied
torchvision call, a Subset or random_split part of a dataset re-created for the test loader, a
sampler over the training copy, an evaluation loop or a helper function given the loader) and on
correct look-alikes: the other split, the held-out indices, the same dataset object reused openly,
random data drawn twice, a loader nobody scores the model on. Each case marks its expected
findings with `# expect: TL436`; every other line must stay silent."""
from __future__ import annotations

import pytest

from corpus_support import marked_and_found, only_finding

HEAD = """
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Subset, SubsetRandomSampler, random_split
    from torchvision import datasets, transforms

    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
"""
TRAIN = """
    for epoch in range(3):
        for x, y in train_loader:
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
"""
EVAL_LOOP = """
    with torch.no_grad():
        hits = sum((model(x).argmax(1) == y).sum().item() for x, y in [])
        for x, y in test_loader:
            hits += (model(x).argmax(1) == y).sum().item()
"""
EVAL_FN = """
    def evaluate(net, data_loader, device="cpu"):
        net.eval()
        total = 0
        for i, (x, y) in enumerate(data_loader):
            total += (net(x.to(device)).argmax(1) == y).sum().item()
        return total

    print(evaluate(net=model, data_loader=test_loader))
"""

CASES = {
    "subset-of-a-copied-mnist-call": HEAD + """
    train_and_valid = datasets.MNIST(root='data', train=True, transform=transforms.ToTensor(), download=True)
    test_dataset = datasets.MNIST(root='data', train=True, transform=transforms.ToTensor(), download=True)  # expect: TL436
    train_loader = DataLoader(Subset(train_and_valid, torch.arange(0, 59000)), batch_size=64, shuffle=True)
    test_loader = DataLoader(dataset=test_dataset, batch_size=64, shuffle=False)
    """ + TRAIN + EVAL_FN,
    "whole-training-set-copied-in-the-loader-call": HEAD + """
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    train_set = datasets.FashionMNIST('data', train=True, transform=tf)
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(datasets.FashionMNIST('data', train=True, transform=tf), batch_size=256)  # expect: TL436
    """ + TRAIN + EVAL_LOOP,
    "random-split-part": HEAD + """
    train_part, valid_part = random_split(datasets.MNIST('data', train=True, transform=transforms.ToTensor()), [50000, 10000])
    test_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())  # expect: TL436
    train_loader = DataLoader(train_part, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=256)
    """ + TRAIN + EVAL_FN,
    "sampler-over-the-training-copy": HEAD + """
    full = datasets.CIFAR10('data', train=True, transform=transforms.ToTensor())
    test_set = datasets.CIFAR10('data', train=True, transform=transforms.ToTensor())  # expect: TL436
    train_loader = DataLoader(full, batch_size=64, sampler=SubsetRandomSampler(range(45000)))
    test_loader = DataLoader(test_set, batch_size=256)
    """ + TRAIN + EVAL_LOOP,
    "names-read-through-earlier-bindings": HEAD + """
    root = './data'
    to_tensor = transforms.ToTensor()
    train_ds = datasets.KMNIST(root, True, to_tensor)
    eval_ds = datasets.KMNIST(root, True, to_tensor)  # expect: TL436
    train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
    test_loader = DataLoader(eval_ds, batch_size=256)
    """ + TRAIN + EVAL_LOOP,
    # look-alikes
    "ok-the-test-split": HEAD + """
    full = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    test_dataset = datasets.MNIST('data', train=False, transform=transforms.ToTensor())
    train_loader = DataLoader(Subset(full, range(50000)), batch_size=64, shuffle=True)
    test_loader = DataLoader(test_dataset, batch_size=256)
    """ + TRAIN + EVAL_FN,
    "ok-held-out-sampler-on-a-second-copy": HEAD + """
    a = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    b = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    train_loader = DataLoader(a, sampler=SubsetRandomSampler(range(50000)))
    test_loader = DataLoader(b, sampler=SubsetRandomSampler(range(50000, 60000)))
    """ + TRAIN + EVAL_LOOP,
    "ok-held-out-subset-of-a-second-copy": HEAD + """
    a = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    b = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    train_loader = DataLoader(Subset(a, range(50000)), batch_size=64)
    test_loader = DataLoader(Subset(b, range(50000, 60000)), batch_size=256)
    """ + TRAIN + EVAL_LOOP,
    "ok-training-accuracy-on-the-same-object": HEAD + """
    train_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(train_set, batch_size=256)
    """ + TRAIN + EVAL_LOOP,
    "ok-another-transform": HEAD + """
    train_set = datasets.MNIST('data', train=True, transform=transforms.RandomRotation(10))
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(datasets.MNIST('data', train=True, transform=transforms.ToTensor()), batch_size=256)
    """ + TRAIN + EVAL_LOOP,
    "ok-random-data-drawn-twice": HEAD + """
    train_loader = DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 784), torch.randint(0, 10, (64,))))
    test_loader = DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 784), torch.randint(0, 10, (64,))))
    """ + TRAIN + EVAL_LOOP,
    "ok-own-dataset-class-that-draws": HEAD + """
    class Noise(torch.utils.data.Dataset):
        def __init__(self, n):
            self.x = torch.rand(n, 784)
        def __len__(self):
            return len(self.x)
        def __getitem__(self, i):
            return self.x[i], 0

    train_loader = DataLoader(Noise(100), batch_size=10)
    test_loader = DataLoader(Noise(100), batch_size=10)
    """ + TRAIN + EVAL_LOOP,
    "ok-loader-only-looked-at": HEAD + """
    train_loader = DataLoader(datasets.MNIST('data', train=True, transform=transforms.ToTensor()), batch_size=64)
    test_loader = DataLoader(datasets.MNIST('data', train=True, transform=transforms.ToTensor()), batch_size=64)
    """ + TRAIN + """
    for x, y in test_loader:
        print(x.shape, y[:10])
    """,
    "ok-dataset-rebound-before-use": HEAD + """
    train_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    test_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())
    test_set = datasets.MNIST('data', train=False, transform=transforms.ToTensor())
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=256)
    """ + TRAIN + EVAL_LOOP,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_evaluation_on_training_data_written_several_ways(name):
    marked, found = marked_and_found("TL436", name, CASES[name])
    assert found == marked


def test_message_names_both_datasets_and_the_training_loop():
    f = only_finding("TL436", CASES["subset-of-a-copied-mnist-call"])
    assert "test_loader" in f.message and "the training data of train_loader is a part of" in f.message
    assert "(line 9: train_and_valid = datasets.MNIST(" in f.message
    assert {r.span.start.line for r in f.related} >= {9, 15}
