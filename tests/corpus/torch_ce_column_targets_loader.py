"""A PyTorch classifier trained with CrossEntropyLoss on targets stored as an (N, 1) column, batched by a DataLoader."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

features = torch.randn(40, 6)
classes = torch.randint(0, 4, (40, 1))  # kept as a column, as read from a CSV
loader = DataLoader(TensorDataset(features, classes), batch_size=8, shuffle=True)

model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for xb, yb in loader:
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)  # expect: TL208
    loss.backward()
    optimizer.step()
