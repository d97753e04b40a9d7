"""A PyTorch regression loop whose loss helper computes the MSE and forgets to return it.

`loss` is None: the first `loss.backward()` raises AttributeError.
"""
# runtime: raises AttributeError
import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)


def regression_loss(pred, target):
    F.mse_loss(pred, target)


for epoch in range(3):
    x, y = torch.randn(16, 10), torch.randn(16, 1)
    optimizer.zero_grad()
    loss = regression_loss(model(x), y)  # expect: TL421
    loss.backward()
    optimizer.step()
