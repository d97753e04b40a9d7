"""A character-level GRU whose top-k sampling sets the removed logits to 0 instead of -inf.

Silent: the logits below the k-th largest become 0, which the softmax weights like any logit
of 0; every kept logit below 0 gets less, so the sampler mostly draws characters the filter
meant to exclude.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 40


class CharModel(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.rnn = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return self.head(out)


def top_k_filter(logits, k):
    kth = torch.topk(logits, k).values[:, -1:]
    filtered = logits.clone()
    filtered[filtered < kth] = 0.0  # expect: TL333
    return filtered


@torch.no_grad()
def generate(model, start, steps, k=5):
    model.eval()
    x = start
    for _ in range(steps):
        logits = model(x)[:, -1, :]
        logits = top_k_filter(logits, k)
        probs = F.softmax(logits, dim=-1)
        x = torch.cat([x, torch.multinomial(probs, num_samples=1)], dim=1)
    return x


torch.manual_seed(0)
model = CharModel(VOCAB, 32)
with torch.no_grad():
    model.head.bias.fill_(-3.0)
text = generate(model, torch.zeros(2, 1, dtype=torch.long), 20)
print(text.shape)
