"""An optimizer created on a model that is then replaced by a freshly built one with pretrained-style init.

Silent: the optimizer still holds the parameters of the first model, so optimizer.step() never
touches the model that is actually trained and evaluated.
"""
# runtime: runs
import torch
import torch.nn as nn


def build_model(hidden=32):
    model = nn.Sequential(nn.Linear(8, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    return model


model = build_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model = build_model(hidden=64)

x, y = torch.randn(12, 8), torch.randn(12, 1)
for epoch in range(2):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()  # expect: TL411
