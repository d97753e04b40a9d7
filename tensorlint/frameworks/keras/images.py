"""Images read from folders: `ImageDataGenerator(...).flow_from_directory` and `.flow`,
`image_dataset_from_directory`. Batches of images of the requested size, channels-last unless
`data_format=` or Keras' global format says otherwise (not known where the program sets or
reads that format: `data_format.global_format`), and the labels the class mode makes.
One image read from a file: `load_img(path, target_size=(h, w))` and its `img_to_array`, an
array of (h, w) and the color mode's channels (no batch axis)."""
from __future__ import annotations

from dataclasses import dataclass

from ...values import UNKNOWN, Const, Dataset, Tensor, Value
from ..registry import CALLS, OBJECT_METHODS, plain
from ..common import make
from .. import shapes as S
from .data_format import FIRST, given_format


class ImageGenerator(Value):
    """`ImageDataGenerator(...)`: its `flow*` methods give batches of (images, labels), the
    images multiplied by `rescale` (1.0 without one; None where the generator changes the values
    otherwise or by a factor the file does not fix)."""

    __slots__ = ("channels_first", "rescale")

    def __init__(self, channels_first, rescale=None):
        self.channels_first = channels_first  # None: not known
        self.rescale = rescale


# settings that change the values of the images beyond `rescale` (a standardization, a function)
_VALUE_SETTINGS = ("preprocessing_function", "featurewise_center", "samplewise_center", "featurewise_std_normalization",
                   "samplewise_std_normalization", "zca_whitening", "brightness_range")


def _rescale(call) -> float | None:
    """The factor `ImageDataGenerator(...)` multiplies the images by: `rescale=` (1.0 without
    one), None where another setting changes the values or the factor is not a known number.
    Settings are read by keyword only (a positional setting leaves the factor unknown)."""
    if call.args or "**" in call.kwargs:
        return None
    for name in _VALUE_SETTINGS:
        v = call.kwargs.get(name)
        if v is not None and not (isinstance(v, Const) and v.value in (None, False)):
            return None
    v = call.kwargs.get("rescale")
    if v is None or isinstance(v, Const) and v.value is None:
        return 1.0
    if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool) and v.value > 0:
        return float(v.value)
    return None


_PIXELS = 255.0  # the largest value of an 8-bit image read from a file


_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _image_batches(call, size, color, channels_first, mode, modes, classes=None, rescale=None) -> Value:
    """A batched dataset of images `size` (h, w) with `color`'s channels, and the labels that
    `mode` makes (`modes`: mode -> (dtype, one-hot, trailing dims) or "input"); the pixels of
    the files multiplied by `rescale` (None: values not known)."""
    hw = size if isinstance(size, tuple) and len(size) == 2 else (None, None)
    hw = tuple(d if S.known_int(d) else None for d in hw)
    c = _CHANNELS.get(color) if isinstance(color, str) else None
    if channels_first is None:
        shape = None
    else:
        shape = (None, c) + hw if channels_first else (None,) + hw + (c,)
    x = make(call, shape, "float32", "tf", magnitude=(None, _PIXELS * rescale) if rescale else None)
    if mode is None:
        return Dataset((x,), True, call.node)
    spec = modes.get(mode) if isinstance(mode, str) else None
    if spec is None:
        return Dataset((x, make(call, None, None, "tf", labels=True).with_(origin=call.node.func)), True, call.node)
    if spec == "input":
        return Dataset((x, x.with_(labels=True)), True, call.node)
    dtype, onehot, tail = spec
    if onehot:
        k = len(classes) if isinstance(classes, tuple) else None
        tail = (k,)
    y = make(call, (None,) + tail, dtype, "tf", labels=True, onehot=onehot).with_(origin=call.node.func)  # apart from the images
    return Dataset((x, y), True, call.node)


def _channels_first(call) -> bool | None:
    """Whether the images come channels-first: `data_format=`, else Keras' global format (not
    known where the program sets or reads it); None when not known."""
    fmt = given_format(plain(call.arg(None, "data_format")), call)
    return None if fmt is None else fmt == FIRST


def _image_data_generator(call):
    return ImageGenerator(_channels_first(call), _rescale(call))


_FLOW_MODES = {"categorical": ("float32", True, ()), "binary": ("float32", False, ()),
               "sparse": ("float32", False, ()), "input": "input"}
_DIRECTORY_MODES = {"int": ("int32", False, ()), "categorical": ("float32", True, ()), "binary": ("float32", False, (1,))}


def _setting(call, index, name, default):
    """An argument as a plain Python value (tuples of ints, strings), `default` when absent."""
    v = call.arg(index, name)
    return default if v is None else plain(v)


def _flow_from_directory(call, gen):
    size = _setting(call, 1, "target_size", (256, 256))
    color = _setting(call, 2, "color_mode", "rgb")
    classes = _setting(call, 3, "classes", None)
    mode = _setting(call, 4, "class_mode", "categorical")
    return _image_batches(call, size, color, gen.channels_first, mode, _FLOW_MODES, classes, gen.rescale)


@dataclass(eq=False)
class ArrayBatches(Dataset):
    """`ImageDataGenerator.flow(x, y, batch_size=32)`: batches of `batch_size` rows of `x` (None
    when the program does not fix the number), the last one shorter."""

    batch_size: int | None = None


def _flow(call, gen):
    x, y = call.arg(0, "x"), call.arg(1, "y")
    if not isinstance(x, Tensor):
        return UNKNOWN
    if gen.rescale != 1.0:  # the generator changes the values it serves
        mag = x.magnitude
        x = x.with_(magnitude=(None, mag[1] * gen.rescale) if gen.rescale and mag and mag[1] is not None else None,
                    span=None, scale=None)
    size = call.arg(2, "batch_size")
    size = 32 if size is None else size.value if isinstance(size, Const) and type(size.value) is int else None
    if y is None or isinstance(y, Const) and y.value is None:
        return ArrayBatches((x,), True, call.node, batch_size=size)
    return ArrayBatches((x, y.with_(labels=True)), True, call.node, batch_size=size) if isinstance(y, Tensor) else UNKNOWN


def _image_dataset_from_directory(call):
    size = _setting(call, None, "image_size", (256, 256))
    color = _setting(call, None, "color_mode", "rgb")
    classes = _setting(call, None, "class_names", None)
    mode = _setting(call, None, "label_mode", "int")
    if _setting(call, 1, "labels", "inferred") != "inferred":
        mode = object()  # labels given by the program: not followed
    return _image_batches(call, size, color, _channels_first(call), mode, _DIRECTORY_MODES, classes, 1.0)


class LoadedImage(Value):
    """`load_img(path, ...)`: a PIL image of `size` (h, w) with `channels` (None: not known)."""

    __slots__ = ("size", "channels")

    def __init__(self, size, channels):
        self.size = size
        self.channels = channels


def _load_img(call):
    """`load_img(path, grayscale=False, color_mode="rgb", target_size=None, ...)`: the size is
    known only where `target_size=` gives it (the file's own size otherwise); settings passed by
    position (their order changed between Keras releases) leave the image unknown."""
    if len(call.args) > 1 or "**" in call.kwargs:
        return LoadedImage(None, None)
    size = _setting(call, None, "target_size", None)
    color = _setting(call, None, "color_mode", "rgb")
    if _setting(call, None, "grayscale", False) is True:
        color = "grayscale"
    size = size if isinstance(size, tuple) and len(size) == 2 and all(S.known_int(d) for d in size) else None
    return LoadedImage(size, _CHANNELS.get(color) if isinstance(color, str) else None)


def _img_to_array(call):
    """`img_to_array(img, data_format=None, dtype=None)`: a float32 array (h, w, channels), or
    (channels, h, w) channels-first; unknown unless the image's size and channels are known."""
    img = call.arg(0, "img")
    if not isinstance(img, LoadedImage) or img.size is None or img.channels is None:
        return UNKNOWN
    if call.arg(2, "dtype") is not None:
        return UNKNOWN
    fmt = given_format(plain(call.arg(1, "data_format")), call)
    if fmt is None:
        return UNKNOWN
    h, w = img.size
    shape = (img.channels, h, w) if fmt == FIRST else (h, w, img.channels)
    return make(call, shape, "float32", "np", magnitude=(None, _PIXELS))


for _q in ("keras.utils.load_img", "keras.preprocessing.image.load_img"):
    CALLS[_q] = _load_img
for _q in ("keras.utils.img_to_array", "keras.preprocessing.image.img_to_array"):
    CALLS[_q] = _img_to_array
for _q in ("keras.preprocessing.image.ImageDataGenerator", "keras.legacy.preprocessing.image.ImageDataGenerator"):
    CALLS[_q] = _image_data_generator
for _q in ("keras.utils.image_dataset_from_directory", "keras.preprocessing.image_dataset_from_directory"):
    CALLS[_q] = _image_dataset_from_directory
OBJECT_METHODS[("ImageGenerator", "flow_from_directory")] = _flow_from_directory
OBJECT_METHODS[("ImageGenerator", "flow")] = _flow
