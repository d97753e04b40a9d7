"""A word-level language model whose init_weights zeroes the decoder's weight and then draws it again.

The zeros_ call was meant for the decoder's bias: the uniform draw on the next line overwrites the
weight, so the first call does nothing and the bias keeps nn.Linear's default random values.
"""
# runtime: runs
import torch
import torch.nn as nn


class WordModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid)
        self.decoder = nn.Linear(nhid, ntoken)
        self.init_weights()

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.weight)  # expect: TL439
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, tokens):
        output, _ = self.rnn(self.encoder(tokens))
        return self.decoder(output)


model = WordModel(200, 16, 32)
tokens = torch.randint(0, 200, (7, 4))
loss = nn.functional.cross_entropy(model(tokens).view(-1, 200), torch.randint(0, 200, (28,)))
loss.backward()
print(float(loss))
