"""A PyTorch bag-of-embeddings classifier whose table is sized by a stale vocabulary constant."""
# runtime: raises IndexError
import torch
import torch.nn as nn

VOCAB_SIZE = 1000


class BagClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB_SIZE, 32)  # expect: TL215
        self.out = nn.Linear(32, 2)

    def forward(self, tokens):
        return self.out(self.embed(tokens).mean(dim=1))


model = BagClassifier()
batch = torch.tensor([[12, 845, 3], [999, 1000, 7], [5, 6, 2047]])
logits = model(batch)
