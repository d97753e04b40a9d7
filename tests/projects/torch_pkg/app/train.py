import torch
import torch.nn as nn

from . import data
from .model import Net

model = Net(in_features=20, num_classes=4)
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
for xb, yb in data.make_loader(features=30):
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
