"""A custom update rule that writes a hand-computed gradient into nn.Linear.weight with the bias's shape."""
# runtime: raises RuntimeError
import torch
from torch import nn

layer = nn.Linear(6, 2)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)

x = torch.randn(10, 6)
target = torch.randn(10, 2)
with torch.no_grad():
    err = layer(x) - target
    grad_b = err.mean(dim=0)
layer.weight.grad = grad_b  # expect: TL206
layer.bias.grad = grad_b
opt.step()
