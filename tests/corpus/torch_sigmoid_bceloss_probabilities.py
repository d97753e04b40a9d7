"""A PyTorch binary classifier ending in nn.Sigmoid and trained with nn.BCELoss (opt-in advice: use logits).

Runs; BCEWithLogitsLoss on the raw Linear output would be more stable for saturated outputs.
"""
# runtime: runs
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 1), nn.Sigmoid())
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(24, 6)
y = torch.randint(0, 2, (24, 1)).float()
for epoch in range(2):
    optimizer.zero_grad()
    loss = criterion(net(x), y)  # expect: TL308
    loss.backward()
    optimizer.step()
