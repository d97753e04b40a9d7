"""A sentiment model that forgot its embedding: token ids (LongTensor) go straight into an LSTM."""
# runtime: raises ValueError
import torch
from torch.nn import LSTM, Linear, Module, CrossEntropyLoss


class SentimentRNN(Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.rnn = LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.head = Linear(hidden, 2)

    def forward(self, tokens):
        out, _ = self.rnn(tokens)  # also: TL101
        return self.head(out[:, -1])


vocab_size = 500
tokens = torch.randint(0, vocab_size, (8, 20, 1))
labels = torch.randint(0, 2, (8,))

model = SentimentRNN()
criterion = CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())

optimizer.zero_grad()
loss = criterion(model(tokens), labels)  # expect: TL101
loss.backward()
optimizer.step()
