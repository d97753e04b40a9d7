"""A PyTorch script whose checkpoint loader returns nothing when there is no checkpoint.

The caller tests for None and builds a fresh network then; the helper that describes the
network only prints, and its result is never used.
"""
# runtime: runs
import os

import torch
import torch.nn as nn


def load_checkpoint(path):
    if os.path.exists(path):
        return torch.load(path)
    print(f"no checkpoint at {path}")


def describe(net):
    print(sum(p.numel() for p in net.parameters()), "parameters")


net = load_checkpoint("/nonexistent/model.pt")
if net is None:
    net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
describe(net)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
x, y = torch.randn(16, 8), torch.randn(16, 1)
optimizer.zero_grad()
nn.functional.mse_loss(net(x), y).backward()
optimizer.step()
