"""TL329 reading the class ids of more label sources: the labels Keras scores after each epoch
(`fit(..., validation_data=(x, y))`), the labels of torchvision's data sets (MNIST,
FashionMNIST, KMNIST and CIFAR10 hold 0-9, CIFAR100 0-99) through a `DataLoader` whose batches
the loop takes (a pass over the loader reaches every label), and Keras' data sets through
`tf.data.Dataset.from_tensor_slices`. A part of a data set (a slice, a loader with a sampler)
holds only some of its labels and says nothing; labels a `target_transform` remaps are unknown."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

BUGS = {
    "keras-validation-data-cifar100": """
        import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x_train, y_train % 10, epochs=2,
                  validation_data=(x_test, y_test))  # expect
    """,
    "tf-keras-validation-data-shifted-mnist": """
        import tensorflow as tf
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train / 255.0, y_train, validation_data=(x_test / 255.0, y_test + 1, None))  # expect
    """,
    "tf-data-from-tensor-slices-shifted": """
        import tensorflow as tf
        (x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
        ds = tf.data.Dataset.from_tensor_slices((x_train, y_train + 1)).shuffle(1000).batch(32)
        model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)), tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(ds, epochs=1)  # expect
    """,
    "torchvision-cifar100-ten-outputs": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader
        from torchvision import datasets, transforms
        train = datasets.CIFAR100("data", train=True, download=True, transform=transforms.ToTensor())
        loader = DataLoader(train, batch_size=64, shuffle=True)
        net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
        criterion = nn.CrossEntropyLoss()
        for x, y in loader:
            loss = criterion(net(x), y)  # expect
            loss.backward()
    """,
    "torchvision-mnist-test-set-numbered-from-one": """
        import torch
        import torch.nn.functional as F
        import torchvision
        test = torchvision.datasets.MNIST("data", train=False, transform=torchvision.transforms.ToTensor())
        loader = torch.utils.data.DataLoader(test, batch_size=256)
        model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
        for images, labels in loader:
            loss = F.cross_entropy(model(images), labels + 1)  # expect
    """,
}

LOOKALIKES = {
    "keras-validation-labels-fit-the-outputs": """
        import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x_train, y_train, validation_data=(x_test, y_test))
        model.fit(x_train, y_train, validation_split=0.1)
    """,
    "keras-a-slice-holds-only-some-labels": """
        import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
        model.fit(x_train[:64], y_train[:64], validation_data=(x_test[:100], y_test[:100]))
    """,
    "torchvision-labels-fit-or-are-remapped-or-sampled": """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader, SubsetRandomSampler
        from torchvision import datasets, transforms
        tf = transforms.ToTensor()
        ten = DataLoader(datasets.CIFAR10("data", transform=tf), batch_size=64, shuffle=True)
        coarse = DataLoader(datasets.CIFAR100("data", transform=tf, target_transform=lambda t: t // 10), batch_size=64)
        part = DataLoader(datasets.CIFAR100("data", transform=tf), batch_size=64,
                          sampler=SubsetRandomSampler(np.arange(1000)))
        net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
        criterion = nn.CrossEntropyLoss()
        for loader in (ten, coarse, part):
            for x, y in loader:
                loss = criterion(net(x), y)
        for x, y in ten:
            loss = criterion(net(x), y)
        for x, y in part:
            loss = criterion(net(x), y)
    """,
}


def _rows(tmp_path, capsys, name: str, text: str) -> list:
    path = tmp_path / f"{name.replace('-', '_')}.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL329", str(path)]) == 0
    return sorted(f["location"]["row"] for f in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("name", sorted(BUGS))
def test_labels_that_reach_the_class_count_are_reported(tmp_path, capsys, name):
    text = textwrap.dedent(BUGS[name]).lstrip("\n")
    expected = [i for i, line in enumerate(text.splitlines(), 1) if line.endswith("# expect")]
    assert expected and _rows(tmp_path, capsys, name, text) == expected


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(tmp_path, capsys, name):
    assert _rows(tmp_path, capsys, name, LOOKALIKES[name]) == []
