"""A validation-free loop that collects every batch loss tensor into a total with total = total + loss.

Silent: total holds the graphs of all batches (total.grad_fn is not None), the memory-leak pattern
behind many "CUDA out of memory after N iterations" reports.
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters())
ce = nn.CrossEntropyLoss()
total = 0
for step in range(5):
    x, y = torch.randn(6, 4), torch.randint(0, 2, (6,))
    opt.zero_grad()
    loss = ce(model(x), y)
    loss.backward()
    opt.step()
    total = total + loss  # expect: TL409
print("mean loss", total / 5)
