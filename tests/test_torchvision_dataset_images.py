"""The images of torchvision's datasets through their transforms: a `Normalize` given channel
means for a number of channels the images do not have (three for grayscale MNIST) is TL201's, for
the MNIST family, USPS, CIFAR, SVHN, STL-10 and FakeData (its `image_size`), also where the
dataset is given `target_transform=None`, and the batches of their loaders have known shapes. The
command line on files; each bug is marked `# expect: TL201`, the look-alikes stay silent."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

CASES = {
    # the GAN loaders of many tutorials: a color pipeline copied onto a grayscale dataset
    "named_pipeline_in_a_loader_function": """
    import torchvision.datasets as dset
    import torchvision.transforms as transforms
    import torch.utils.data as data_utils


    def get_data_loader(root, dataset):
        if dataset == 'mnist':
            trans = transforms.Compose([
                transforms.Resize(32),
                transforms.ToTensor(),
                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),  # expect: TL201
            ])
            train_dataset = dset.MNIST(root=root, train=True, download=True, transform=trans, target_transform=None)
            test_dataset = dset.MNIST(root=root, train=False, download=True, transform=trans)
        else:
            trans = transforms.Compose([
                transforms.Resize(32),
                transforms.ToTensor(),
                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
            ])
            train_dataset = dset.CIFAR10(root=root, train=True, download=True, transform=trans)
            test_dataset = dset.CIFAR10(root=root, train=False, download=True, transform=trans)
        return data_utils.DataLoader(train_dataset, batch_size=64, shuffle=True)
    """,
    "inline_pipeline_and_imported_names": """
    import torch
    from torchvision.datasets import FashionMNIST, KMNIST
    from torchvision import transforms as tfs

    mean = [0.5, 0.5, 0.5]
    std = [0.5, 0.5, 0.5]
    fashion = FashionMNIST('./data', train=True, download=True,
                           transform=tfs.Compose([tfs.RandomHorizontalFlip(), tfs.ToTensor(),
                                                  tfs.Normalize(mean, std)]))  # expect: TL201
    kmnist = KMNIST('./data', True, tfs.Compose([tfs.RandomEqualize(), tfs.ToTensor(), tfs.Normalize(mean=mean, std=std)]))  # expect: TL201
    """,
    "fake_data_and_color_datasets": """
    import torch
    import torchvision
    from torchvision import transforms

    gray = torchvision.datasets.FakeData(size=64, image_size=(1, 28, 28), num_classes=10,
                                         transform=transforms.Compose([transforms.ToTensor(),
                                                                       transforms.Normalize((0.1, 0.2, 0.3), (0.5, 0.5, 0.5))]))  # expect: TL201
    pair = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5), (0.5, 0.5))])  # expect: TL201
    svhn = torchvision.datasets.SVHN('./data', split='train', download=True, transform=pair)
    rgb = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])  # expect: TL201
    usps = torchvision.datasets.USPS('./data', train=False, transform=rgb)
    stl = torchvision.datasets.STL10('./data', 'unlabeled', None, pair)
    """,
    # correct programs and look-alikes that stay silent
    "ok_values_that_fit": """
    import torch
    import torchvision
    from torchvision import datasets, transforms

    one = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    mnist = datasets.MNIST('data', train=True, download=True, transform=one)
    three = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.ToTensor(),
                                transforms.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))])
    cifar = datasets.CIFAR10('data', train=True, download=True, transform=three)
    scalar = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
    svhn = datasets.SVHN('data', split='test', transform=scalar)
    rgb = torchvision.datasets.FakeData(size=8, transform=three)
    """,
    "ok_channels_changed_or_not_known": """
    import torch
    from torchvision import datasets, transforms
    from mylib.data import MNIST as LocalMNIST

    color = transforms.Compose([transforms.Grayscale(3), transforms.ToTensor(),
                                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    a = datasets.MNIST('data', download=True, transform=color)
    repeat = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x.repeat(3, 1, 1)),
                                 transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    b = datasets.FashionMNIST('data', download=True, transform=repeat)
    rgb = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    c = LocalMNIST('data', transform=rgb)
    d = datasets.ImageFolder('images', transform=rgb)
    e = datasets.FakeData(size=8, image_size=(3, 28, 28), transform=rgb)
    g = datasets.MNIST('data', transform=rgb, target_transform=lambda y: y % 2)

    """,
    "pipeline_given_to_a_helper": """
    import torch
    from torchvision import datasets, transforms


    def loader(transform, batch_size=64):
        return torch.utils.data.DataLoader(datasets.MNIST('data', download=True, transform=transform), batch_size=batch_size)


    rgb = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])  # expect: TL201
    train_loader = loader(rgb)
    """,
}


def _check(tmp_path, capsys, text: str, select: str) -> tuple:
    """(findings, expected [(code, line)]) of the command line on `text` as a file."""
    text = textwrap.dedent(text).lstrip("\n")
    path = tmp_path / "program.py"
    path.write_text(text)
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", select, str(path)]) == 0
    expected = sorted((line.split("# expect: ")[1].strip(), i) for i, line in enumerate(text.splitlines(), 1)
                      if "# expect: " in line)
    return json.loads(capsys.readouterr().out), expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_normalize_channel_count(tmp_path, capsys, name):
    found, expected = _check(tmp_path, capsys, CASES[name], "TL201")
    assert sorted((f["code"], f["location"]["row"]) for f in found) == expected
    assert all(f["message"].startswith("Normalize is given") for f in found)


def test_one_finding_for_a_pipeline_shared_by_two_datasets(tmp_path, capsys):
    (finding,), _ = _check(tmp_path, capsys, CASES["named_pipeline_in_a_loader_function"], "TL201")
    assert finding["message"] == ("Normalize is given 3 channel means, but the images it transforms have 1 channel "
                                  "(shape [1, ?, ?], from line 13)")


LOADERS = """
import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

to_tensor = transforms.Compose([transforms.ToTensor()])
usps = torchvision.datasets.USPS('data', train=True, download=True, transform=to_tensor, target_transform=None)
fake = torchvision.datasets.FakeData(size=64, image_size=(1, 32, 32), num_classes=5, transform=to_tensor)
svhn = torchvision.datasets.SVHN('data', split='test', transform=to_tensor)
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))  # expect: TL202
for x, y in torch.utils.data.DataLoader(usps, batch_size=32):
    out = net(x)
conv = nn.Conv2d(3, 8, 3)
for x, y in torch.utils.data.DataLoader(fake, batch_size=8):
    h = conv(x)  # expect: TL201
for x, y in torch.utils.data.DataLoader(svhn, batch_size=8):
    h = conv(x)
"""


def test_loaders_yield_batches_of_the_dataset_images(tmp_path, capsys):
    found, expected = _check(tmp_path, capsys, LOADERS, "TL201,TL202")
    assert sorted((f["code"], f["location"]["row"]) for f in found) == expected

V2 = """
import torch
import torch.nn as nn
from torchvision import datasets
from torchvision.transforms import v2

three = v2.Compose([v2.ToTensor(), v2.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
gray = datasets.MNIST('data', train=True, download=True, transform=three)
pair = v2.Compose([v2.ToTensor(), v2.Normalize((0.5, 0.5), (0.5, 0.5))])  # expect: TL201
color = datasets.CIFAR10('data', train=True, download=True, transform=pair)
conv = nn.Conv2d(1, 8, 3)
for x, y in torch.utils.data.DataLoader(gray, batch_size=16):
    h = conv(x)  # expect: TL201
"""


def test_v2_normalize_broadcasts_one_channel_images(tmp_path, capsys):
    """v2's Normalize makes a one-channel image into as many channels as it has means (no error:
    not reported there, but the batches then have that many channels); a three-channel image
    given two means still raises."""
    found, expected = _check(tmp_path, capsys, V2, "TL201")
    assert sorted((f["code"], f["location"]["row"]) for f in found) == expected
