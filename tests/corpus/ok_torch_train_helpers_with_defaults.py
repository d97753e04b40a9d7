"""A regression script whose helpers take optional arguments: every call fits its definition."""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(64, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train(epoch=0, log_every=10, **extra):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    if epoch % log_every == 0:
        print(epoch, float(loss), extra)
    return float(loss)


def report(*values):
    print(" ".join(f"{v:.4f}" for v in values))


for epoch in range(30):
    last = train(epoch, tag="run")
report(last, train())
