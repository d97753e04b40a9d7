"""An nn.Sequential CNN whose second convolution expects 32 channels while the first produces 16."""
# runtime: raises RuntimeError
import torch
from torch import nn

features = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1),
    nn.BatchNorm2d(16),
    nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1),  # expect: TL201
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(64, 5),
)

batch = torch.randn(4, 3, 32, 32)
target = torch.randint(0, 5, (4,))
opt = torch.optim.SGD(features.parameters(), lr=0.01, momentum=0.9)
opt.zero_grad()
loss = nn.CrossEntropyLoss()(features(batch), target)
loss.backward()
opt.step()
