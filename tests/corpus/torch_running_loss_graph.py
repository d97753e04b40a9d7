"""An epoch loop that sums loss tensors into running_loss without .item().

Silent: running_loss keeps a reference to every iteration's autograd graph (it has a grad_fn), so
memory grows with each batch until the epoch ends.
"""
# runtime: runs
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randn(40, 1)), batch_size=8)
model = nn.Linear(5, 1)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for epoch in range(2):
    running_loss = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        running_loss += loss  # expect: TL409
    print(epoch, running_loss / len(loader))
