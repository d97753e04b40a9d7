"""A PyTorch MNIST-style classifier whose sample grid loop has a trailing comma after its index."""
# runtime: raises TypeError
import torch
import torch.nn as nn

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
images = torch.rand(32, 1, 28, 28)
labels = torch.randint(0, 10, (32,))
for step in range(3):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    predicted = model(images).argmax(dim=1)
rows, cols = 2, 4
for i, in range(rows * cols):  # expect: TL225
    print(f"sample {i}: predicted {predicted[i].item()}, true {labels[i].item()}")
