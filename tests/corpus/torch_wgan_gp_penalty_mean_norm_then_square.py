"""A PyTorch WGAN-GP critic step whose gradient penalty squares the distance of the mean norm from 1.

Silent: `(grad_norm.mean() - 1) ** 2` is zero whenever the per-image gradient norms average 1,
however far each lies from it, so the critic is not held to unit gradient norm per sample and
the Wasserstein estimate it is meant to give is not kept in check.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch import autograd

torch.manual_seed(0)
LATENT, LAMBDA_GP, N_CRITIC = 16, 10.0, 5

generator = nn.Sequential(
    nn.Linear(LATENT, 128), nn.ReLU(),
    nn.Linear(128, 3 * 16 * 16), nn.Tanh(),
    nn.Unflatten(1, (3, 16, 16)),
)
critic = nn.Sequential(
    nn.Conv2d(3, 16, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
    nn.Conv2d(16, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(32 * 4 * 4, 1),
)
opt_g = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.0, 0.9))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))


def gradient_penalty(critic, real, fake):
    batch_size = real.size(0)
    epsilon = torch.rand(batch_size, 1, 1, 1)
    mixed = epsilon * real + (1 - epsilon) * fake
    mixed.requires_grad_(True)
    scores = critic(mixed)
    gradients = autograd.grad(outputs=scores, inputs=mixed, grad_outputs=torch.ones_like(scores),
                              create_graph=True, retain_graph=True)[0]
    gradients = gradients.view(batch_size, -1)
    grad_norm = gradients.norm(2, dim=1)
    return (grad_norm.mean() - 1) ** 2  # expect: TL468


real_images = torch.rand(64, 3, 16, 16) * 2 - 1
for step in range(2):
    for _ in range(N_CRITIC):
        real = real_images[torch.randint(0, 64, (16,))]
        fake = generator(torch.randn(16, LATENT)).detach()
        loss_c = critic(fake).mean() - critic(real).mean() + LAMBDA_GP * gradient_penalty(critic, real, fake)
        opt_c.zero_grad()
        loss_c.backward()
        opt_c.step()
    loss_g = -critic(generator(torch.randn(16, LATENT))).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    print(f"step {step}: critic {loss_c.item():.3f}, generator {loss_g.item():.3f}")
