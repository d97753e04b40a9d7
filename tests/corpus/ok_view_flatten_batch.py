"""Correct: flattening with x.view(x.size(0), -1) and reshape to a size with the same element count."""
# runtime: runs
import torch
import torch.nn as nn

batch = torch.randn(8, 3, 32, 32)
labels = torch.randint(0, 10, (8,))
classifier = nn.Linear(3 * 32 * 32, 10)

flat = batch.view(batch.size(0), -1)
tiles = batch.reshape(8, 3, 4, 8, 32)
loss = nn.CrossEntropyLoss()(classifier(flat), labels) + tiles.mean()
loss.backward()
