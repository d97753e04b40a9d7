"""A bag-of-embeddings text classifier that permutes its embeddings to channels-first and flattens them with view."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab, seq_len, emb_dim, classes = 100, 12, 16, 3


class TextNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb_dim)
        self.fc = nn.Linear(emb_dim * seq_len, classes)

    def forward(self, ids):
        feats = self.embed(ids)
        feats = feats.permute(0, 2, 1)  # [batch, emb_dim, seq_len]
        flat = feats.view(feats.size(0), -1)  # expect: TL114
        return self.fc(flat)


net = TextNet()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
ids = torch.randint(0, vocab, (16, seq_len))
labels = torch.randint(0, classes, (16,))
for epoch in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(net(ids), labels)
    loss.backward()
    opt.step()
