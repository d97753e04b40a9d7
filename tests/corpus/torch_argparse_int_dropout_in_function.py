"""A model whose dropout probability and weight decay come from options parsed with type=int.

Silent until used: both defaults are fractional and kept as they are, but any value given on
the command line must be a whole number: `--dropout 0.3` stops the script.
"""
# runtime: runs
from argparse import ArgumentParser

import torch
import torch.nn as nn


def parse(argv):
    p = ArgumentParser()
    p.add_argument("--hidden", default=16, type=int)
    p.add_argument("--dropout", default=.5, type=int)  # expect: TL112
    p.add_argument("--weight-decay", type=int, default=5e-4)  # expect: TL112
    return p.parse_args(argv)


opts = parse([])
net = nn.Sequential(nn.Linear(10, opts.hidden), nn.ReLU(), nn.Dropout(opts.dropout), nn.Linear(opts.hidden, 2))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=opts.weight_decay)
print(net(torch.randn(4, 10)).shape)
