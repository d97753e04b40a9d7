"""torchvision: the datasets of known images (MNIST, CIFAR, ...) and the transforms applied to
them, so that a loader over `datasets.MNIST(..., transform=...)` yields batches of known shape.

A transform the tables do not model leaves the image's size (and, unless it is known to keep
them, its channels) unknown; an image that never becomes a tensor (no `ToTensor`) cannot be
batched by the default loader, so such a dataset gives nothing known.
"""
from __future__ import annotations

from ...values import UNKNOWN, Const, Dataset, MutableList, Seq, Tensor, Unknown, Value
from ..registry import CALLS, OBJECT_METHODS
from ..common import make
from .. import shapes as S


class Transform(Value):
    """A torchvision transform: a list of (kind, argument, call node) steps."""

    __slots__ = ("steps",)

    def __init__(self, steps):
        self.steps = steps


# transforms that keep the number of channels (they move, crop, resize or jitter pixels)
_KEEP_CHANNELS = ("Resize", "Scale", "CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomSizedCrop",
                  "RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation", "RandomAffine", "Pad", "ColorJitter",
                  "RandomPerspective", "GaussianBlur", "RandomErasing", "RandomInvert", "RandomAutocontrast",
                  "RandomEqualize", "RandomPosterize", "RandomSolarize", "RandomAdjustSharpness", "RandomGrayscale")
_PREFIXES = ("torchvision.transforms.", "torchvision.transforms.v2.")


def _step(kind, step=None):
    """The transform `kind`; `step` names the step it makes where that differs (v2's Normalize)."""
    def fn(call):
        arg = None
        if kind == "Normalize":
            mean = call.arg(0, "mean")
            items = mean.items if isinstance(mean, (Seq, MutableList)) and not (isinstance(mean, MutableList) and not mean.exact) else None
            arg = len(items) if items is not None else None
        elif kind == "Grayscale":
            n = call.const(0, "num_output_channels", 1)
            arg = n if S.known_int(n) else None
        return Transform([(step or kind, arg, call.node)])
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
# v2's Normalize subtracts out of place: one-channel images broadcast to as many channels as it
# has means (no error); other images must have one channel per mean
CALLS["torchvision.transforms.v2.Normalize"] = _step("Normalize", "Normalize v2")


class PilImage(Unknown):
    """A PIL image whose mode the program fixes (`Image.fromarray(a, mode="L")`,
    `Image.open(path).convert("RGB")`): `channels` is the number of channels `ToTensor` makes of
    it (None where the mode is not known). Unknown to everything but the transforms."""

    __slots__ = ("channels",)

    def __init__(self, channels):
        self.channels = channels

    def __repr__(self) -> str:
        return f"PilImage({self.channels})"


# PIL modes -> channels of the tensor `ToTensor` makes
_MODE_CHANNELS = {"L": 1, "1": 1, "I": 1, "F": 1, "I;16": 1, "LA": 2, "RGB": 3, "YCbCr": 3, "LAB": 3, "HSV": 3,
                  "RGBA": 4, "CMYK": 4, "RGBX": 4}


def _mode_channels(mode):
    return _MODE_CHANNELS.get(mode.value) if isinstance(mode, Const) and isinstance(mode.value, str) else None


def _fromarray(call):
    """`Image.fromarray(a, mode)`: the mode given, else the one PIL reads from the array's shape
    (two dims: one channel; three dims of 3 or 4 uint8 channels last: RGB or RGBA)."""
    mode = call.arg(1, "mode")
    if mode is not None and not (isinstance(mode, Const) and mode.value is None):
        return PilImage(_mode_channels(mode))
    a = call.arg(0, "obj")
    shape = a.shape if isinstance(a, Tensor) else None
    if shape is not None and len(shape) == 2:
        return PilImage(1)
    if shape is not None and len(shape) == 3 and a.dtype == "uint8" and shape[-1] in (3, 4):
        return PilImage(shape[-1])
    return PilImage(None)


for _q in ("PIL.Image.fromarray", "PIL.Image.open"):
    CALLS[_q] = _fromarray if _q.endswith("fromarray") else (lambda call: PilImage(None))
OBJECT_METHODS[("PilImage", "convert")] = lambda call, img: PilImage(_mode_channels(call.arg(0, "mode")))


def _call_transform(call, transform):
    """A transform the program calls on a PIL image of known channels (a dataset's
    `self.transform(img)`): the sample it makes, with the Normalize check."""
    img = call.arg(0, "img")
    if not isinstance(img, PilImage) or img.channels is None:
        return UNKNOWN
    return apply_transform(call.interp, transform, make(call, (img.channels, None, None), "uint8", "np"))


OBJECT_METHODS[("Transform", "__call__")] = _call_transform


def apply_transform(interp, transform: Transform, image: Tensor) -> Value:
    """The sample a dataset's transform makes of one image; emits the Normalize check."""
    from ...events import ApiCall

    value, is_tensor = image, False
    for kind, arg, node in transform.steps:
        if kind == "ToTensor":
            value, is_tensor = value.with_(dtype="float32", fw="torch"), True
        elif kind in ("Normalize", "Normalize v2"):
            if not is_tensor:
                return UNKNOWN
            if kind == "Normalize v2" and value.shape and value.shape[0] == 1 and S.known_int(arg):
                value = value.with_(shape=(arg,) + tuple(value.shape[1:]))
            elif interp.wants("api_call") and value.shape is not None:
                interp.emit("api_call", ApiCall("torchvision.transforms.Normalize", [value, Const(arg)], {}, node))
        elif kind == "Grayscale":
            c = arg
            value = value.with_(shape=(c,) + tuple(value.shape[1:]) if value.shape is not None else None)
        elif kind in _KEEP_CHANNELS:
            value = value.with_(shape=(value.shape[0], None, None) if value.shape is not None else None)
        else:
            return UNKNOWN
    return value if is_tensor else UNKNOWN


# name -> (channels, height, width, training images, test images, classes): datasets whose
# `train` flag picks the part, called (root, train, transform, target_transform, ...)
_IMAGES = {
    "MNIST": (1, 28, 28, 60000, 10000, 10), "FashionMNIST": (1, 28, 28, 60000, 10000, 10),
    "KMNIST": (1, 28, 28, 60000, 10000, 10), "CIFAR10": (3, 32, 32, 50000, 10000, 10),
    "CIFAR100": (3, 32, 32, 50000, 10000, 100), "USPS": (1, 16, 16, 7291, 2007, 10),
}
# name -> (channels, height, width, {split: images}, classes or None, position of `transform`):
# datasets whose `split` picks the part; STL-10's unlabeled images have the label -1
_SPLITS = {
    "SVHN": (3, 32, 32, {"train": 73257, "test": 26032, "extra": 531131}, 10, 2),
    "STL10": (3, 96, 96, {"train": 5000, "test": 8000, "unlabeled": 100000, "train+unlabeled": 105000}, 10, 3),
}


def _absent(call, index, name) -> bool:
    """The argument is not given, or given as None."""
    v = call.arg(index, name)
    return v is None or (isinstance(v, Const) and v.value is None)


def _dataset_value(call, transform, image, n, classes, name):
    """The (images, labels) of a dataset of `image`-shaped images through `transform`; UNKNOWN
    when the samples are not known tensors or a target transform changes the labels."""
    if not isinstance(transform, Transform) or not _absent(call, None, "target_transform"):
        return UNKNOWN
    sample = apply_transform(call.interp, transform, image)
    if not isinstance(sample, Tensor):
        return UNKNOWN
    x = sample.with_(shape=(n,) + tuple(sample.shape) if sample.shape is not None else None, node=call.node, origin=call.node)
    span = (0.0, float(classes - 1), f"the class ids 0-{classes - 1} of torchvision.datasets.{name}") if classes else None
    y = make(call, (n,), "int64", "torch", labels=True, span=span).with_(origin=call.node.func)  # a tensor apart from the images
    return Dataset((x, y), False, call.node)


def _image_dataset(name):
    c, h, w, n_train, n_test, k = _IMAGES[name]

    def fn(call):
        if not _absent(call, 3, "target_transform"):
            return UNKNOWN
        train = call.const(1, "train", True)
        n = n_train if train is True else n_test if train is False else None
        # every class occurs in both the training and the test images
        return _dataset_value(call, call.arg(2, "transform"), make(call, (c, h, w), "uint8", "np"), n, k, name)
    return fn


def _split_dataset(name):
    c, h, w, sizes, k, where = _SPLITS[name]

    def fn(call):
        if not _absent(call, where + 1, "target_transform"):
            return UNKNOWN
        split = call.const(1, "split", "train")
        n = sizes.get(split) if isinstance(split, str) else None
        labelled = isinstance(split, str) and "unlabeled" not in split
        image = make(call, (c, h, w), "uint8", "np")
        return _dataset_value(call, call.arg(where, "transform"), image, n, k if labelled else None, name)
    return fn


def _fake_data(call):
    """FakeData(size=1000, image_size=(3, 224, 224), num_classes=10, transform=None, ...): random
    PIL images of `image_size` (channels first), each with a class index below `num_classes`."""
    size = call.arg(1, "image_size")
    shape = tuple(d.value if isinstance(d, Const) else None for d in size.items) \
        if isinstance(size, Seq) else (3, 224, 224) if size is None else None
    if shape is None or len(shape) != 3 or not S.known_int(shape[0]) or shape[0] not in (1, 3):
        return UNKNOWN  # PIL makes "L" or "RGB" images of these alone
    if not _absent(call, 4, "target_transform"):
        return UNKNOWN
    n, k = call.const(0, "size", 1000), call.const(2, "num_classes", 10)
    n = n if S.known_int(n) else None
    k = k if S.known_int(k) and k > 0 else None
    return _dataset_value(call, call.arg(3, "transform"), make(call, shape, "uint8", "np"), n, k, "FakeData")


for _name in _IMAGES:
    for _q in ("torchvision.datasets." + _name, f"torchvision.datasets.{_name.lower()}.{_name}"):
        CALLS[_q] = _image_dataset(_name)
for _name in _SPLITS:
    for _q in ("torchvision.datasets." + _name, f"torchvision.datasets.{_name.lower()}.{_name}"):
        CALLS[_q] = _split_dataset(_name)
for _q in ("torchvision.datasets.FakeData", "torchvision.datasets.fakedata.FakeData"):
    CALLS[_q] = _fake_data


def _folder_dataset(transform_index):
    """A dataset of RGB images of unknown number and size, each with a class index: `ImageFolder`
    and `LSUN` open every image with PIL and convert it to RGB (unless a `loader=` says otherwise)."""
    def fn(call):
        transform = call.arg(transform_index, "transform")
        if not isinstance(transform, Transform) or not _absent(call, transform_index + 1, "target_transform") \
                or not _absent(call, None, "loader"):
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
