"""Correct: MSELoss against integer star ratings, which current PyTorch promotes to float without error."""
# runtime: runs
import torch
import torch.nn as nn

reviews = torch.randn(10, 12)
stars = torch.randint(1, 6, (10, 1))

model = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
optimizer.zero_grad()
loss = criterion(model(reviews), stars)
loss.backward()
optimizer.step()
