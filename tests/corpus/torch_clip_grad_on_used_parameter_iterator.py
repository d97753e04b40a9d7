"""An LSTM language model whose gradient clipping is handed the parameters() generator the optimizer already read.

`params` is exhausted by `SGD(params, ...)`: `clip_grad_norm_(params, 0.25)` clips nothing and
reports a total norm of 0, so the exploding gradients it was meant to tame go through.
"""
# runtime: runs
import torch
import torch.nn as nn


class LM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.rnn = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, vocab)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h)


model = LM(100, 32)
params = model.parameters()
optimizer = torch.optim.SGD(params, lr=20.0)
criterion = nn.CrossEntropyLoss()
norms = []
for step in range(5):
    x = torch.randint(0, 100, (8, 12))
    y = torch.randint(0, 100, (8, 12))
    loss = criterion(model(x).reshape(-1, 100), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    norms.append(float(torch.nn.utils.clip_grad_norm_(params, 0.25)))  # expect: TL317
    optimizer.step()
print(loss.item(), norms)
