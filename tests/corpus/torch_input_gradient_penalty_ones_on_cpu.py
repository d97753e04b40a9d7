"""A classifier trained with a penalty on the gradient of its scores with respect to its input.

Silent on this machine, which has no GPU: the model and the batch go to `device`, but the
`grad_outputs` of `torch.autograd.grad` are made by `torch.ones(...)` on the CPU. On a machine
with a GPU the penalty raises a device mismatch at the first step.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
net = nn.Sequential(nn.Linear(12, 32), nn.Tanh(), nn.Linear(32, 3)).to(device)
opt = torch.optim.SGD(net.parameters(), lr=0.05)

for step in range(20):
    x = torch.randn(16, 12).to(device).requires_grad_(True)
    y = torch.randint(0, 3, (16,)).to(device)
    scores = net(x)
    grads = torch.autograd.grad(scores, x, grad_outputs=torch.ones(scores.size()),  # expect: TL107
                                create_graph=True)[0]
    loss = F.cross_entropy(scores, y) + 0.1 * grads.pow(2).sum(dim=1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
