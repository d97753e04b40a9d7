"""A GAN with two discriminators whose parameters are frozen for the generator step through an exhausted itertools.chain.

`d_params` is a chain that `Adam(d_params)` ran through; the loops that should freeze and thaw
the discriminators run over nothing, so the generator's loss also fills their gradients.
"""
# runtime: runs
import itertools

import torch
import torch.nn as nn


def mlp(n_in, n_out):
    return nn.Sequential(nn.Linear(n_in, 32), nn.LeakyReLU(0.2), nn.Linear(32, n_out))


def train(steps=3):
    gen = mlp(8, 16)
    d_global, d_local = mlp(16, 1), mlp(16, 1)
    d_params = itertools.chain(d_global.parameters(), d_local.parameters())
    d_opt = torch.optim.Adam(d_params, lr=2e-4)
    g_opt = torch.optim.Adam(gen.parameters(), lr=2e-4)
    bce = nn.BCEWithLogitsLoss()

    def generator_step(z):
        for p in d_params:  # expect: TL317
            p.requires_grad = False
        fake = gen(z)
        g_loss = bce(d_global(fake), torch.ones(len(z), 1)) + bce(d_local(fake), torch.ones(len(z), 1))
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        for p in d_params:  # expect: TL317
            p.requires_grad = True
        return g_loss

    for _ in range(steps):
        real, z = torch.randn(16, 16), torch.randn(16, 8)
        d_loss = bce(d_global(real), torch.ones(16, 1)) + bce(d_global(gen(z).detach()), torch.zeros(16, 1))
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        d_opt.zero_grad()
        g_loss = generator_step(z)
    return g_loss, d_global


g_loss, d_global = train()
d_grad_after_g_step = d_global[0].weight.grad
print(g_loss.item(), d_grad_after_g_step is not None and d_grad_after_g_step.abs().sum().item())
