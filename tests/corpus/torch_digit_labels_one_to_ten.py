"""A PyTorch digit classifier whose labels are numbered 1-10 (10 standing for the digit 0, as in SVHN), with ten outputs and CrossEntropyLoss."""
# runtime: raises IndexError
import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 14 * 14, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(x.flatten(1))


images = torch.rand(256, 1, 28, 28)
digits = torch.randint(1, 11, (256,))
net = DigitNet()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
for epoch in range(3):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(images), digits)  # expect: TL329
    loss.backward()
    optimizer.step()
