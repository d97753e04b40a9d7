"""A learnable temperature wrapped as a parameter and then cast with `.double()`: the module keeps the cast copy.

Silent: the copy is not in model.parameters() or the state_dict, so the optimizer never
updates it and the temperature stays 1.0 however long the model trains.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 3)
        self.temperature = nn.Parameter(torch.ones(1)).double()  # expect: TL431

    def forward(self, x):
        return self.fc(x) / self.temperature


model = Scaled()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(16, 8), torch.randint(0, 3, (16,))
for step in range(3):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x).float(), y)
    loss.backward()
    optimizer.step()
