"""A validation split drawn with SubsetRandomSampler whose summed loss is averaged over the whole dataset.

Silent: the loader yields only the 40 validation samples, but the sum is divided by all 200,
so the reported validation loss is five times smaller than the mean over the samples it saw.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.sampler import SubsetRandomSampler

torch.manual_seed(0)
data = TensorDataset(torch.randn(200, 8), torch.randint(0, 3, (200,)))
indices = torch.randperm(200).tolist()
train_loader = DataLoader(data, batch_size=20, sampler=SubsetRandomSampler(indices[40:]))
valid_loader = DataLoader(data, batch_size=20, sampler=SubsetRandomSampler(indices[:40]))

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(3):
    model.train()
    train_loss = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        train_loss += loss.item() * x.size(0)
    model.eval()
    valid_loss = 0.0
    with torch.no_grad():
        for x, y in valid_loader:
            valid_loss += criterion(model(x), y).item() * x.size(0)
    train_loss = train_loss / len(train_loader.sampler)
    valid_loss = valid_loss / len(valid_loader.dataset)  # expect: TL430
    print(f"epoch {epoch}: train {train_loss:.4f} valid {valid_loss:.4f}")
