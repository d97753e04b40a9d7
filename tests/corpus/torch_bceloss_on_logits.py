"""A binary classifier whose last layer is a plain Linear, trained with nn.BCELoss (which wants probabilities)."""
# runtime: raises RuntimeError
import torch
from torch import nn

torch.manual_seed(0)


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


detector = Detector()
bce = nn.BCELoss()
opt = torch.optim.SGD(detector.parameters(), lr=0.1)
x = torch.randn(32, 8)
y = torch.randint(0, 2, (32, 1)).float()
opt.zero_grad()
loss = bce(detector(x), y)  # expect: TL304
loss.backward()
opt.step()
