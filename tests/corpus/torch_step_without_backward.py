"""A refactored training loop that lost its loss.backward() call: the optimizer steps with no gradients.

Silent: optimizer.step() skips parameters whose .grad is None, so the weights never change.
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
x, y = torch.randn(16, 3), torch.randn(16, 1)
history = []
for epoch in range(3):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    history.append(loss.item())
    optimizer.step()  # expect: TL404
