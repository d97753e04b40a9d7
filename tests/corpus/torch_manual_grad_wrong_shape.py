"""A manual gradient step on a (3, 4) weight matrix, assigning a gradient computed with transposed shape."""
# runtime: raises RuntimeError
import torch
import torch.optim as optim

weights = torch.randn(3, 4, requires_grad=True)
optimizer = optim.SGD([weights], lr=0.01)

inputs = torch.randn(8, 4)
errors = torch.randn(8, 3)
grad = inputs.t() @ errors  # (4, 3): the outer product the wrong way round
weights.grad = grad  # expect: TL206
optimizer.step()
