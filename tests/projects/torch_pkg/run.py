import torch

import app.model as m
from app.model import Net as Classifier

net = m.Net(in_features=20)
net(torch.randn(4, 30))
other = Classifier(in_features=20)
other(torch.randint(0, 10, (4, 20)))
