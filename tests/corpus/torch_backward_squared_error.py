"""A hand-written squared error without .mean(), followed by backward() on the (N, 1) tensor."""
# runtime: raises RuntimeError
import torch

w = torch.randn(3, 1, requires_grad=True)
x = torch.randn(10, 3)
y = torch.randn(10, 1)

err = (x @ w - y) ** 2
err.backward()  # expect: TL410
with torch.no_grad():
    w -= 0.01 * w.grad
