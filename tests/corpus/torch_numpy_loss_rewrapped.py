"""A PyTorch model scored by a NumPy loss that comes back through torch.from_numpy(...).requires_grad_().

Silent: the loss has a gradient, but not with respect to the network; every parameter's .grad
stays None and the weights never move.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
xs = torch.randn(32, 4)
ys = np.random.rand(32, 1)
before = [p.clone() for p in net.parameters()]
for step in range(10):
    pred = net(xs).detach().numpy()
    err = torch.from_numpy((pred - ys) ** 2).requires_grad_()
    loss = err.mean()
    opt.zero_grad()
    loss.backward()
    opt.step()  # expect: TL413
