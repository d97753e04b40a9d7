"""A from-scratch PyTorch MLP written as a free function that reads the global batch `features` instead of its argument X."""
# runtime: runs
import torch
from torch import nn

num_inputs, num_hiddens, num_outputs = 784, 64, 10
W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens))
W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs))
params = [W1, b1, W2, b2]


def relu(X):
    return torch.max(X, torch.zeros_like(X))


def net(X):  # expect: TL401
    X = X.reshape((-1, num_inputs))
    H = relu(features.reshape((-1, num_inputs)) @ W1 + b1)
    return H @ W2 + b2


loss = nn.CrossEntropyLoss()
updater = torch.optim.SGD(params, lr=0.1)
features, y = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))
for epoch in range(3):
    updater.zero_grad()
    l = loss(net(features), y)
    l.backward()
    updater.step()
