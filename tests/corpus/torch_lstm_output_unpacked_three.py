"""An LSTM encoder that unpacks the layer's (output, (h, c)) result into three names."""
# runtime: raises ValueError
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab_size, emb_dim, hid_dim):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.rnn = nn.LSTM(emb_dim, hid_dim, batch_first=True)

    def forward(self, src):
        embedded = self.embedding(src)
        outputs, hidden, cell = self.rnn(embedded)  # expect: TL222
        return hidden, cell


encoder = Encoder(50, 16, 32)
hidden, cell = encoder(torch.randint(0, 50, (4, 9)))
print(hidden.shape, cell.shape)
