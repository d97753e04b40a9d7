"""A Siamese wrapper that calls self.encoder.forward(...) on its submodule instead of self.encoder(...).

Silent: forward hooks and pre-hooks on the encoder (here a hook that records embeddings) never run.
"""
# runtime: runs
import torch
from torch import nn


class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 8))

    def forward(self, a, b):
        za = self.encoder.forward(a)  # expect: TL408
        zb = self.encoder(b)
        return torch.cosine_similarity(za, zb)


net = Siamese()
recorded = []
net.encoder.register_forward_hook(lambda m, i, o: recorded.append(o.shape[0]))
same = torch.randint(0, 2, (6,)).float()
opt = torch.optim.Adam(net.parameters())
opt.zero_grad()
loss = nn.functional.mse_loss(net(torch.randn(6, 10), torch.randn(6, 10)), same)
loss.backward()
opt.step()
