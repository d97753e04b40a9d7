"""A torch sequence loss that divides each sequence's masked sum by the whole batch's token count.

Silent: averaging the per-sequence values then divides by the batch size again, so the loss is
the token mean divided by the batch size; training runs with gradients 16 times too small.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(8, 10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(16, 12, 8)
target = torch.randint(0, 10, (16, 12))
mask = (torch.rand(16, 12) > 0.3).float()

logits = model(x)
nll = F.cross_entropy(logits.transpose(1, 2), target, reduction="none")
loss = ((nll * mask).sum(dim=1) / mask.sum()).mean()  # expect: TL325
optimizer.zero_grad()
loss.backward()
optimizer.step()
