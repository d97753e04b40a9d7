"""A model class whose forward definition lost its trailing colon (cannot be parsed)."""
# runtime: raises SyntaxError
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x)  # expect: TL001
        return self.fc(x)


net = Net()
