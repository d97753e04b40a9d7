"""torchvision: the datasets of known images (MNIST, CIFAR, ...) and the transforms applied to
them, so that a loader over `datasets.MNIST(..., transform=...)` yields batches of known shape.

A transform the tables do not model leaves the image's size (and, unless it is known to keep
them, its channels) unknown; an image that never becomes a tensor (no `ToTensor`) cannot be
batched by the default loader, so such a dataset gives nothing known.
"""
from __future__ import annotations

from ...values import UNKNOWN, Const, Dataset, MutableList, Seq, Tensor, Value
from ..registry import CALLS
from ..common import make
from .. import shapes as S


class Transform(Value):
    """A torchvision transform: a list of (kind, argument, call node) steps."""

    __slots__ = ("steps",)

    def __init__(self, steps):
        self.steps = steps


# transforms that keep the number of channels (they move, crop, resize or jitter pixels)
_KEEP_CHANNELS = ("Resize", "Scale", "CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomHorizontalFlip",
                  "RandomVerticalFlip", "RandomRotation", "RandomAffine", "Pad", "ColorJitter",
                  "RandomPerspective", "GaussianBlur", "RandomErasing", "RandomInvert", "RandomAutocontrast")
_PREFIXES = ("torchvision.transforms.", "torchvision.transforms.v2.")


def _step(kind):
    def fn(call):
        arg = None
        if kind == "Normalize":
            mean = call.arg(0, "mean")
            items = mean.items if isinstance(mean, (Seq, MutableList)) and not (isinstance(mean, MutableList) and not mean.exact) else None
            arg = len(items) if items is not None else None
        elif kind == "Grayscale":
            n = call.const(0, "num_output_channels", 1)
            arg = n if S.known_int(n) else None
        return Transform([(kind, arg, call.node)])
    return fn


def _compose(call):
    steps = []
    parts = call.arg(0, "transforms")
    items = parts.items if isinstance(parts, (Seq, MutableList)) and (not isinstance(parts, MutableList) or parts.exact) else None
    if items is None:
        return Transform([("other", None, call.node)])
    for t in items:
        steps.extend(t.steps if isinstance(t, Transform) else [("other", None, call.node)])
    return Transform(steps)


for _prefix in _PREFIXES:
    for _kind in ("ToTensor", "Normalize", "Grayscale") + _KEEP_CHANNELS:
        CALLS[_prefix + _kind] = _step(_kind)
    CALLS[_prefix + "Compose"] = _compose


def apply_transform(interp, transform: Transform, image: Tensor) -> Value:
    """The sample a dataset's transform makes of one image; emits the Normalize check."""
    from ...events import ApiCall

    value, is_tensor = image, False
    for kind, arg, node in transform.steps:
        if kind == "ToTensor":
            value, is_tensor = value.with_(dtype="float32", fw="torch"), True
        elif kind == "Normalize":
            if not is_tensor:
                return UNKNOWN
            if interp.wants("api_call") and value.shape is not None:
                interp.emit("api_call", ApiCall("torchvision.transforms.Normalize", [value, Const(arg)], {}, node))
        elif kind == "Grayscale":
            c = arg
            value = value.with_(shape=(c,) + tuple(value.shape[1:]) if value.shape is not None else None)
        elif kind in _KEEP_CHANNELS:
            value = value.with_(shape=(value.shape[0], None, None) if value.shape is not None else None)
        else:
            return UNKNOWN
    return value if is_tensor else UNKNOWN


# name -> (channels, height, width, training images, test images)
_IMAGES = {
    "MNIST": (1, 28, 28, 60000, 10000), "FashionMNIST": (1, 28, 28, 60000, 10000),
    "KMNIST": (1, 28, 28, 60000, 10000), "CIFAR10": (3, 32, 32, 50000, 10000),
    "CIFAR100": (3, 32, 32, 50000, 10000),
}


_CLASSES = {"MNIST": 10, "FashionMNIST": 10, "KMNIST": 10, "CIFAR10": 10, "CIFAR100": 100}


def _image_dataset(name):
    c, h, w, n_train, n_test = _IMAGES[name]

    def fn(call):
        transform = call.arg(2, "transform")
        train = call.const(1, "train", True)
        if not isinstance(transform, Transform) or call.arg(3, "target_transform") is not None:
            return UNKNOWN
        image = make(call, (c, h, w), "uint8", "np")
        sample = apply_transform(call.interp, transform, image)
        if not isinstance(sample, Tensor):
            return UNKNOWN
        n = n_train if train is True else n_test if train is False else None
        x = sample.with_(shape=(n,) + tuple(sample.shape) if sample.shape is not None else None, node=call.node, origin=call.node)
        k = _CLASSES[name]  # every class occurs in both the training and the test images
        y = make(call, (n,), "int64", "torch", labels=True,
                 span=(0.0, float(k - 1), f"the class ids 0-{k - 1} of torchvision.datasets.{name}"),
                 ).with_(origin=call.node.func)  # a tensor apart from the images
        return Dataset((x, y), False, call.node)
    return fn


for _name in _IMAGES:
    for _q in ("torchvision.datasets." + _name, f"torchvision.datasets.{_name.lower()}.{_name}"):
        CALLS[_q] = _image_dataset(_name)


def _folder_dataset(transform_index):
    """A dataset of RGB images of unknown number and size, each with a class index: `ImageFolder`
    and `LSUN` open every image with PIL and convert it to RGB (unless a `loader=` says otherwise)."""
    def fn(call):
        transform = call.arg(transform_index, "transform")
        if not isinstance(transform, Transform) or call.arg(transform_index + 1, "target_transform") is not None \
                or call.arg(None, "loader") is not None:
            return UNKNOWN
        sample = apply_transform(call.interp, transform, make(call, (3, None, None), "uint8", "np"))
        if not isinstance(sample, Tensor):
            return UNKNOWN
        x = sample.with_(shape=(None,) + tuple(sample.shape) if sample.shape is not None else None, node=call.node, origin=call.node)
        y = make(call, (None,), "int64", "torch", labels=True).with_(origin=call.node.func)
        return Dataset((x, y), False, call.node)
    return fn


for _q in ("torchvision.datasets.ImageFolder", "torchvision.datasets.folder.ImageFolder"):
    CALLS[_q] = _folder_dataset(1)  # ImageFolder(root, transform, target_transform, loader, ...)
for _q in ("torchvision.datasets.LSUN", "torchvision.datasets.lsun.LSUN"):
    CALLS[_q] = _folder_dataset(2)  # LSUN(root, classes, transform, target_transform)
CALLS["torchvision.datasets.cifar.CIFAR10"] = _image_dataset("CIFAR10")
CALLS["torchvision.datasets.cifar.CIFAR100"] = _image_dataset("CIFAR100")
CALLS["torchvision.datasets.mnist.FashionMNIST"] = _image_dataset("FashionMNIST")
CALLS["torchvision.datasets.mnist.KMNIST"] = _image_dataset("KMNIST")
