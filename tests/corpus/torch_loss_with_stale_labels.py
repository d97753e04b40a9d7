"""A DataLoader loop that computes the loss against a slice of the full label tensor instead of the batch labels.

Silent: with shuffle=True the slice y_train[:len(out)] has nothing to do with the current batch, so
the model is fitted to random labels (the loss is the same whatever labels the loader yields).
"""
# runtime: runs
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

x_train = torch.randn(40, 6)
y_train = torch.randint(0, 2, (40,))
loader = DataLoader(TensorDataset(x_train, y_train), batch_size=10, shuffle=True)

model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for inputs, labels in loader:
    optimizer.zero_grad()
    out = model(inputs)
    loss = criterion(out, y_train[: len(out)])  # expect: TL301
    loss.backward()
    optimizer.step()
