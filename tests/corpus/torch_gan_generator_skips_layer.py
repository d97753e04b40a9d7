"""A PyTorch GAN generator whose second layer is fed the noise `z` instead of the first layer's output.

Silent: the first layer never reaches the output, so after backward its weight gradient is
None and it never trains; the generator is one layer deep.
"""
# runtime: runs
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, latent=16, hidden=64, out=16):
        super().__init__()
        self.fc1 = nn.Linear(latent, hidden)
        self.fc2 = nn.Linear(latent, out)

    def forward(self, z):
        h = torch.relu(self.fc1(z))  # expect: TL414
        return torch.tanh(self.fc2(z))


G = Generator()
D = nn.Sequential(nn.Linear(16, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4)
z = torch.randn(8, 16)
opt_g.zero_grad()
g_loss = nn.functional.binary_cross_entropy_with_logits(D(G(z)), torch.ones(8, 1))
g_loss.backward()
opt_g.step()
