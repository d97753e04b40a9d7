"""Self-attention that splits its projection into heads with a transpose, then merges batch and heads with view for bmm."""
# runtime: raises RuntimeError
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        batch, steps, dim = x.shape
        q = self.query(x).view(batch, steps, self.heads, self.head_dim).transpose(1, 2)
        k = self.key(x).view(batch, steps, self.heads, self.head_dim).transpose(1, 2)
        v = self.value(x).view(batch, steps, self.heads, self.head_dim).transpose(1, 2)
        q = q.view(batch * self.heads, steps, self.head_dim)  # expect: TL114
        k = k.reshape(batch * self.heads, steps, self.head_dim)
        v = v.reshape(batch * self.heads, steps, self.head_dim)
        weights = F.softmax(torch.bmm(q, k.transpose(1, 2)) / math.sqrt(self.head_dim), dim=-1)
        mixed = torch.bmm(weights, v).view(batch, self.heads, steps, self.head_dim)
        return self.out(mixed.transpose(1, 2).reshape(batch, steps, dim))


model = SelfAttention()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
tokens = torch.randn(8, 10, 32)
target = torch.randn(8, 10, 32)
for step in range(3):
    optimizer.zero_grad()
    loss = F.mse_loss(model(tokens), target)
    loss.backward()
    optimizer.step()
