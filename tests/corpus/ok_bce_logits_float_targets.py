"""Correct: BCEWithLogitsLoss on raw logits with float targets of the same (N, 1) shape."""
# runtime: runs
import torch
from torch import nn

emails = torch.randn(12, 30)
is_spam = torch.randint(0, 2, (12, 1)).float()
net = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(2):
    opt.zero_grad()
    loss = loss_fn(net(emails), is_spam)
    loss.backward()
    opt.step()
