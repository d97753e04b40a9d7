import torch
import torch.nn as nn

model = nn.Linear(10, 1)
input_data_float32 = torch.randn(10, 10, dtype=torch.float32)
input_data_float64 = torch.randn(10, 10, dtype=torch.float64)

try:
    output1 = model(input_data_float32)
    output2 = model(input_data_float64) #Could lead to errors depending on model's internal type
    print(output1.dtype, output2.dtype)
except RuntimeError as e:
    print(f"Error: {e}") #Catching potential errors


# Corrected: Ensuring consistent data types
input_data_float32 = torch.randn(10, 10, dtype=torch.float32)
output1 = model(input_data_float32)
print(output1.dtype)

