"""torchvision's well-known data sets, offline: samples of the real image shape, labels of the real
range, random values. With torchvision missing they stand in for it (standins.py); with it
installed they replace its data set classes once `torchvision.datasets` is imported, because
without a network or the files its own classes stop at the download (a user has both), while
the program's transforms stay torchvision's own and get a PIL image, as from the real set."""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
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
        if isinstance(getattr(datasets, "ImageFolder", None), type):
            datasets.ImageFolder = missing_folder(synth, datasets.ImageFolder)

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


def offline_keras_weights(driver) -> None:
    """Keras applications' pretrained weights (`VGG16(weights="imagenet")`) cannot be downloaded
    here: the file `get_file` would fetch into its "models" cache becomes a NotDownloaded that
    `load_weights` takes as "keep these", so the model keeps its initial weights, of the same
    shapes. A file already in the cache is read as usual; other downloads are left alone."""
    try:
        from keras.src.utils import file_utils
        from keras.src.models import Model
    except Exception:  # noqa: BLE001 - a Keras without these modules downloads as it did
        return
    real_get, real_load = file_utils.get_file, Model.load_weights
    if getattr(real_get, "_tensorlint", False):
        return

    def get_file(fname=None, origin=None, *args, **kwargs):
        if kwargs.get("cache_subdir") == "models" and fname and origin:
            cached = os.path.join(os.path.expanduser(kwargs.get("cache_dir") or "~/.keras"), "models", fname)
            if not os.path.exists(cached):
                driver.note_once("weights", f"line {driver.current_line}: pretrained weights cannot be downloaded "
                                 f"here ({origin}): the model keeps its initial weights, of the same shapes")
                return NotDownloaded(str(origin))
        return real_get(fname, origin, *args, **kwargs)

    def load_weights(self, filepath, *args, **kwargs):
        if isinstance(filepath, NotDownloaded):
            return None
        return real_load(self, filepath, *args, **kwargs)

    get_file._tensorlint = True
    file_utils.get_file = get_file
    Model.load_weights = load_weights


# transforms after which every image has one size, whatever its size before (Resize only with two sizes)
FIXES_SIZE = {"CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomSizedCrop", "Resize", "Scale"}
# transforms that keep an image's size and its three channels
KEEPS_SIZE = {"ToTensor", "PILToTensor", "Normalize", "RandomHorizontalFlip", "RandomVerticalFlip", "ColorJitter",
              "ConvertImageDtype", "RandomErasing", "GaussianBlur", "RandomAutocontrast", "RandomEqualize",
              "RandomInvert", "RandomPosterize", "RandomSolarize", "RandomAdjustSharpness", "RandomGrayscale"}
# (width, height) of the made-up images per run: both larger than the usual crops (224, 256)
IMAGE_SIZES = ((320, 288), (304, 352))
# classes and images per run: the folder's counts are unknown, so each run has others (few images:
# a model sized for photographs is slow on the CPU)
CLASS_COUNTS = (2, 3)
IMAGE_COUNTS = (32, 48)


def fixed_size(transform) -> tuple[int, int] | None:
    """The (height, width) every image has after `transform` (a Compose of torchvision's own
    transforms), or None where it keeps the size the images had or does what the check cannot
    follow (a Lambda, a transform of the program's own)."""
    steps = list(getattr(transform, "transforms", None) or []) if type(transform).__name__ == "Compose" else [transform]
    size = None
    for step in steps:
        name = type(step).__name__
        if name in FIXES_SIZE:
            given = getattr(step, "size", None)
            if isinstance(given, int) and not isinstance(given, bool):
                # Resize(n) sets the shorter side alone; a crop of n is n by n
                given = None if name in ("Resize", "Scale") else (given, given)
            elif isinstance(given, (list, tuple)) and len(given) == 1:
                given = None if name in ("Resize", "Scale") else (given[0], given[0])
            size = tuple(int(v) for v in given) if isinstance(given, (list, tuple)) and len(given) == 2 else None
        elif name not in KEEPS_SIZE:
            return None
    return size


def missing_folder(synth, real: type) -> type:
    """torchvision's ImageFolder over a folder that is not here: images made up, but only where the
    program's transforms fix their size (the channels are ImageFolder's own: it reads RGB). How many
    images and classes there are, and their values, are the check's choice and differ between the
    two runs (data_runs.py), so an error stands as the program's only when both runs raise it."""
    import os

    class ImageFolder(real):
        def __init__(self, root, transform=None, target_transform=None, loader=None, is_valid_file=None, **kwargs):
            self.made_up = False
            folder = os.fspath(root) if isinstance(root, (str, os.PathLike)) else None
            if folder is None or os.path.exists(folder) or loader is not None or is_valid_file is not None or kwargs:
                args = {"loader": loader} if loader is not None else {}
                super().__init__(root, transform=transform, target_transform=target_transform,
                                 is_valid_file=is_valid_file, **args, **kwargs)
                return
            size = fixed_size(transform)
            if size is None:
                raise FileNotFoundError(2, "No such file or directory; the check does not make up its images: the "
                                        "transforms the program gives the ImageFolder do not fix their size (a Resize to "
                                        "two sizes, or a crop)", folder)
            driver = synth.driver
            choice = int(driver.plan.get("data_choice") or 0)
            count = int(driver.plan.get("data_rows") or IMAGE_COUNTS[choice % len(IMAGE_COUNTS)])
            classes = CLASS_COUNTS[choice % len(CLASS_COUNTS)]
            self.made_up, self.choice = True, choice
            self.root, self.transform, self.target_transform, self.transforms = folder, transform, target_transform, None
            self.classes = [f"class{k}" for k in range(classes)]
            self.class_to_idx = {name: k for k, name in enumerate(self.classes)}
            self.samples = [(os.path.join(folder, f"class{i % classes}", f"{i}.jpg"), i % classes) for i in range(count)]
            self.imgs, self.targets = self.samples, [k for _, k in self.samples]
            what = (f"`ImageFolder({folder!r})` (not here): {count} RGB images in {classes} classes, made up, two ways; "
                    f"the program's transforms make them {size[0]}x{size[1]}")
            synth.note(what, {"images": [count, 3, *size]})
            driver.emit("substituted", line=driver.current_line, file=folder, shape=[count, 3, *size], rows=count,
                        kind="images")

        def __len__(self):
            return len(self.samples) if self.made_up else super().__len__()

        def __getitem__(self, index):
            if not self.made_up:
                return super().__getitem__(index)
            from PIL import Image

            width, height = IMAGE_SIZES[self.choice % len(IMAGE_SIZES)]
            rng = synth.np.random.default_rng([self.choice, index])
            image = Image.fromarray(rng.integers(0, 256, size=(height, width, 3), dtype=synth.np.uint8))
            label = self.samples[index][1]
            if self.transform is not None:
                image = self.transform(image)
            if self.target_transform is not None:
                label = self.target_transform(label)
            return image, label

    ImageFolder.__module__, ImageFolder.__qualname__ = real.__module__, real.__qualname__
    return ImageFolder
