"""A PyTorch Transformer encoder layer with a LayerNorm per sub-layer, and a siamese tower that shares one encoder on purpose."""
# runtime: runs
import torch
import torch.nn as nn


class EncoderLayer(nn.Module):
    def __init__(self, hid_dim, n_heads, pf_dim):
        super().__init__()
        self.self_attention = nn.MultiheadAttention(hid_dim, n_heads, batch_first=True)
        self.feed_forward = nn.Sequential(nn.Linear(hid_dim, pf_dim), nn.ReLU(), nn.Linear(pf_dim, hid_dim))
        self.attn_layer_norm = nn.LayerNorm(hid_dim)
        self.ff_layer_norm = nn.LayerNorm(hid_dim)

    def forward(self, src):
        _src, _ = self.self_attention(src, src, src)
        src = self.attn_layer_norm(src + _src)
        return self.ff_layer_norm(src + self.feed_forward(src))


class Siamese(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.encoder = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, a, b):
        left = self.norm(self.encoder(a))
        right = self.norm(self.encoder(b))
        return (left - right).pow(2).sum(-1)


layer = EncoderLayer(32, 4, 64)
out = layer(torch.randn(8, 10, 32))
distance = Siamese(16)(torch.randn(4, 16), torch.randn(4, 16))
