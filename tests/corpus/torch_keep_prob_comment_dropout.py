"""A PyTorch MLP whose dropout setting is documented as the probability to keep a unit and given to nn.Dropout, which takes the probability to drop one.

Silent: the model trains, but nine units in ten are zeroed at every training step instead of
one in ten.
"""
# runtime: runs
import torch
import torch.nn as nn

hidden = 256
dropout = 0.9  # keep probability of the hidden units


def make_model(n_in, n_out, p):
    return nn.Sequential(
        nn.Linear(n_in, hidden), nn.ReLU(),
        nn.Dropout(p),  # expect: TL113
        nn.Linear(hidden, n_out),
    )


model = make_model(784, 10, dropout)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
optimizer.step()
print(f"loss {loss.item():.3f}")
