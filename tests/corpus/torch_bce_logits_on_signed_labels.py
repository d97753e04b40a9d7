"""A PyTorch binary classifier whose labels are drawn as -1/+1 and scored with BCEWithLogitsLoss.

Silent: a target of -1 is not a probability; the loss for those samples falls without bound as
the logit grows, so the model learns to call the negative class positive.
"""
# runtime: runs
import torch
import torch.nn as nn

inputs = torch.randn(256, 10)
signs = torch.randint(0, 2, (256, 1)).float() * 2 - 1
scorer = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(scorer.parameters(), lr=0.1)
for step in range(5):
    optimizer.zero_grad()
    loss = criterion(scorer(inputs), signs)  # expect: TL328
    loss.backward()
    optimizer.step()
