"""Per-sample losses (reduction='none') kept for weighting, then backward() called on the vector."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn

model = nn.Linear(10, 4)
criterion = nn.CrossEntropyLoss(reduction="none")
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(8, 10), torch.randint(0, 4, (8,))

optimizer.zero_grad()
per_sample = criterion(model(x), y)
loss = per_sample * torch.linspace(0.5, 1.5, 8)
loss.backward()  # expect: TL410
optimizer.step()
