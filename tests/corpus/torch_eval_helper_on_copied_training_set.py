"""A PyTorch classifier trained on a random_split part of a dataset, then scored by an accuracy helper on a loader that re-creates that dataset.

Silent: the test loader's `Glyphs(160, split="train")` is the call the training part was split
from, so `accuracy(net, loader=test_loader)` counts hits on the 128 training images among its 160.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, random_split


class Glyphs(Dataset):
    def __init__(self, n, split):
        first = 0 if split == "train" else 10_000
        idx = torch.arange(first, first + n)
        self.images = torch.stack([torch.sin(idx.float() * k / 97.0) for k in range(64)], dim=1)
        self.labels = idx % 4

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


train_part, val_part = random_split(Glyphs(160, split="train"), [128, 32], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_part, batch_size=32, shuffle=True)
test_loader = DataLoader(Glyphs(160, split="train"), batch_size=64)  # expect: TL436


def accuracy(net, loader):
    hits = 0
    with torch.no_grad():
        for images, labels in loader:
            hits += (net(images).argmax(1) == labels).sum().item()
    return hits / len(loader.dataset)


net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4))
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
for epoch in range(2):
    for images, labels in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(net(images), labels).backward()
        optimizer.step()
print("test accuracy", accuracy(net, loader=test_loader))
