"""A PyTorch script that keeps its parameters in two dicts and hands parameters.values() + extra.values() to the optimizer."""
# runtime: raises TypeError
import torch

parameters = {"w": torch.nn.Parameter(torch.randn(10, 1) * 0.1), "b": torch.nn.Parameter(torch.zeros(1))}
extra = dict(scale=torch.nn.Parameter(torch.ones(1)))
optimizer = torch.optim.SGD(parameters.values() + extra.values(), lr=0.1)  # expect: TL002

x = torch.randn(32, 10)
y = torch.randn(32, 1)
for step in range(5):
    optimizer.zero_grad()
    loss = ((x @ parameters["w"] + parameters["b"]) * extra["scale"] - y).pow(2).mean()
    loss.backward()
    optimizer.step()
