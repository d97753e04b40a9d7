"""Programs whose third-party packages are installed for the check's interpreter, as a user's are
(`bench/shapecheck_realbugs.py --env programs` runs the real-bug sets so). Skipped, with the
reason, where the package is missing: CI installs only torch and tensorflow-cpu.

torchvision installed: its well-known data sets cannot download here, so their samples are
synthetic PIL images of the real shapes, and the program's own transforms, torchvision's, run on
them as on the real set."""
from __future__ import annotations

MNIST_LOOP = """\
import torch
from torch import nn
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize({mean}, {std})])
train = datasets.{dataset}("data/", train=True, download=True, transform=transform)
loader = torch.utils.data.DataLoader(train, batch_size=16, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear({features}, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for images, labels in loader:
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
"""


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


def test_three_channel_means_on_one_channel_images_fail_as_with_the_real_set(vision_python, text_check):
    for dataset, mean, std in (("MNIST", "(0.5, 0.5, 0.5)", "(0.5, 0.5, 0.5)"),
                               ("FashionMNIST", "[0.485, 0.456, 0.406]", "[0.229, 0.224, 0.225]")):
        report = text_check(MNIST_LOOP.format(dataset=dataset, mean=mean, std=std, features=784))
        assert report.status == "errors", (dataset, report.message)
        assert "doesn't match the broadcast shape" in report.message, report.message


def test_a_model_sized_for_other_images_fails_on_the_sets_real_shape(vision_python, text_check):
    # CIFAR10's images are 3x32x32: a model sized for 28x28 one-channel images fails at its call
    report = text_check(MNIST_LOOP.format(dataset="CIFAR10", mean="(0.5, 0.5, 0.5)", std="(0.5, 0.5, 0.5)", features=784))
    assert report.status == "errors", report.message
    assert "3072" in report.message and "784" in report.message, report.message


def test_the_fixed_programs_run_on_the_synthetic_samples(vision_python, text_check):
    for dataset, mean, std, features in (("MNIST", "(0.5,)", "(0.5,)", 784), ("FashionMNIST", "[0.2860]", "[0.3530]", 784),
                                         ("CIFAR10", "(0.5, 0.5, 0.5)", "(0.5, 0.5, 0.5)", 3072)):
        report = text_check(MNIST_LOOP.format(dataset=dataset, mean=mean, std=std, features=features))
        assert report.status == "ok", (dataset, report.message)
        assert not errors(report)


def test_an_image_folder_it_does_not_have_stays_could_not_check(vision_python, text_check):
    # the folder's images decide the shapes: nothing stands in for them
    text = MNIST_LOOP.format(dataset="MNIST", mean="(0.5,)", std="(0.5,)", features=784).replace(
        'datasets.MNIST("data/", train=True, download=True, transform=transform)',
        'datasets.ImageFolder("data/train", transform=transform)')
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report)


SCALED_SPLIT = """\
import numpy as np
import torch
from torch import nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=200, n_features={features}, n_classes=3, n_informative=4, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)
x = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
t = torch.tensor(y_train)
model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 3))
loss = nn.CrossEntropyLoss()(model(x), t)
loss.backward()
"""


def test_scikit_learn_data_reaches_the_model_with_its_real_shapes(installed, torch_python, text_check):
    installed("sklearn", "scikit-learn")
    bad = text_check(SCALED_SPLIT.format(features=10))
    assert bad.status == "errors", bad.message
    assert "150x10" in bad.message and "12x16" in bad.message, bad.message
    good = text_check(SCALED_SPLIT.format(features=12))
    assert good.status == "ok", good.message


def test_a_csv_read_by_pandas_is_still_a_file_the_check_does_not_have(installed, torch_python, text_check):
    installed("pandas")
    text = SCALED_SPLIT.format(features=12).replace(
        "X, y = make_classification(n_samples=200, n_features=12, n_classes=3, n_informative=4, random_state=0)",
        "import pandas as pd\nframe = pd.read_csv('train.csv')\nX, y = frame.values[:, :-1], frame.values[:, -1].astype(int)")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert "train.csv" in report.message
    assert not errors(report)


PRETRAINED = """\
import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils import model_zoo

{load}
x = torch.randn(2, 3, 64, 64)
features = backbone(x)
head = nn.Linear({width}, 10)
y = head(features)
"""
LOADS = (
    "backbone = models.resnet18(pretrained=True)",
    "backbone = models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)",
    "backbone = models.resnet18()\nbackbone.load_state_dict(model_zoo.load_url(models.ResNet18_Weights.IMAGENET1K_V1.url))",
)


def test_pretrained_weights_that_cannot_download_keep_the_models_shapes(vision_python, text_check):
    for load in LOADS:
        bad = text_check(PRETRAINED.format(load=load, width=512))  # the backbone gives 1000 features
        assert bad.status == "errors", (load, bad.message)
        assert "2x1000 and 512x10" in bad.message, bad.message
        assert any("pretrained weights cannot be downloaded" in n for n in bad.notes), bad.notes
        good = text_check(PRETRAINED.format(load=load, width=1000))
        assert good.status == "ok", (load, good.message)


def test_a_checkpoint_file_it_does_not_have_stays_could_not_check(vision_python, text_check):
    load = "backbone = models.resnet18()\nbackbone.load_state_dict(torch.load('checkpoint.pth'))"
    report = text_check(PRETRAINED.format(load=load, width=1000))
    assert report.status == "could-not-check", report.message
    assert "checkpoint.pth" in report.message
