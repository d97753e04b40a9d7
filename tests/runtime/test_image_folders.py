"""torchvision's ImageFolder over a folder that is not here: its images are made up only where the
program's transforms fix their size (a crop, a Resize to two sizes; ImageFolder itself reads RGB),
in two runs with other counts, classes and values. An error both runs raise at the same line is
the program's; a run that finds nothing is "could not check", never "ok"; a folder whose image size
nothing fixes stays a missing folder, said so."""
from __future__ import annotations

PROGRAM = """\
import torch
import torch.nn as nn
from torchvision import datasets, transforms

train = datasets.ImageFolder(
    "/data/not-here/train",
    transforms.Compose([
        {transform}
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ]))
loader = torch.utils.data.DataLoader(train, batch_size=16, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 16 * 16, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for images, target in loader:
    output = model(images)
    loss = criterion(output, target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""

CALL = PROGRAM.splitlines().index("    output = model(images)") + 1


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_a_size_the_transforms_fix_that_the_model_refuses_is_the_programs(vision_python, text_check):
    # 64x64 images, flattened after a stride-2 convolution, give 8*32*32 features to a Linear of 8*16*16
    for transform in ("transforms.RandomResizedCrop(64),", "transforms.Resize(80), transforms.CenterCrop(64),"):
        report = text_check(PROGRAM.format(transform=transform))
        assert report.status == "errors", (transform, report.message)
        assert [d.line for d in errors(report)] == [CALL], (transform, [(d.line, d.message) for d in report.diagnostics()])


def test_a_size_the_model_takes_runs_but_is_not_ok(vision_python, text_check):
    report = text_check(PROGRAM.format(transform="transforms.Resize(40), transforms.CenterCrop(32),"))
    assert report.status == "could-not-check", report.message
    assert not errors(report), [(d.line, d.message) for d in report.diagnostics()]
    assert report.call(CALL, "forward")["status"] == "ok"
    assert any("were made up of the size the program fixes" in gap for gap in report.data_gaps), report.data_gaps


def test_images_of_a_size_nothing_fixes_stay_a_missing_folder(vision_python, text_check):
    # Resize(n) sets the shorter side alone; a Lambda may do anything
    for transform in ("transforms.Resize(64),", "transforms.Lambda(lambda im: im),"):
        report = text_check(PROGRAM.format(transform=transform))
        assert report.status == "could-not-check", (transform, report.message)
        assert not errors(report), (transform, [(d.line, d.message) for d in report.diagnostics()])
        assert "/data/not-here/train" in report.message and "do not fix their size" in report.message, report.message
