"""A sentence CNN whose forward() builds one Conv2d per filter size at every call.

The convolutions are new and random at every step and never reach the optimizer: the model's
parameters are the embedding and the classifier alone.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab_size, embedding_size, sequence_length = 20, 8, 6
filter_sizes, num_filters, num_classes = [2, 3], 4, 2


class TextCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size)
        self.fc = nn.Linear(num_filters * len(filter_sizes), num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens).unsqueeze(1)
        pooled = []
        for size in filter_sizes:
            conv = nn.Conv2d(1, num_filters, (size, embedding_size))  # expect: TL109
            h = F.relu(conv(x)).squeeze(3)
            pooled.append(F.max_pool1d(h, h.size(2)).squeeze(2))
        return self.fc(torch.cat(pooled, 1))


model = TextCNN()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
tokens = torch.randint(0, vocab_size, (5, sequence_length))
labels = torch.randint(0, num_classes, (5,))
for epoch in range(3):
    optimizer.zero_grad()
    loss = criterion(model(tokens), labels)
    loss.backward()
    optimizer.step()
n_params = sum(p.numel() for p in model.parameters())
print(loss.item(), n_params)
