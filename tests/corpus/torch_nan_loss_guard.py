"""An early-stopping guard that tests loss.item() == float('nan') to stop a diverging run.

Silent: NaN compares unequal to everything, including itself, so the guard never fires and training
continues on NaN weights (the comparison is False even for a NaN loss).
"""
# runtime: runs
import math
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=10.0)
x, y = torch.randn(8, 3) * 100, torch.randn(8, 1)
stopped = False
for step in range(50):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    if loss.item() == math.nan:  # expect: TL503
        stopped = True
        break
    loss.backward()
    optimizer.step()
