"""A PyTorch MLP block whose forward builds the default activation instead of the one it is given.

Silent: `act_layer` is stored and never read, and forward applies `nn.GELU()`, the parameter's
default, so a block asked for Tanh computes GELU.
"""
# runtime: runs
import torch
import torch.nn as nn


class MlpBlock(nn.Module):
    def __init__(self, dim, act_layer=nn.GELU):
        super().__init__()
        self.fc1 = nn.Linear(dim, 2 * dim)
        self.fc2 = nn.Linear(2 * dim, dim)
        self.act_layer = act_layer

    def forward(self, x):
        return self.fc2(nn.GELU()(self.fc1(x)))  # expect: TL447


block = MlpBlock(8, act_layer=nn.Tanh)
x = torch.randn(4, 8)
out = block(x)
