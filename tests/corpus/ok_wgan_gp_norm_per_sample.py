"""WGAN-GP penalties that take one gradient norm per sample: all axes after the batch axis, or flattened first."""
# runtime: runs
import torch
import torch.nn as nn
from torch import autograd

torch.manual_seed(0)
critic = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 1))


def penalty_summed(D, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    grads = autograd.grad(scores, mixed, torch.ones_like(scores), create_graph=True)[0]
    norm = torch.sqrt(grads.pow(2).sum(dim=[1, 2, 3]) + 1e-12)
    return ((norm - 1) ** 2).mean()


def penalty_flat(D, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    grads = autograd.grad(scores, mixed, torch.ones_like(scores), create_graph=True)[0]
    flat = grads.view(grads.size(0), -1)
    return ((torch.sqrt((flat ** 2).sum(1)) - 1) ** 2).mean()


def channel_energy(D, x):
    x = x.clone().requires_grad_(True)
    grads = autograd.grad(D(x).sum(), x)[0]
    return grads.pow(2).sum(dim=1)  # a saliency map per pixel: no penalty compared with 1


real = torch.rand(4, 3, 8, 8)
fake = torch.rand(4, 3, 8, 8)
print(float(penalty_summed(critic, real, fake)), float(penalty_flat(critic, real, fake)), channel_energy(critic, real).shape)
