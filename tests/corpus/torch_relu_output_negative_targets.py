"""A PyTorch regressor ending in ReLU, fitted to normally distributed targets (half negative).

Silent: ReLU cannot output a negative value, so every negative target keeps a residual error and
its gradient through the clipped units is zero.
"""
# runtime: runs
import torch
import torch.nn as nn

X = torch.randn(200, 5)
y = torch.randn(200, 1)
model = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 1), nn.ReLU())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(3):
    optimizer.zero_grad()
    loss = nn.MSELoss()(model(X), y)  # expect: TL310
    loss.backward()
    optimizer.step()
