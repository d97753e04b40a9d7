"""A PyTorch evaluation script that restores a checkpoint with `net = net.load_state_dict(...)`.

`load_state_dict` copies the weights in place and returns the missing and unexpected keys: `net`
then names that result, and calling it on the test batch fails.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
checkpoint = {k: v.clone() for k, v in net.state_dict().items()}
net = net.load_state_dict(checkpoint)  # expect: TL435
with torch.no_grad():
    scores = net(torch.randn(4, 10))
