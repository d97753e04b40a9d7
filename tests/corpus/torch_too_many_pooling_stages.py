"""A PyTorch CNN for 28x28 digits with four conv + pool stages: after the third pooling the map is 1x1, so the fourth 3x3 convolution has nothing to slide over."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F


class DeepDigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.conv3 = nn.Conv2d(32, 64, 3)
        self.conv4 = nn.Conv2d(64, 64, 3)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # 28 -> 26 -> 13
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # 13 -> 11 -> 5
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)  # 5 -> 3 -> 1
        x = F.relu(self.conv4(x))  # expect: TL209
        return self.fc(x.flatten(1))


net = DeepDigitNet()
out = net(torch.randn(4, 1, 28, 28))
