import torch
import torch.nn as nn
import torch.optim as optim

model = nn.Linear(10, 1)
optimizer = optim.SGD(model.parameters(), lr=0.01)
# Incorrect batch size - inconsistent with data loader
input_data = torch.randn(5, 10) # Batch size 5
target_data = torch.randn(10,1) # Batch size 10

try:
    output = model(input_data)
    loss = nn.MSELoss()(output, target_data)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
except RuntimeError as e:
    print(f"Error: {e}") # This will catch the shape mismatch

# Corrected: Consistent batch sizes
input_data = torch.randn(10, 10)
target_data = torch.randn(10, 1)
output = model(input_data)
loss = nn.MSELoss()(output, target_data)
optimizer.zero_grad()
loss.backward()
optimizer.step()

