"""Correct: checkpoints loaded with torch.load defaults (safe since torch 2.6) and with weights_only=True."""
# runtime: runs
import os
import tempfile
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
path = os.path.join(tempfile.mkdtemp(), "weights.pt")
torch.save(model.state_dict(), path)

model.load_state_dict(torch.load(path))
state = torch.load(path, map_location="cpu", weights_only=True)
model.load_state_dict(state)
