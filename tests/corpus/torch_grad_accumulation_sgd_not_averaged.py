"""A PyTorch classifier trained with SGD over four accumulated micro-batches whose losses are not averaged.

Silent: every micro-batch's mean loss is backpropagated as it is, so after the inner loop the
gradient is the sum of four batch means, four times the gradient of the 64 samples the
accumulation stands for, and each SGD step is four times as long as `lr` says.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
data = torch.randn(512, 20)
labels = (data[:, 0] > 0).long()


def batches(size=16):
    while True:
        order = torch.randperm(len(data))
        for i in range(0, len(data) - size + 1, size):
            idx = order[i:i + size]
            yield data[idx], labels[idx]


model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
ACCUMULATION_STEPS = 4
stream = batches()

for step in range(50):
    optimizer.zero_grad()
    for micro in range(ACCUMULATION_STEPS):
        x, y = next(stream)
        loss = F.cross_entropy(model(x), y)
        loss.backward()  # expect: TL007
    optimizer.step()
