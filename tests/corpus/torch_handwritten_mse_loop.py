"""A PyTorch regressor whose training step writes the squared error by hand, torch.mean((model(x) - y) ** 2), with an (N, 1) output and (N,) targets.

The bug is silent: the difference broadcasts to (N, N) and no warning is printed (unlike nn.MSELoss),
so the model learns to predict the mean target.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(40, 4)
y = x @ torch.tensor([1.0, -2.0, 0.5, 3.0])  # (40,)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for epoch in range(5):
    optimizer.zero_grad()
    loss = torch.mean((model(x) - y) ** 2)  # expect: TL205
    loss.backward()
    optimizer.step()
