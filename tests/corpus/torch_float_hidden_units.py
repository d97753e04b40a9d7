"""An MLP whose second hidden layer is sized `hidden / 2`, a float."""
# runtime: raises TypeError
import torch
import torch.nn as nn

hidden = 128
model = nn.Sequential(
    nn.Linear(20, hidden),
    nn.ReLU(),
    nn.Linear(hidden, hidden / 2),  # expect: TL110
    nn.ReLU(),
    nn.Linear(hidden // 2, 3),
)
x, y = torch.randn(32, 20), torch.randint(0, 3, (32,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
