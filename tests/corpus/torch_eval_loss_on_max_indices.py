"""An evaluation helper that scores the outputs against the indices of their own maximum.

Silent: `predicted` comes from `torch.max(outputs, 1)`, so the reported validation loss is the
loss of the model against its own guesses: lower than against the labels, and blind to errors.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
features = torch.randn(300, 6)
labels = features[:, :3].argmax(dim=1)
train_loader = DataLoader(TensorDataset(features[:240], labels[:240]), batch_size=32, shuffle=True)
valid_loader = DataLoader(TensorDataset(features[240:], labels[240:]), batch_size=32)

net = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)


def validate(model, loader):
    model.eval()
    total, batches = 0.0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            outputs = model(inputs)
            _, predicted = torch.max(outputs, 1)
            total += criterion(outputs, predicted).item()  # expect: TL316
            batches += 1
    model.train()
    return total / batches


for epoch in range(5):
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        criterion(net(inputs), targets).backward()
        optimizer.step()
valid_loss = validate(net, valid_loader)
print(f"validation loss: {valid_loss:.3f}")
