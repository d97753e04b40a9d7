"""A PyTorch regression MLP whose output layer misspells Linear's `bias` keyword.

`nn.Linear(32, 1, bais=False)` raises TypeError (unexpected keyword argument) when the model
is built.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn


class Regressor(nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.hidden = nn.Linear(n_in, 32)
        self.out = nn.Linear(32, 1, bais=False)  # expect: TL227

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


model = Regressor(8)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.randn(64, 8), torch.randn(64, 1)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
