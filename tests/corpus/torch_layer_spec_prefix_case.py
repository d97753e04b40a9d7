"""A PyTorch CNN assembled from a list of (kind, width) pairs, dispatched on a prefix of the wrong case.

Silent: no kind starts with 'conv' or 'pool' (they are 'Conv' and 'Pool'), so no layer is added;
the model is an empty Sequential that returns its input and has no parameters to train.
"""
# runtime: runs
import torch
import torch.nn as nn

SPEC = [('Conv', 16), ('Pool', 2), ('Conv', 32), ('Pool', 2)]


def build(in_channels=1):
    blocks = []
    for kind, size in SPEC:
        if kind.startswith('conv'):  # expect: TL426
            blocks += [nn.Conv2d(in_channels, size, 3, padding=1), nn.ReLU()]
            in_channels = size
        elif kind.startswith('pool'):
            blocks.append(nn.MaxPool2d(size))
    return nn.Sequential(*blocks)


model = build()
x = torch.randn(4, 1, 28, 28)
out = model(x)
