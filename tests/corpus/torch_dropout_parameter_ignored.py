"""A PyTorch classifier head whose builder takes the dropout probability `p` but builds nn.Dropout(p=0.5).

Silent: the caller's p=0.1 never reaches the layer, which drops half of the features while
training.
"""
# runtime: runs
import torch
import torch.nn as nn


def make_head(in_features, n_classes, p=0.5):
    return nn.Sequential(nn.Dropout(p=0.5), nn.Linear(in_features, n_classes))  # expect: TL425


head = make_head(128, 10, p=0.1)
optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
for step in range(3):
    x, y = torch.randn(32, 128), torch.randint(0, 10, (32,))
    loss = nn.functional.cross_entropy(head(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
