"""Correct: NaN handled with np.isnan / math.isnan / torch.isnan instead of == comparisons."""
# runtime: runs
import math
import numpy as np
import torch
import torch.nn as nn

raw = np.random.rand(10, 3)
raw[2, 1] = np.nan
raw[np.isnan(raw)] = 0.0
x = torch.from_numpy(raw).float()
y = torch.randn(10, 1)

model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(3):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    if math.isnan(loss.item()) or torch.isnan(loss):
        break
    loss.backward()
    optimizer.step()
