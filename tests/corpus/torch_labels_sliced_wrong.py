"""Mini-batches sliced by hand, where the label slice uses a different batch size than the inputs."""
# runtime: raises ValueError
import torch
import torch.nn as nn

X = torch.randn(64, 10)
Y = torch.randint(0, 3, (64,))
model = nn.Linear(10, 3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

batch_size = 16
i = 0
xb = X[i:i + batch_size]
yb = Y[i:i + 2 * batch_size]
optimizer.zero_grad()
out = model(xb)
loss = criterion(out, yb)  # expect: TL204
loss.backward()
optimizer.step()
