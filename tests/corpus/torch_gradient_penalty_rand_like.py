"""A critic's gradient penalty method that draws its interpolation weight with torch.rand_like.

Silent: rand_like(real) gives every feature its own weight, so the mixed points are not on the
segments between the real and the generated rows where the penalty belongs.
"""
# runtime: runs
import torch
import torch.nn as nn


class Critic(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_features, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def gradient_penalty(self, real, fake):
        eps = torch.rand_like(real)  # expect: TL429
        mixed = eps * real + (1 - eps) * fake
        mixed.requires_grad_(True)
        score = self(mixed)
        grad = torch.autograd.grad(score.sum(), [mixed], create_graph=True)[0]
        return ((grad.norm(2, dim=1) - 1) ** 2).mean()


torch.manual_seed(0)
critic = Critic(10)
real, fake = torch.randn(32, 10), torch.randn(32, 10) + 2
penalty = critic.gradient_penalty(real, fake)
loss = critic(fake).mean() - critic(real).mean() + 10 * penalty
loss.backward()
print(f"penalty {penalty.item():.3f}")
