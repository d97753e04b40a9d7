"""A WGAN-GP critic step whose gradient norm sums the channel axis only of image gradients.

Silent: the norm is one per pixel, not one per image, so the penalty holds every pixel's
gradient near norm 1 and the critic trains on a far stronger constraint than intended.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch import autograd

torch.manual_seed(0)

critic = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(8 * 16 * 16, 1))
generator = nn.Sequential(nn.Linear(32, 3 * 32 * 32), nn.Tanh())
optimizer_D = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))


def gradient_penalty(D, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    grads = autograd.grad(outputs=scores, inputs=mixed, grad_outputs=torch.ones_like(scores), create_graph=True)[0]
    norm = torch.sqrt(grads.pow(2).sum(dim=1) + 1e-12)  # expect: TL427
    return ((norm - 1) ** 2).mean()


real_imgs = torch.rand(8, 3, 32, 32) * 2 - 1
fake_imgs = generator(torch.randn(8, 32)).view(8, 3, 32, 32).detach()
optimizer_D.zero_grad()
gp = gradient_penalty(critic, real_imgs, fake_imgs)
d_loss = -critic(real_imgs).mean() + critic(fake_imgs).mean() + 10 * gp
d_loss.backward()
optimizer_D.step()
print(f"critic loss {d_loss.item():.3f}, penalty {gp.item():.3f}")
