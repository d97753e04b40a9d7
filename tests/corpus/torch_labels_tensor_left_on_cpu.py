"""A text classifier moved to the GPU whose labels come from a NumPy array each batch.

Silent on this machine, which has no GPU: the token ids are moved to `device`, but
`torch.from_numpy(batch_labels)` is a CPU tensor that meets the model's scores in the loss, which
raises a device mismatch on a machine with a GPU.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"


class BagOfWords(nn.Module):
    def __init__(self, vocab, dim, classes):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, dim)
        self.out = nn.Linear(dim, classes)

    def forward(self, ids):
        return self.out(self.emb(ids))


model = BagOfWords(500, 24, 4)
model.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for step in range(10):
    ids = torch.randint(0, 500, (8, 20)).to(device)
    batch_labels = np.random.randint(0, 4, size=8)
    targets = torch.from_numpy(batch_labels)
    loss = criterion(model(ids), targets)  # expect: TL107
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
