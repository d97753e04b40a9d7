"""A torch focal loss module that hands its class weight and focusing exponent to the loss function in the wrong order.

Silent: focal_loss takes (logits, targets, gamma, alpha) and the module passes (self.alpha,
self.gamma) by position, so the exponent is 0.25 and the class weight 2.0: the negatives' weight
1 - alpha becomes -1.0, the loss is negative, and training raises the loss of the negatives.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


def focal_loss(logits, targets, gamma=2.0, alpha=0.25):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * (1 - p_t) ** gamma * ce).mean()


class FocalLoss(nn.Module):
    def __init__(self, alpha=0.25, gamma=2.0):
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, logits, targets):
        return focal_loss(logits, targets, self.alpha, self.gamma)  # expect: TL008


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))
criterion = FocalLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(256, 16)
y = (torch.rand(256, 1) < 0.1).float()
for epoch in range(3):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
