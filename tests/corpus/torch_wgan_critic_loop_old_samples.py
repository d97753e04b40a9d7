"""A WGAN whose generator step scores the images generated in the last critic iteration instead of new ones."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 28 * 28), nn.Tanh())

    def forward(self, z):
        return self.model(z).view(z.size(0), 1, 28, 28)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))

    def forward(self, img):
        return self.model(img)


torch.manual_seed(0)
generator, critic = Generator(), Critic()
optimizer_G = torch.optim.RMSprop(generator.parameters(), lr=5e-5)
optimizer_D = torch.optim.RMSprop(critic.parameters(), lr=5e-5)
n_critic = 5

for epoch in range(2):
    for _ in range(n_critic):
        real_imgs = torch.rand(16, 1, 28, 28) * 2 - 1
        optimizer_D.zero_grad()
        fake_imgs = generator(torch.randn(16, 16))
        loss_D = -torch.mean(critic(real_imgs)) + torch.mean(critic(fake_imgs))
        loss_D.backward()
        optimizer_D.step()
        for p in critic.parameters():
            p.data.clamp_(-0.01, 0.01)

    optimizer_G.zero_grad()
    gen_imgs = generator(torch.randn(16, 16))
    loss_G = -torch.mean(critic(fake_imgs))
    loss_G.backward()  # expect: TL434
    optimizer_G.step()
