"""A PyTorch GAN script that binds its loss as discriminator_loss, moves adversarial_loss to the GPU and counts batches over dataloader, names it never binds."""
# runtime: raises NameError
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=1)
parser.add_argument("--latent_dim", type=int, default=8)
opt = parser.parse_args([])
cuda = True

generator = nn.Sequential(nn.Linear(opt.latent_dim, 16), nn.Tanh())
discriminator = nn.Sequential(nn.Linear(16, 1), nn.Sigmoid())
discriminator_loss = nn.BCELoss()

if cuda:
    adversarial_loss.cuda()  # expect: TL003

mnist_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.rand(32, 16)), batch_size=8)
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4)
for epoch in range(opt.n_epochs):
    for i, (imgs,) in enumerate(mnist_loader):
        optimizer_G.zero_grad()
        z = torch.randn(imgs.size(0), opt.latent_dim)
        g_loss = discriminator_loss(discriminator(generator(z)), torch.ones(imgs.size(0), 1))
        g_loss.backward()
        optimizer_G.step()
        batches_done = epoch * len(dataloader) + i  # expect: TL003
