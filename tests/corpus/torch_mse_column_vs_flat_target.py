"""A regression model with an (N, 1) output trained with MSELoss against an (N,) target vector.

The bug is silent: the difference broadcasts to an (N, N) matrix, so every prediction is compared with
every target. PyTorch only prints a UserWarning ("Using a target size ... different to the input size"),
and the loss converges to the variance of the targets instead of fitting them.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(32, 5)
y = x.sum(dim=1)  # shape (32,)

model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for epoch in range(3):
    optimizer.zero_grad()
    pred = model(x)
    loss = loss_fn(pred, y)  # expect: TL205
    loss.backward()
    optimizer.step()
