"""A PyTorch multi-label classifier trained with a Hamming-distance loss module that rounds the sigmoid outputs."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class HammingLoss(nn.Module):
    def forward(self, logits, target):  # expect: TL402
        predicted = torch.sigmoid(logits).round()
        return (predicted != target).float().mean()


model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 5))
criterion = HammingLoss()
optimizer = torch.optim.Adam(model.parameters())
x, y = torch.randn(16, 10), torch.randint(0, 2, (16, 5)).float()
optimizer.zero_grad()
loss = criterion(model(x), y)
loss.backward()  # expect: TL402
optimizer.step()
