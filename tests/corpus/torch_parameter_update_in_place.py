"""A hand-written SGD step over model.parameters() with add_ outside torch.no_grad()."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
x, y = torch.randn(16, 4), torch.randn(16, 1)
lr = 0.05
for step in range(10):
    model.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    for p in model.parameters():
        p.add_(p.grad, alpha=-lr)  # expect: TL416
