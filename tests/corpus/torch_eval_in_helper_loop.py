"""An epoch loop that calls an evaluate() helper which puts the model in eval mode; training resumes without model.train().

Silent: Dropout is off for every epoch after the first (the model's training flag stays False).
"""
# runtime: runs
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Dropout(0.3), nn.Linear(12, 1))

    def forward(self, x):
        return self.body(x)


net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.01)
x, y = torch.randn(16, 6), torch.randn(16, 1)
for epoch in range(2):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()
    net.eval()  # expect: TL407
    with torch.no_grad():
        score = nn.functional.mse_loss(net(x), y).item()
