"""Correct: a keep probability turned into nn.Dropout's drop probability."""
# runtime: runs
import torch
import torch.nn as nn

keep_prob = 0.9  # keep probability of the hidden units
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Dropout(1 - keep_prob), nn.Linear(32, 2))
out = model(torch.randn(4, 16))
print(out.shape)
