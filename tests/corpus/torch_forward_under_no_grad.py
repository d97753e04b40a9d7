"""A training step whose forward pass was left inside a torch.no_grad() block copied from evaluation code."""
# runtime: raises RuntimeError
import torch
from torch import nn

net = nn.Linear(4, 2)
opt = torch.optim.Adam(net.parameters())
loss_fn = nn.CrossEntropyLoss()
inputs, labels = torch.randn(6, 4), torch.randint(0, 2, (6,))

opt.zero_grad()
with torch.no_grad():
    logits = net(inputs)
loss = loss_fn(logits, labels)
loss.backward()  # expect: TL402
opt.step()
