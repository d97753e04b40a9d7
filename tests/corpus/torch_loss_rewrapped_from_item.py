"""A PyTorch regression loop that rewraps an `.item()` loss in torch.tensor(..., requires_grad=True).

Silent: backward() runs, but the model's parameters get no gradient (.grad stays None) and
optimizer.step() never changes them.
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
criterion = nn.MSELoss()
x, y = torch.randn(40, 5), torch.randn(40, 1)
before = [p.clone() for p in model.parameters()]
for epoch in range(5):
    optimizer.zero_grad()
    mse = criterion(model(x), y).item()
    loss = torch.tensor(mse, requires_grad=True) / 2
    loss.backward()
    optimizer.step()  # expect: TL413
