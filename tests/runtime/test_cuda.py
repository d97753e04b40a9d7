"""The shape check on a CUDA GPU: the same verdicts as on the CPU, with the tensors on the GPU.

These tests run where the checker's PyTorch sees a CUDA device (see `scripts/gpu_check.sh`) and
are skipped elsewhere, with the reason. Without a GPU, `--device cuda` is refused (tested in
test_real_programs_torch.py).
"""
from __future__ import annotations

import subprocess

import pytest

SEEDS = ["000/ex1", "004/ex1", "004/ex2", "004/ex3", "002/ex1"]


@pytest.fixture
def cuda_python(torch_python):
    probe = "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"
    if subprocess.run([torch_python, "-c", probe]).returncode != 0:
        pytest.skip(f"{torch_python}: PyTorch sees no CUDA device")
    return torch_python


def outline(report) -> list:
    """What a user reads in a report, device aside: each call's verdict, error line and shapes."""
    rows = []
    for c in report.calls:
        err = c.get("error") or {}
        rows.append((c.get("line"), c.get("kind"), c.get("status"), err.get("line"), err.get("layer"),
                     str(c.get("output")), sorted((c.get("gradients") or {}).get("zero", [])),
                     (c.get("target_check") or {}).get("unchanged")))
    return rows


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_reports_on_the_gpu_match_the_cpu(cuda_python, seed_check, seed):
    on_gpu, on_cpu = seed_check(seed, "cuda"), seed_check(seed, "cpu")
    assert on_gpu.device["torch"] == "cuda" and on_gpu.device.get("gpu")
    assert on_gpu.status == on_cpu.status
    assert outline(on_gpu) == outline(on_cpu)
    assert not any("stayed on" in n for n in on_gpu.notes)


DEVICE_AWARE = """\
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 32 * 32, 10)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.fc(x.flatten(1))


model = Net().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
images = torch.randn(4, {channels}, 32, 32).to(device)
labels = torch.randint(0, 10, (4,)).cuda()
optimizer.zero_grad()
outputs = model(images)
loss = criterion(outputs, labels)
loss.backward()
optimizer.step()
"""


def test_a_program_that_moves_itself_to_cuda_runs_there(cuda_python, text_check):
    report = text_check(DEVICE_AWARE.format(channels=3), device="cuda")
    assert report.status == "ok", report.message
    assert report.device["torch"] == "cuda"
    loss = report.call(25, "loss")
    assert loss["status"] == "ok" and loss["gradients"]["parameters"] == 4
    assert not any("stayed on" in n for n in report.notes)


def test_a_channel_bug_is_reproduced_on_the_gpu_with_the_cpu_message(cuda_python, text_check):
    report = text_check(DEVICE_AWARE.format(channels=1), device="cuda")
    assert report.status == "errors"
    bad = report.call(24, "forward")
    assert bad["status"] == "error"
    assert bad["error"]["line"] == 14 and bad["error"]["layer"] == "conv"
    assert "to have 3 channels, but got 1 channels" in bad["error"]["message"]


def test_auto_picks_the_gpu(cuda_python, text_check):
    report = text_check(DEVICE_AWARE.format(channels=3), device="auto")
    assert report.device["torch"] == "cuda" and report.status == "ok"
