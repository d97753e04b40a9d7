import torch
import torch.nn as nn
import torch.optim as optim

# Model
model = nn.Linear(10, 2)

# Loss function (incorrect handling of labels)
def incorrect_loss(output, labels):
  return torch.mean(output) # Ignores labels

# Data and Labels
inputs = torch.randn(64, 10)
labels = torch.randint(0, 2, (64,))

# Optimizer
optimizer = optim.SGD(model.parameters(), lr=0.01)

# Training loop
for epoch in range(10):
  optimizer.zero_grad()
  outputs = model(inputs)
  loss = incorrect_loss(outputs, labels) #Labels are ignored!
  loss.backward()
  optimizer.step()
  print(f"Epoch {epoch+1}, Loss: {loss.item()}")
