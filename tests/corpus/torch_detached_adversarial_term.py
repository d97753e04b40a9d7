"""A PyTorch autoencoder whose adversarial loss term is added to the loss as `adv.item()`.

Silent: the adversarial term is printed with the loss but is a constant to autograd: the
gradient of the total loss with respect to the decoder equals that of the reconstruction loss
alone.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(20, 8), nn.ReLU())
decoder = nn.Sequential(nn.Linear(8, 20))
critic = nn.Sequential(nn.Linear(20, 1), nn.Sigmoid())
params = list(encoder.parameters()) + list(decoder.parameters())
opt = torch.optim.Adam(params, lr=1e-3)
bce = nn.BCELoss()
x = torch.randn(32, 20)
for step in range(3):
    opt.zero_grad()
    recon = decoder(encoder(x))
    rec_loss = ((recon - x) ** 2).mean()
    adv = bce(critic(recon), torch.ones(32, 1))
    loss = rec_loss + 0.5 * adv.item()  # expect: TL412
    loss.backward()
    opt.step()
