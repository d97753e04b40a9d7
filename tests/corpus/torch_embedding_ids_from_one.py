"""A PyTorch bag-of-words sentiment model whose word ids start at 1 (0 pads) and whose embedding has len(vocab_to_int) rows.

The last word of the vocabulary gets id len(vocab_to_int), one past the last row: the first
batch that holds it raises IndexError.
"""
# runtime: raises IndexError
from collections import Counter

import torch
import torch.nn as nn

reviews = ["great movie", "bad movie", "great acting", "bad plot twist"] * 8
labels = torch.tensor([1.0, 0.0, 1.0, 0.0] * 8).unsqueeze(1)
counts = Counter(word for review in reviews for word in review.split())
vocab = sorted(counts, key=counts.get, reverse=True)
vocab_to_int = {word: ii for ii, word in enumerate(vocab, 1)}
reviews_ints = [[vocab_to_int[w] for w in review.split()] + [0] * (3 - len(review.split())) for review in reviews]

embedding = nn.Embedding(len(vocab_to_int), 16)  # expect: TL214
classifier = nn.Linear(16, 1)
optimizer = torch.optim.Adam(list(embedding.parameters()) + list(classifier.parameters()), lr=1e-3)
x = torch.tensor(reviews_ints)
for epoch in range(3):
    optimizer.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(classifier(embedding(x).mean(dim=1)), labels)
    loss.backward()
    optimizer.step()
