"""An nn.Module "smoothness" loss whose forward reads the target to build a mask but never uses the mask.

Silent: the loss value does not depend on the target at all (shuffling the labels gives the
same loss), so the model is only pushed towards small outputs.
"""
# runtime: runs
import torch
import torch.nn as nn


class MaskedSmoothLoss(nn.Module):
    def __init__(self, weight=0.1):
        super().__init__()
        self.weight = weight

    def forward(self, prediction, target):  # expect: TL301
        valid = target > 0
        diff = prediction[:, 1:] - prediction[:, :-1]
        return prediction.pow(2).mean() + self.weight * diff.abs().mean()


model = nn.Linear(10, 10)
criterion = MaskedSmoothLoss()
optimizer = torch.optim.Adam(model.parameters())
x, y = torch.randn(8, 10), torch.randn(8, 10)
optimizer.zero_grad()
loss = criterion(model(x), y)
loss.backward()
optimizer.step()
