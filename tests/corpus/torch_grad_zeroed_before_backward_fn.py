"""Linear regression by hand that clears the weights' gradient before any backward() ran.

In a while loop inside a function; the bias is cleared correctly, after its update.

Raises AttributeError on the first iteration: w.grad is still None.
"""
# runtime: raises AttributeError
import torch


def fit(x, y, steps=10, lr=0.05):
    w = torch.zeros(3, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    i = 0
    while i < steps:
        w.grad.zero_()  # expect: TL420
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        b.grad.zero_()
        i += 1
    return w, b


torch.manual_seed(0)
fit(torch.randn(16, 3), torch.randn(16, 1))
