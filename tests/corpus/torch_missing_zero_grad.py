"""A plain training loop that calls backward() and step() every iteration but never zero_grad().

Silent: gradients accumulate across iterations, so each step uses the sum of all previous
gradients (after the loop, .grad differs from the gradient of the last batch alone).
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
x, y = torch.randn(20, 5), torch.randn(20, 1)

for epoch in range(5):
    pred = model(x)
    loss = loss_fn(pred, y)
    loss.backward()  # expect: TL403
    optimizer.step()
