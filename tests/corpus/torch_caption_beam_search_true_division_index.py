"""A caption decoder's beam search that finds each beam's parent with `/` instead of floor division."""
# runtime: raises IndexError
import torch
import torch.nn as nn
import torch.nn.functional as F


class Decoder(nn.Module):
    def __init__(self, vocab_size, dim):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim)
        self.cell = nn.GRUCell(dim, dim)
        self.fc = nn.Linear(dim, vocab_size)


def beam_search(decoder, k, vocab_size, start, steps):
    prev_words = torch.full((k, 1), start, dtype=torch.long)
    seqs = prev_words
    top_scores = torch.zeros(k, 1)
    h = torch.zeros(k, 16)
    for step in range(steps):
        h = decoder.cell(decoder.embedding(prev_words).squeeze(1), h)
        scores = F.log_softmax(decoder.fc(h), dim=1)
        scores = top_scores.expand_as(scores) + scores
        top_scores, top_words = scores.view(-1).topk(k, 0, True, True)
        prev_inds = top_words / vocab_size  # expect: TL441
        next_inds = top_words % vocab_size
        seqs = torch.cat([seqs[prev_inds], next_inds.unsqueeze(1)], dim=1)
        h = h[prev_inds]
        prev_words = next_inds.unsqueeze(1)
        top_scores = top_scores.unsqueeze(1)
    return seqs


decoder = Decoder(50, 16)
with torch.no_grad():
    print(beam_search(decoder, 3, 50, 1, 4))
