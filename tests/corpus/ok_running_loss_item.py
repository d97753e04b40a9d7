"""Correct: running loss accumulated with loss.item() and a detached tensor, per-sample losses reduced before backward()."""
# runtime: runs
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randint(0, 3, (40,))), batch_size=8)
model = nn.Linear(5, 3)
criterion = nn.CrossEntropyLoss(reduction="none")
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for epoch in range(2):
    running_loss = 0.0
    worst = torch.zeros(())
    for xb, yb in loader:
        optimizer.zero_grad()
        per_sample = criterion(model(xb), yb)
        loss = per_sample.mean()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        worst = torch.maximum(worst, per_sample.max().detach())
    print(epoch, running_loss / len(loader), worst.item())
