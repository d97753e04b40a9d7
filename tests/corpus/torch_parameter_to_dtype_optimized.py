"""Hand-made weights wrapped as parameters and then moved to float64 with `.to()`, given to an optimizer."""
# runtime: raises ValueError
import torch

x = torch.randn(64, 10, dtype=torch.float64)
y = x @ torch.randn(10, 1, dtype=torch.float64)
w = torch.nn.Parameter(torch.zeros(10, 1)).to(torch.float64)  # expect: TL431
b = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
optimizer = torch.optim.SGD([w, b], lr=0.01)
for step in range(100):
    optimizer.zero_grad()
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    optimizer.step()
