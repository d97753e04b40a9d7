"""A regression target list where a missing measurement was filled with float('nan').

Silent: MSELoss over a batch containing NaN is NaN, the gradients are NaN, and after one step every
weight is NaN.
"""
# runtime: runs
import torch
import torch.nn as nn

readings = torch.randn(6, 3)
targets = torch.tensor([[1.2], [0.7], [float("nan")], [2.1], [1.9], [0.4]])

model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
optimizer.zero_grad()
loss = nn.MSELoss()(model(readings), targets)  # expect: TL406
loss.backward()
optimizer.step()
