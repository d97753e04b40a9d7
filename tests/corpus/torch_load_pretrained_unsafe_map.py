"""Loading fine-tuned weights with map_location and an explicit weights_only=False copied from an old tutorial.

Runs: the file is unpickled without restrictions, so a malicious weights file would execute code.
"""
# runtime: runs
import os
import tempfile
import torch
from torch import nn

net = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
weights_file = os.path.join(tempfile.mkdtemp(), "finetuned.pth")
torch.save(net.state_dict(), weights_file)

device = torch.device("cpu")
state = torch.load(weights_file, map_location=device, weights_only=False)  # expect: TL901
net.load_state_dict(state)
