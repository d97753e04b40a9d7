"""A classifier returning raw scores from forward(), trained with NLLLoss as if they were log-probabilities.

Silent: NLLLoss just negates the score of the true class, so the loss is unbounded below and the model
is rewarded for making that score huge; the printed loss goes negative.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)


class TextClassifier(nn.Module):
    def __init__(self, vocab=100, dim=16, classes=3):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, dim)
        self.out = nn.Linear(dim, classes)

    def forward(self, token_ids):
        return self.out(self.emb(token_ids))


model = TextClassifier()
criterion = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
tokens = torch.randint(0, 100, (16, 12))
labels = torch.randint(0, 3, (16,))
for step in range(20):
    optimizer.zero_grad()
    loss = criterion(model(tokens), labels)  # expect: TL304
    loss.backward()
    optimizer.step()
print("final loss", loss.item())
