"""A single-sample decoder step whose forward() encodes x but then decodes the learned initial state instead.

Silent: the module returns the same output for every input (model(a) == model(b)), so the
predictions are a constant learned bias.
"""
# runtime: runs
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.h0 = nn.Parameter(torch.zeros(1, dim))
        self.encode = nn.Linear(dim, dim)
        self.decode = nn.Linear(dim, 3)

    def forward(self, x):  # expect: TL401
        h = torch.tanh(self.encode(x))
        return self.decode(self.h0)


decoder = Decoder()
opt = torch.optim.Adam(decoder.parameters())
x = torch.randn(1, 8)
target = torch.randn(1, 3)
opt.zero_grad()
loss = nn.functional.mse_loss(decoder(x), target)
loss.backward()
opt.step()
