"""torchvision's well-known data sets, offline: samples of the real image shape, labels of the real
range, random values. With torchvision missing they stand in for it (standins.py); with it
installed they replace its data set classes once `torchvision.datasets` is imported, because
without a network or the files its own classes stop at the download (a user has both), while
the program's transforms stay torchvision's own and get a PIL image, as from the real set."""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys

# name -> (image shape as the raw sample, HxW or HxWxC, train count, test count, classes)
VISION = {
    "MNIST": ((28, 28), 60000, 10000, 10), "FashionMNIST": ((28, 28), 60000, 10000, 10),
    "KMNIST": ((28, 28), 60000, 10000, 10), "EMNIST": ((28, 28), 112800, 18800, 47),
    "CIFAR10": ((32, 32, 3), 50000, 10000, 10), "CIFAR100": ((32, 32, 3), 50000, 10000, 100),
    "SVHN": ((32, 32, 3), 73257, 26032, 10), "STL10": ((96, 96, 3), 5000, 8000, 10),
}


def synthetic_dataset(synth, name: str, pil: bool = False):
    """A data set class for torchvision's `name`: samples are uint8 arrays (PIL images when `pil`)."""
    import torch

    from .tf1 import user_line

    np = synth.np
    shape, n_train, n_test, classes = VISION[name]

    def image_at(index):
        image = np.random.default_rng(index).integers(0, 256, size=shape, dtype=np.uint8)
        if pil:
            from PIL import Image

            return Image.fromarray(image)
        return image

    class Synthetic(torch.utils.data.Dataset):
        def __init__(self, root="", train=True, transform=None, target_transform=None, download=False, split=None,
                     **_):
            self.root = root
            self.train = train if split is None else split in ("train", "byclass", "balanced")
            self.transform, self.target_transform = transform, target_transform
            self.count = n_train if self.train else n_test
            self.classes = [str(i) for i in range(classes)]
            self.targets = np.random.default_rng(1).integers(0, classes, size=self.count).tolist()
            self.made_at = user_line(synth.driver.path) if pil else None
            synth.note(f"torchvision.datasets.{name}()", {"images": [self.count, *shape]})

        def __len__(self):
            return self.count

        @property
        def data(self):
            """All images at once (uint8; a tensor for the one-channel sets, as torchvision has it)."""
            if getattr(self, "_data", None) is None:
                images = np.stack([np.random.default_rng(i).integers(0, 256, size=shape, dtype=np.uint8)
                                   for i in range(self.count)])
                self._data = torch.from_numpy(images) if len(shape) == 2 else images
            return self._data

        # torchvision's older names for them, still accepted
        train_data = test_data = property(lambda self: self.data)
        train_labels = test_labels = property(
            lambda self: torch.as_tensor(self.targets) if len(shape) == 2 else self.targets)

        def __getitem__(self, index):
            image = image_at(index)
            label = self.targets[index]
            if self.transform is not None:
                try:
                    image = self.transform(image)
                except Exception as exc:
                    # the program's transforms, torchvision's own, on a sample of the real shape: as
                    # the real set would fail, shown where the program gave them to the data set
                    if self.made_at and not hasattr(exc, "tensorlint_made_at"):
                        exc.tensorlint_made_at = {"line": self.made_at, "function": f"{name}(transform=...)"}
                        exc.tensorlint_program_transform = True
                    raise
            if self.target_transform is not None:
                label = self.target_transform(label)
            return image, label

    Synthetic.__name__ = Synthetic.__qualname__ = name
    return Synthetic


class AfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """First on sys.meta_path: the module `name` is found and run as it would be, then
    `patch(module)` runs on it."""

    def __init__(self, name: str, patch) -> None:
        self.name = name
        self.patch = patch
        self.busy = False
        self.loader = None

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(fullname)
        except (ImportError, ValueError):
            spec = None
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return None
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        module.__spec__.loader = module.__loader__ = self.loader
        self.loader.exec_module(module)
        self.patch(module)


def offline_torchvision(synth) -> None:
    """When torchvision is installed: its well-known data sets become synthetic ones on import."""
    try:
        if importlib.util.find_spec("torchvision") is None:
            return
    except (ImportError, ValueError):
        return

    def patch(datasets) -> None:
        for name in VISION:
            if hasattr(datasets, name):
                setattr(datasets, name, synthetic_dataset(synth, name, pil=True))  # each use is noted (synth.note)

    sys.meta_path.insert(0, AfterImport("torchvision.datasets", patch))

    def old_names(transforms) -> None:
        for old, new in LEGACY_TRANSFORMS.items():
            if not hasattr(transforms, old) and isinstance(getattr(transforms, new, None), type):
                setattr(transforms, old, renamed(getattr(transforms, new), old, synth.driver))

    sys.meta_path.insert(0, AfterImport("torchvision.transforms", old_names))


# torchvision transforms renamed (0.2) and later removed: old name -> the class it became
LEGACY_TRANSFORMS = {"Scale": "Resize", "RandomSizedCrop": "RandomResizedCrop"}


def renamed(cls: type, old: str, driver) -> type:
    """`cls` under the `old` name it had; using it says so once."""
    def __init__(self, *args, **kwargs):
        driver.note_once(f"legacy:{old}", f"line {driver.current_line}: `transforms.{old}` is the old name of "
                         f"`transforms.{cls.__name__}` (torchvision renamed it, then removed the old name): the check "
                         "ran it under its new name")
        cls.__init__(self, *args, **kwargs)

    return type(old, (cls,), {"__init__": __init__, "__module__": cls.__module__})


class NotDownloaded(dict):
    """The state dict of pretrained weights the check cannot download (no network): loading it
    into a model keeps the model's own initial weights, of the same shapes."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


def offline_weights(driver, torch) -> None:
    """`torch.hub.load_state_dict_from_url` (torchvision's `weights=`/`pretrained=True`,
    `model_zoo.load_url`) gives a NotDownloaded, which `load_state_dict` takes as "keep these"."""
    real_load = torch.nn.Module.load_state_dict

    def load_state_dict_from_url(url, *args, **kwargs):
        driver.note_once("weights", f"line {driver.current_line}: pretrained weights cannot be downloaded here ({url}): "
                         "the model keeps its initial weights, of the same shapes")
        return NotDownloaded(str(url))

    def load_state_dict(self, state_dict, *args, **kwargs):
        if isinstance(state_dict, NotDownloaded):
            return real_load(self, self.state_dict(), *args, **kwargs)
        return real_load(self, state_dict, *args, **kwargs)

    torch.hub.load_state_dict_from_url = load_state_dict_from_url
    zoo = sys.modules.get("torch.utils.model_zoo")
    if zoo is not None:
        zoo.load_url = load_state_dict_from_url
    torch.nn.Module.load_state_dict = load_state_dict
