"""A PyTorch classifier whose nn.Sequential ends in Dropout after the layer that makes the logits.

Silent: in training mode the dropout zeroes a random part of the class scores that
CrossEntropyLoss then reads, so each step scores damaged logits.
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(8, 32),
    nn.ReLU(),
    nn.Linear(32, 4),
    nn.Dropout(0.5),  # expect: TL315
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(64, 8)
y = torch.randint(0, 4, (64,))
model.train()
for _ in range(5):
    optimizer.zero_grad()
    logits = model(x)
    loss = criterion(logits, y)
    loss.backward()
    optimizer.step()
