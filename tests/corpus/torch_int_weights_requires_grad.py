"""Hand-written linear regression whose weights are created from integer literals with requires_grad=True."""
# runtime: raises RuntimeError
import torch

xs = torch.linspace(0, 1, 20).unsqueeze(1)
ys = 3 * xs + 1

w = torch.tensor([[0]], requires_grad=True)  # expect: TL103
b = torch.zeros(1, requires_grad=True)

lr = 0.1
for _ in range(10):
    pred = xs @ w + b
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
