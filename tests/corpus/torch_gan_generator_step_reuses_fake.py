"""A GAN whose discriminator step scores the generated batch without detach, then the generator step scores it again."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn

torch.manual_seed(0)
generator = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
discriminator = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Sigmoid())
opt_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
opt_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
criterion = nn.BCELoss()

for step in range(100):
    real = torch.randn(64, 2) * 0.5 + 2
    fake = generator(torch.randn(64, 8))
    valid, fake_label = torch.ones(64, 1), torch.zeros(64, 1)

    opt_D.zero_grad()
    d_loss = criterion(discriminator(real), valid) + criterion(discriminator(fake), fake_label)
    d_loss.backward()
    opt_D.step()

    opt_G.zero_grad()
    g_loss = criterion(discriminator(fake), valid)
    g_loss.backward()  # expect: TL434
    opt_G.step()
