"""A CIFAR-style training script whose loaders read `args.num_workers` where the parser defines `--workers`.

parse_args() makes `args.workers`; `args.num_workers` raises AttributeError ('Namespace' object has
no attribute 'num_workers') when the first loader is built, after the data is made.
"""
# runtime: raises AttributeError
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description="small CNN")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("-j", "--workers", type=int, default=0)
parser.add_argument("--lr", type=float, default=0.01)
args = parser.parse_args([])

images = torch.randn(128, 3, 32, 32)
labels = torch.randint(0, 10, (128,))
train_loader = DataLoader(TensorDataset(images, labels), batch_size=args.batch_size, shuffle=True,
                          num_workers=args.num_workers)  # expect: TL442
model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
criterion = nn.CrossEntropyLoss()
for epoch in range(args.epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
