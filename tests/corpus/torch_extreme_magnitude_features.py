"""A PyTorch model trained on astronomical distances in metres, straight from literals (opt-in rule).

Silent: inputs of order 1e16 make the first layer's outputs enormous; the loss overflows to inf and
the weights become NaN after one SGD step.
"""
# runtime: runs
import torch
import torch.nn as nn

distances = torch.tensor([[4.2e16, 3.9e16], [8.6e16, 9.1e16], [2.5e17, 2.2e17], [1.1e17, 1.4e17]])
luminosity = torch.tensor([[0.3], [1.2], [2.0], [0.8]])

model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
opt.zero_grad()
loss = nn.functional.mse_loss(model(distances), luminosity)  # expect: TL501
loss.backward()
opt.step()
