"""A PyTorch regressor whose input layer is sized by a row of the training tensor.

`nn.Linear(features[0], 16)` gives the layer the values of the first sample instead of the number
of features (`features.shape[1]`): torch cannot allocate a weight of that size.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn

features = torch.randn(128, 12)
targets = features.sum(dim=1, keepdim=True)
model = nn.Sequential(
    nn.Linear(features[0], 16),  # expect: TL111
    nn.ReLU(),
    nn.Linear(16, 1),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for _ in range(3):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(features), targets)
    loss.backward()
    optimizer.step()
