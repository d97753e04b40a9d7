"""Wall time of the runtime shape check on a ResNet-50 defined in the checked file.

    python bench/shapecheck_speed.py [--python /path/to/python-with-torch] [--batch 8] [--repeat 2]

Prints one line per device (meta, cpu, and cuda when the interpreter's torch sees a GPU): the
whole check as a user runs it (interpreter start, import torch, building the model, forward
with per-layer hooks, loss, backward, the target-change and layer probes), and the number of
layer rows recorded.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tensorlint.runtime import Options, run_shapecheck

RESNET50 = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        width = planes
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != planes * 4:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(planes * 4)
            )

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet50(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._make_layer(64, 3)
        self.layer2 = self._make_layer(128, 4, stride=2)
        self.layer3 = self._make_layer(256, 6, stride=2)
        self.layer4 = self._make_layer(512, 3, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2048, num_classes)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self.inplanes, planes, stride)]
        self.inplanes = planes * 4
        layers += [Bottleneck(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


model = ResNet50()
images = torch.randn({batch}, 3, 224, 224)
labels = torch.randint(0, 1000, ({batch},))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(90):
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable, help="interpreter with torch")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    probe = subprocess.run([args.python, "-c", "import torch; print(torch.__version__, torch.cuda.is_available())"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"{args.python} cannot import torch: pip install tensorlint[torch]", file=sys.stderr)
        return 2
    version, cuda = probe.stdout.split()
    devices = ["meta", "cpu"] + (["cuda"] if cuda == "True" else [])
    print(f"ResNet-50 (25.6 M parameters), batch {args.batch}, torch {version}, {args.repeat} run(s) per device")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "resnet50_train.py"
        path.write_text(RESNET50.replace("{batch}", str(args.batch)), encoding="utf-8")
        for device in devices:
            times, report = [], None
            for _ in range(args.repeat):
                start = time.perf_counter()
                report = run_shapecheck(str(path), None, Options(device=device, python=args.python, timeout=600, static=False))
                times.append(time.perf_counter() - start)
            forward = report.call(65, "forward") or {}
            rows = len(forward.get("layers") or [])
            print(f"{device:>5}: {statistics.median(times):6.2f} s median (min {min(times):.2f} s)  "
                  f"status {report.status}, {rows} layer rows, output {(forward.get('output') or {}).get('shape')}")
    if cuda != "True":
        print(" cuda: not measured, this interpreter's torch sees no GPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
