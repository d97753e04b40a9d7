import torch
import torch.nn as nn

from data import make_loader
from losses import SmoothScore
from model import Net

model = Net(in_features=20, num_classes=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
for xb, yb in make_loader(features=30):
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()

pixels = torch.randint(0, 255, (8, 20))
scores = model(pixels)

aux_criterion = SmoothScore()
aux = aux_criterion(model(torch.randn(8, 20)), torch.randn(8, 4))
aux.backward()
