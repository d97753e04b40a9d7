"""Resuming training from a checkpoint loaded with torch.load(..., weights_only=False).

Runs: but unpickling with weights_only=False executes any code a crafted checkpoint file contains,
so loading a downloaded checkpoint this way is a code-execution risk.
"""
# runtime: runs
import os
import tempfile
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
optimizer = torch.optim.Adam(model.parameters())
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save({"model": model.state_dict(), "optim": optimizer.state_dict(), "epoch": 3}, path)

checkpoint = torch.load(path, weights_only=False)  # expect: TL901
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optim"])
start_epoch = checkpoint["epoch"] + 1
