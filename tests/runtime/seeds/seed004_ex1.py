import torch
import torch.nn as nn

class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1) # Expects 3 input channels

    def forward(self, x):
        x = self.conv1(x)
        return x

model = MyModel()
# Incorrect input:  A single grayscale image (1 channel)
input_tensor = torch.randn(1, 1, 28, 28) # shape: [Batch_size, Channels, Height, Width]
try:
    output = model(input_tensor)
    print(output.shape)
except RuntimeError as e:
    print(f"Error: {e}") # This will catch the shape mismatch error

# Corrected Input:  A batch of color images (3 channels)
correct_input_tensor = torch.randn(1, 3, 28, 28)
output = model(correct_input_tensor)
print(output.shape)

