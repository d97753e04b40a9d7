"""A language model whose init_weights gives nn.init.zeros_ the decoder module instead of its bias."""
# runtime: raises AttributeError
import torch
import torch.nn as nn


class LanguageModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.GRU(ninp, nhid)
        self.decoder = nn.Linear(nhid, ntoken)
        self.init_weights()

    def init_weights(self):
        nn.init.normal_(self.encoder.weight, std=0.02)
        nn.init.normal_(self.decoder.weight, std=0.02)
        nn.init.zeros_(self.decoder)  # expect: TL433

    def forward(self, tokens):
        output, _ = self.rnn(self.encoder(tokens))
        return self.decoder(output)


model = LanguageModel(100, 32, 64)
print(model(torch.randint(0, 100, (5, 2))).shape)
