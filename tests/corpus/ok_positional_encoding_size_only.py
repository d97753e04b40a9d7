"""Correct: a positional-encoding module whose forward uses only x.size(1) and returns the table slice."""
# runtime: runs
import math
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=100):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.pe[:, : x.size(1)]


class Encoder(nn.Module):
    def __init__(self, vocab=50, d_model=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.out = nn.Linear(d_model, 2)

    def forward(self, tokens):
        h = self.embed(tokens)
        h = h + self.pos(h)
        return self.out(h.mean(dim=1))


model = Encoder()
logits = model(torch.randint(0, 50, (4, 12)))
loss = nn.functional.cross_entropy(logits, torch.randint(0, 2, (4,)))
loss.backward()
