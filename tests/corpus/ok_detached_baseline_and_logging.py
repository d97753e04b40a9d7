"""Correct: a detached baseline inside a term, a GAN step on a detached fake batch, detached values logged."""
# runtime: runs
import torch
import torch.nn as nn

policy, value = nn.Linear(4, 2), nn.Linear(4, 1)
G, D = nn.Linear(4, 8), nn.Linear(8, 1)
s, r = torch.randn(8, 4), torch.randn(8, 1)
logp = torch.log_softmax(policy(s), dim=1)[:, :1]
v = value(s)
ac_loss = -(logp * (r - v.detach())).mean() + nn.functional.mse_loss(v, r)
ac_loss.backward()
z, real = torch.randn(6, 4), torch.randn(6, 8)
d_loss = D(real).mean() - D(G(z).detach()).mean()
d_loss.backward()
history = [d_loss.item() + ac_loss.detach().item()]
