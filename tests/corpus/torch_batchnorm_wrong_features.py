"""A residual-style block whose BatchNorm2d is sized for 32 channels after a 64-channel convolution."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size=3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(32)

    def forward(self, x):
        y = self.conv(x)
        y = self.bn(y)  # expect: TL201
        return F.relu(y)


block = Block(16, 64)
x = torch.randn(2, 16, 8, 8)
out = block(x)
print(out.shape)
