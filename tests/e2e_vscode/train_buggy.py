import torch
import torch.nn as nn
model = nn.Linear(10, 1)
x = torch.randint(0, 10, (4, 10))
out = model(x)
