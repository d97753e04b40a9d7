"""Correct: hand-written cross-entropies on sigmoid and clipped softmax outputs, log1p and the log of data."""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

head = nn.Linear(6, 1)
clf = nn.Linear(6, 3)
x, t = torch.randn(16, 6), torch.rand(16, 1)
p = torch.sigmoid(head(x))
bce = -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()
probs = F.softmax(clf(x), dim=1).clamp(min=1e-7)
onehot = torch.eye(3)[torch.randint(0, 3, (16,))]
ce = -(onehot * torch.log(probs)).sum(dim=1).mean()
smooth = torch.log1p(torch.relu(clf(x))).mean()
prices = torch.rand(16) + 1.0
log_returns = torch.log(prices)
(bce + ce + smooth).backward()
assert torch.isfinite(bce) and torch.isfinite(ce)
