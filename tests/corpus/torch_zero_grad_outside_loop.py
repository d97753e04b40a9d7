"""A DataLoader training loop that calls optimizer.zero_grad() once, before the loop, instead of every batch.

Silent: from the second batch on, each step applies the accumulated gradients of all previous batches.
"""
# runtime: runs
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(32, 4), torch.randint(0, 3, (32,)))
loader = DataLoader(data, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

optimizer.zero_grad()
for epoch in range(2):
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        loss.backward()  # expect: TL403
        optimizer.step()
