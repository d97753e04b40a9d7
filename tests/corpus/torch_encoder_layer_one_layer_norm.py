"""A PyTorch Transformer encoder layer that keeps one LayerNorm for its attention and feed-forward sub-layers.

Silent: `self.layer_norm` normalizes the attention output and then the feed-forward output computed
from it, so the two sub-layers share one scale and shift; the layer holds a single LayerNorm,
called twice in every forward pass.
"""
# runtime: runs
import torch
import torch.nn as nn


class EncoderLayer(nn.Module):
    def __init__(self, hid_dim, n_heads, pf_dim, dropout):
        super().__init__()
        self.self_attention = nn.MultiheadAttention(hid_dim, n_heads, dropout=dropout, batch_first=True)
        self.feed_forward = nn.Sequential(nn.Linear(hid_dim, pf_dim), nn.ReLU(), nn.Linear(pf_dim, hid_dim))
        self.layer_norm = nn.LayerNorm(hid_dim)  # expect: TL230
        self.dropout = nn.Dropout(dropout)

    def forward(self, src, src_mask=None):
        _src, _ = self.self_attention(src, src, src, key_padding_mask=src_mask)
        src = self.layer_norm(src + self.dropout(_src))
        _src = self.feed_forward(src)
        src = self.layer_norm(src + self.dropout(_src))
        return src


layer = EncoderLayer(hid_dim=32, n_heads=4, pf_dim=64, dropout=0.1)
optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
norm_calls = []
layer.layer_norm.register_forward_hook(lambda module, inputs, output: norm_calls.append(inputs[0].shape))
for _ in range(3):
    src = torch.randn(8, 10, 32)
    loss = layer(src).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
