"""A PyTorch encoder whose constructor calls the two-argument super() and passes self again.

`super(Encoder, self).__init__(self)` hands nn.Module's constructor a positional argument, which
raises TypeError when the encoder is built.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, n_in, n_hidden):
        super(Encoder, self).__init__(self)  # expect: TL005
        self.fc = nn.Linear(n_in, n_hidden)

    def forward(self, x):
        return torch.tanh(self.fc(x))


encoder = Encoder(16, 4)
print(encoder(torch.randn(2, 16)).shape)
