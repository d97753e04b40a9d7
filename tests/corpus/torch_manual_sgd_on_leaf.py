"""Linear regression with hand-made weights updated by gradient descent outside torch.no_grad()."""
# runtime: raises RuntimeError
import torch

x = torch.randn(32, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
w = torch.randn(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(20):
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    w -= 0.1 * w.grad  # expect: TL416
    b -= 0.1 * b.grad  # expect: TL416
    w.grad.zero_()
    b.grad.zero_()
