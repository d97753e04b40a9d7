"""A bottleneck block written for Python 2 that sizes its middle convolution with `out_planes / 4`."""
# runtime: raises TypeError
import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    def __init__(self, in_planes, out_planes):
        super(Bottleneck, self).__init__()
        mid_planes = out_planes / 4
        self.conv1 = nn.Conv2d(in_planes, mid_planes, kernel_size=1, bias=False)  # expect: TL110
        self.bn1 = nn.BatchNorm2d(mid_planes)
        self.conv2 = nn.Conv2d(mid_planes, out_planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)))


block = Bottleneck(64, 256)
print(block(torch.randn(2, 64, 8, 8)).shape)
