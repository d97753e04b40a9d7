"""A PyTorch sigmoid MLP written with raw parameters, its second weight matrix drawn with torch.randn.

Silent: the 512 sigmoid outputs of the first layer, summed with unit-normal weights, give
pre-activations with a standard deviation above 10; most units of the second layer start
saturated and their gradient is a few hundredths of the sigmoid's peak.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)


class SigmoidMLP(nn.Module):
    def __init__(self, n_in=64, n_hidden=512, n_out=32):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(n_in, n_hidden) * 0.05)
        self.w2 = nn.Parameter(torch.randn(n_hidden, n_out))  # expect: TL314

    def forward(self, x):
        h = torch.sigmoid(x @ self.w1)
        return torch.sigmoid(h @ self.w2)


model = SigmoidMLP()
out = model(torch.rand(128, 64))
