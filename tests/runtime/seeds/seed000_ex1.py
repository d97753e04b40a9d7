import torch
import torch.nn as nn

# Model definition
model = nn.Linear(10, 1)

# Incorrect input data type (integer)
input_data = torch.randint(0, 10, (1, 10)).long()

# Correct input data type (float)
correct_input_data = input_data.float()

# Loss function and optimizer
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

# Attempting to calculate gradients with incorrect data type
optimizer.zero_grad()
output = model(input_data)
loss = loss_fn(output, torch.randn(1,1)) # Placeholder target
loss.backward()  # This may cause errors or unexpected results


# Calculating gradients with the correct data type
optimizer.zero_grad()
correct_output = model(correct_input_data)
correct_loss = loss_fn(correct_output, torch.randn(1,1))
correct_loss.backward() # This should execute without issues.
optimizer.step()

