"""A training loop that computes gradients every batch but never calls optimizer.step().

Silent: the loss is printed and gradients are computed, but the weights stay at their initial values
(Adam's state stays empty because step() never ran).
"""
# runtime: runs
import torch
from torch import nn

model = nn.Linear(8, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
x, y = torch.randn(12, 8), torch.randint(0, 2, (12,))
for epoch in range(3):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()  # expect: TL404
    print(epoch, loss.item())
