"""A WGAN-GP critic step whose interpolation weight is drawn per pixel, not per sample.

Silent: alpha has the images' full shape, so every pixel mixes the real and the generated image
in its own proportion and the gradient penalty is taken off the lines between the pairs.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
from torch import autograd

Tensor = torch.FloatTensor
torch.manual_seed(0)

critic = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(8 * 14 * 14, 1))
generator = nn.Sequential(nn.Linear(16, 28 * 28), nn.Tanh())
optimizer_D = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))


def compute_gradient_penalty(D, real_samples, fake_samples):
    alpha = Tensor(np.random.random(size=real_samples.shape))  # expect: TL429
    interpolates = (alpha * real_samples + ((1 - alpha) * fake_samples)).requires_grad_(True)
    d_interpolates = D(interpolates)
    gradients = autograd.grad(outputs=d_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones_like(d_interpolates), create_graph=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()


real_imgs = torch.rand(8, 1, 28, 28) * 2 - 1
z = torch.randn(8, 16)
fake_imgs = generator(z).view(8, 1, 28, 28).detach()
optimizer_D.zero_grad()
gp = compute_gradient_penalty(critic, real_imgs, fake_imgs)
d_loss = -critic(real_imgs).mean() + critic(fake_imgs).mean() + 10 * gp
d_loss.backward()
optimizer_D.step()
print(f"critic loss {d_loss.item():.3f}, penalty {gp.item():.3f}")
