"""A forecasting step where targets are built for the full window while predictions cover half of it."""
# runtime: raises RuntimeError
import torch
from torch import nn


def make_windows(n_steps):
    series = torch.sin(torch.linspace(0, 10, n_steps + 1))
    inputs = torch.stack([series[:-1], series[1:]], dim=1)
    return inputs, series[1:].unsqueeze(1)


inputs, targets = make_windows(32)
forecaster = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.Adam(forecaster.parameters(), lr=1e-2)
mse = nn.MSELoss()

preds = forecaster(inputs[:16])
loss = mse(preds, targets)  # expect: TL204
opt.zero_grad()
loss.backward()
opt.step()
