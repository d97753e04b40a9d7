"""A PyTorch VAE that draws its reparameterization noise from N(0, 0.5) while its KL assumes N(0, 1).

Silent: the KL term says the posterior's noise is standard normal; drawn with std 0.5, the
sampled codes are half as spread as the ones the loss accounts for.
"""
# runtime: runs
import torch
import torch.nn as nn

enc = nn.Linear(8, 4)
dec = nn.Linear(2, 8)
opt = torch.optim.SGD(list(enc.parameters()) + list(dec.parameters()), lr=0.01)
x = torch.rand(32, 8)
for _ in range(2):
    mu, logvar = enc(x).chunk(2, dim=1)
    eps = torch.normal(mean=0.0, std=0.5, size=mu.shape)  # expect: TL324
    z = mu + torch.exp(0.5 * logvar) * eps
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss = ((dec(z) - x) ** 2).sum() + kl
    opt.zero_grad()
    loss.backward()
    opt.step()
