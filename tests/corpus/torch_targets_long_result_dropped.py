"""A torch classifier whose batch targets are converted to class indices by a line that drops the copy."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(features, targets):
    targets.long()  # expect: TL009
    optimizer.zero_grad()
    loss = F.cross_entropy(model(features), targets)  # expect: TL104
    loss.backward()
    optimizer.step()
    return loss.item()


for step in range(3):
    x = torch.randn(16, 20)
    y = torch.randint(0, 4, (16,)).float()
    train_step(x, y)
