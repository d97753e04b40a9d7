"""A CNN initialized with xavier_uniform_ on each convolution module rather than on its weight."""
# runtime: raises AttributeError
import torch
import torch.nn as nn
from torch.nn import init

conv1 = nn.Conv2d(1, 16, 3, padding=1)
conv2 = nn.Conv2d(16, 32, 3, padding=1)
init.xavier_uniform_(conv1)  # expect: TL433
init.xavier_uniform_(conv2.weight)
model = nn.Sequential(conv1, nn.ReLU(), conv2, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
print(model(torch.randn(4, 1, 28, 28)).shape)
