"""Knowledge distillation where the optimizer was built on the teacher's parameters while the student is trained.

Silent: backward() fills the student's gradients, but optimizer.step() updates the (frozen) teacher;
the student never changes (none of its parameters is in the optimizer).
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F

teacher = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 4))
student = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4))
optimizer = torch.optim.Adam(teacher.parameters(), lr=1e-3)

x = torch.randn(10, 16)
with torch.no_grad():
    soft_targets = F.softmax(teacher(x), dim=1)
for step in range(2):
    optimizer.zero_grad()
    log_probs = F.log_softmax(student(x), dim=1)
    loss = F.kl_div(log_probs, soft_targets, reduction="batchmean")
    loss.backward()
    optimizer.step()  # expect: TL411
