"""An nn.Sequential classifier ending in nn.Softmax, trained with CrossEntropyLoss (which applies log_softmax itself).

Silent: the loss sees probabilities as logits, so it can never go below about log(C) - 1 and the gradients
shrink; training stalls. Evidence: the model's outputs already sum to 1 on every row.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(20, 64),
    nn.ReLU(),
    nn.Linear(64, 5),
    nn.Softmax(dim=1),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

x = torch.randn(32, 20)
y = torch.randint(0, 5, (32,))
for epoch in range(2):
    optimizer.zero_grad()
    probs = model(x)
    loss = criterion(probs, y)  # expect: TL304
    loss.backward()
    optimizer.step()
