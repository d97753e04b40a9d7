"""A training script with an over-indented line inside the epoch loop (cannot be parsed)."""
# runtime: raises IndentationError
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    optimizer.zero_grad()
        loss = model(torch.randn(4, 3)).pow(2).mean()  # expect: TL001
    loss.backward()
    optimizer.step()
