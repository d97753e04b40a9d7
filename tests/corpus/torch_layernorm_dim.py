"""A transformer-style block whose LayerNorm is built for d_model=128 while the embeddings are 64 wide."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class EncoderBlock(nn.Module):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.norm = nn.LayerNorm(128)
        self.ff = nn.Linear(d_model, d_model)

    def forward(self, x):
        a, _ = self.attn(x, x, x)
        x = self.norm(x + a)  # expect: TL202
        return x + self.ff(x)


block = EncoderBlock()
tokens = torch.randn(2, 10, 64)
print(block(tokens).shape)  # also: TL202
