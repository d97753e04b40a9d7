"""An MLP in nn.Sequential where a hidden size was edited in one layer but not in the next."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn

mlp = nn.Sequential(
    nn.Linear(20, 64),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(32, 1),  # expect: TL202
)

x = torch.randn(16, 20)
y = torch.randn(16, 1)
opt = torch.optim.Adam(mlp.parameters(), lr=3e-4)
for _ in range(2):
    opt.zero_grad()
    loss = nn.functional.mse_loss(mlp(x), y)
    loss.backward()
    opt.step()
