"""A torch regressor whose input stacks age in years with income in dollars (10000x larger), unscaled (opt-in rule).

Silent: the income column dominates the first layer's pre-activations and gradients.
"""
# runtime: runs
import torch
from torch import nn

age = torch.rand(32, 1) * 60
income = torch.rand(32, 1) * 60 * 10000
x = torch.cat([age, income], dim=1)
spend = torch.rand(32, 1)

model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters())
opt.zero_grad()
loss = nn.functional.mse_loss(model(x), spend)  # expect: TL502
loss.backward()
opt.step()
