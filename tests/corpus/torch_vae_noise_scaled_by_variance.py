"""A PyTorch VAE on random 20-feature vectors whose training loop samples codes as mu + exp(logvar) * noise.

Silent: logvar is the log of the variance (the KL term reads it so), so exp(logvar) is the
variance, not the standard deviation exp(0.5 * logvar); the codes get the wrong spread.
"""
# runtime: runs
import torch
import torch.nn as nn

enc = nn.Sequential(nn.Linear(20, 16), nn.ReLU())
to_mu, to_logvar = nn.Linear(16, 3), nn.Linear(16, 3)
dec = nn.Linear(3, 20)
params = [p for m in (enc, to_mu, to_logvar, dec) for p in m.parameters()]
opt = torch.optim.Adam(params, lr=1e-3)
data = torch.randn(64, 20)
for _ in range(3):
    h = enc(data)
    mu, logvar = to_mu(h), to_logvar(h)
    z = mu + torch.exp(logvar) * torch.randn_like(mu)  # expect: TL323
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss = nn.functional.mse_loss(dec(z), data, reduction="sum") + kld
    opt.zero_grad()
    loss.backward()
    opt.step()
