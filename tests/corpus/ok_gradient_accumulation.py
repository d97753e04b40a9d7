"""Correct: gradient accumulation that clears gradients only every accum_steps batches, on purpose."""
# runtime: runs
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 1)), batch_size=4)
model = nn.Linear(6, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
accum_steps = 4

optimizer.zero_grad()
for i, (xb, yb) in enumerate(loader):
    loss = nn.functional.mse_loss(model(xb), yb) / accum_steps
    loss.backward()
    if (i + 1) % accum_steps == 0:
        optimizer.step()
        optimizer.zero_grad()
