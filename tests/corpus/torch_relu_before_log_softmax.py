"""A PyTorch MNIST-style classifier that applies ReLU to its class scores before log_softmax.

Silent: every negative class score becomes 0, so those classes get the same log-probability
and no gradient to separate them.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return F.log_softmax(x, dim=1)  # expect: TL304


torch.manual_seed(0)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
data, target = torch.randn(16, 784), torch.randint(0, 10, (16,))
optimizer.zero_grad()
loss = F.nll_loss(model(data), target)
loss.backward()
optimizer.step()
