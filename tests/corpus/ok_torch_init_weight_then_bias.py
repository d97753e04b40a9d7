"""A classifier whose init writes each weight and then each bias once, and rescales one weight in place."""
# runtime: runs
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 64)
        self.out = nn.Linear(64, 3)
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.hidden.weight, a=5 ** 0.5)
        nn.init.zeros_(self.hidden.bias)
        nn.init.xavier_uniform_(self.out.weight)
        self.out.weight.data.mul_(0.1)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


model = Classifier()
x = torch.randn(16, 20)
loss = nn.functional.cross_entropy(model(x), torch.randint(0, 3, (16,)))
loss.backward()
print(float(loss))
