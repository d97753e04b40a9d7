"""A digit classifier whose class labels are stored as float32, then given to CrossEntropyLoss as indices."""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn

features = torch.randn(16, 64)
labels = torch.tensor(np.random.randint(0, 10, size=16), dtype=torch.float32)

model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

optimizer.zero_grad()
logits = model(features)
loss = criterion(logits, labels)  # expect: TL104
loss.backward()
optimizer.step()
