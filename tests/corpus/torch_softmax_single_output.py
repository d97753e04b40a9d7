"""A PyTorch probability regressor ending in Linear(16, 1) followed by nn.Softmax(dim=1).

Silent: softmax over a size-1 axis is the constant 1, so the output never depends on the input and
no gradient reaches the Linear layers (their .grad stays exactly zero).
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(4, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
    nn.Softmax(dim=1),  # expect: TL305
)
x = torch.randn(20, 4)
click_rate = torch.rand(20, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
opt.zero_grad()
loss = nn.MSELoss()(model(x), click_rate)
loss.backward()
opt.step()
