"""A PyTorch softmax classifier with hand-made weights sized for 28x28 grayscale digits, applied to flattened 3x32x32 colour images."""
# runtime: raises RuntimeError
import torch

images = torch.rand(16, 3, 32, 32)
labels = torch.randint(0, 10, (16,))
weights = torch.randn(784, 10, requires_grad=True)
bias = torch.zeros(10, requires_grad=True)

flat = images.view(images.size(0), -1)  # (16, 3072)
logits = flat @ weights + bias  # expect: TL212
loss = torch.nn.functional.cross_entropy(logits, labels)
loss.backward()
