"""A PyTorch MLP whose forward chains two Linear layers with nothing between them.

Silent: fc2(fc1(x)) is a single affine map of x; the model cannot fit anything a linear model
cannot.
"""
# runtime: runs
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 64)
        self.fc2 = nn.Linear(64, 3)

    def forward(self, x):
        h = self.fc1(x)  # expect: TL311
        return self.fc2(h)


model = MLP()
x, y = torch.randn(16, 20), torch.randint(0, 3, (16,))
loss = nn.CrossEntropyLoss()(model(x), y)
loss.backward()
