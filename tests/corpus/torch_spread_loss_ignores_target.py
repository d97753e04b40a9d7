"""A multi-output regression loss module (not named *Loss) whose forward measures the predictions' spread, never the target.

Silent: the training loss drops to ~0 because the model learns to output a constant; the loss is
identical for the real targets and for shuffled ones.
"""
# runtime: runs
import torch
from torch import nn


class WeightedSpread(nn.Module):
    def __init__(self, weights):
        super().__init__()
        self.register_buffer("weights", torch.as_tensor(weights, dtype=torch.float32))

    def forward(self, prediction, target):  # expect: TL301
        residual = prediction - prediction.mean(dim=0, keepdim=True)
        return (self.weights * residual.pow(2)).mean()


x = torch.randn(30, 4)
y = torch.randn(30, 2)
model = nn.Linear(4, 2)
objective = WeightedSpread([1.0, 2.0])
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(5):
    optimizer.zero_grad()
    loss = objective(model(x), y)
    loss.backward()
    optimizer.step()
