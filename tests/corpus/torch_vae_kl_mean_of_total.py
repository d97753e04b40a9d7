"""A small PyTorch VAE on random vectors whose KL term averages a total.

Silent: `torch.sum` without `dim` adds up the KL divergence of every latent unit of every
example, so `torch.mean` of that single number changes nothing: the KL term is the batch's
total while the reconstruction term is a per-element mean, so the prior's weight grows with the
batch size and the latent code collapses.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyVAE(nn.Module):
    def __init__(self, n_in=20, n_latent=4):
        super().__init__()
        self.enc = nn.Linear(n_in, 32)
        self.mu = nn.Linear(32, n_latent)
        self.logvar = nn.Linear(32, n_latent)
        self.dec = nn.Sequential(nn.Linear(n_latent, 32), nn.ReLU(), nn.Linear(32, n_in))

    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


def vae_loss(recon, x, mu, logvar):
    rec = F.mse_loss(recon, x)  # expect: TL456
    kl = torch.mean(-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()))  # expect: TL330
    return rec + kl


model = TinyVAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
data = torch.randn(256, 20)
for epoch in range(2):
    for i in range(0, 256, 64):
        batch = data[i:i + 64]
        recon, mu, logvar = model(batch)
        loss = vae_loss(recon, batch, mu, logvar)
        opt.zero_grad()
        loss.backward()
        opt.step()
