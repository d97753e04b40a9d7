"""Correct: integer token ids go into nn.Embedding first, and only float embeddings reach the LSTM."""
# runtime: runs
import torch
import torch.nn as nn


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size=500, dim=16, hidden=32):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.rnn = nn.LSTM(dim, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 2)

    def forward(self, tokens):
        out, _ = self.rnn(self.embed(tokens))
        return self.head(out[:, -1])


tokens = torch.randint(0, 500, (8, 20))
labels = torch.randint(0, 2, (8,))
model = SentimentRNN()
optimizer = torch.optim.Adam(model.parameters())
optimizer.zero_grad()
loss = nn.CrossEntropyLoss()(model(tokens), labels)
loss.backward()
optimizer.step()
