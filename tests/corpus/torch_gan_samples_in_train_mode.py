"""A GAN whose BatchNorm generator draws progress samples from fixed noise inside the training loop.

Silent: the generator is still in training mode there; each sample batch is normalized with its own statistics and updates the generator's
running statistics, so the saved samples differ from what the generator gives in eval mode.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
nz = 8
netG = nn.Sequential(nn.Linear(nz, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 16), nn.Tanh())
netD = nn.Sequential(nn.Linear(16, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Sigmoid())
opt_g = torch.optim.Adam(netG.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(netD.parameters(), lr=2e-4)
bce = nn.BCELoss()
fixed_noise = torch.randn(16, nz)
data = torch.rand(64, 16) * 2 - 1
saved = []

for epoch in range(2):
    for i in range(0, 64, 16):
        real = data[i:i + 16]
        fake = netG(torch.randn(16, nz))
        opt_d.zero_grad()
        d_loss = bce(netD(real), torch.ones(16, 1)) + bce(netD(fake.detach()), torch.zeros(16, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(netD(fake), torch.ones(16, 1))
        g_loss.backward()
        opt_g.step()
        if i == 0:
            samples = netG(fixed_noise)  # expect: TL415
            saved.append(samples.detach().clone())
