"""A PyTorch VAE on random 30-feature vectors whose loss adds a mean-squared reconstruction error to a KL summed over every code unit.

Silent: `F.mse_loss` averages over the batch and the 30 features while the KL term sums over the
batch and the latent units, so the KL is weighted batch * features times more than the evidence
lower bound says and pulls every code onto the prior.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

enc = nn.Sequential(nn.Linear(30, 16), nn.ReLU())
to_mu, to_logvar = nn.Linear(16, 4), nn.Linear(16, 4)
dec = nn.Linear(4, 30)
params = [p for m in (enc, to_mu, to_logvar, dec) for p in m.parameters()]
opt = torch.optim.Adam(params, lr=1e-3)
data = torch.randn(64, 30)
for _ in range(3):
    h = enc(data)
    mu, logvar = to_mu(h), to_logvar(h)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    rec = F.mse_loss(dec(z), data)  # expect: TL456
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss = rec + kld
    opt.zero_grad()
    loss.backward()
    opt.step()
