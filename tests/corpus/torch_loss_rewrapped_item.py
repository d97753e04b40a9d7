"""A loss converted with .item() and re-wrapped in torch.tensor(..., requires_grad=True) so backward() stops failing.

Silent: backward() now succeeds, but the new tensor is a leaf with no history, so no gradient reaches
the model (every parameter's .grad stays None) and the weights never change.
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.MSELoss()
x, y = torch.randn(10, 3), torch.randn(10, 1)

for epoch in range(2):
    optimizer.zero_grad()
    value = criterion(model(x), y).item()
    loss = torch.tensor(value, requires_grad=True)
    loss.backward()  # expect: TL402
    optimizer.step()  # expect: TL413
