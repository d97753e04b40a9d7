"""A PyTorch residual block whose default group count fails its own check.

`groups=0` is the default, but the block asserts `groups >= 1` first: building it with the
default stops with AssertionError.
"""
# runtime: raises AssertionError
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, channels, groups=0, p_drop=0.1):
        assert groups >= 1, "groups must be positive"  # expect: TL004
        assert 0.0 <= p_drop < 1.0
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, groups=groups)
        self.drop = nn.Dropout(p_drop)

    def forward(self, x):
        return x + self.drop(torch.relu(self.conv(x)))


block = Block(8)
print(block(torch.randn(1, 8, 16, 16)).shape)
