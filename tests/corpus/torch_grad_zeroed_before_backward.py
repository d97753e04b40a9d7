"""A raw-autograd network that zeroes its gradients before the first backward() made them.

The two-layer network clears w1.grad and w2.grad at the top of each iteration.

Raises AttributeError on the first iteration: w1.grad is still None.
"""
# runtime: raises AttributeError
import torch

torch.manual_seed(0)
x, y = torch.randn(32, 10), torch.randn(32, 2)
w1 = torch.randn(10, 8, requires_grad=True)
w2 = torch.randn(8, 2, requires_grad=True)
for t in range(20):
    loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
    w1.grad.data.zero_()  # expect: TL420
    w2.grad.data.zero_()  # expect: TL420
    loss.backward()
    w1.data -= 1e-4 * w1.grad.data
    w2.data -= 1e-4 * w2.grad.data
