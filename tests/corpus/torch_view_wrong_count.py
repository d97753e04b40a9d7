"""Flattening CIFAR-sized images with view() using the element count of 28x28 MNIST images."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn

batch = torch.randn(8, 3, 32, 32)
labels = torch.randint(0, 10, (8,))
classifier = nn.Linear(3 * 28 * 28, 10)

flat = batch.view(8, 3 * 28 * 28)  # expect: TL207
loss = nn.CrossEntropyLoss()(classifier(flat), labels)
loss.backward()
