"""A hand-rolled cross-entropy that takes torch.log of F.softmax instead of using log_softmax.

Silent until the logits grow: softmax underflows to 0 for classes far below the maximum, log gives
-inf, and the loss and its gradients become inf/NaN (the helper returns -inf for logits [0, 200]).
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


def class_log_probs(logits):
    return torch.log(F.softmax(logits, dim=1))  # expect: TL307


def cross_entropy(logits, target):
    return -class_log_probs(logits).gather(1, target.unsqueeze(1)).mean()


model = nn.Linear(12, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(16, 12)
y = torch.randint(0, 4, (16,))
opt.zero_grad()
loss = cross_entropy(model(x), y)
loss.backward()
opt.step()
