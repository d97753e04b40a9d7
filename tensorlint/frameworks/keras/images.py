"""Images read from folders: `ImageDataGenerator(...).flow_from_directory` and `.flow`,
`image_dataset_from_directory`. Batches of images of the requested size, channels-last unless
`data_format=` or Keras' global format says otherwise (not known where the program sets or
reads that format: `data_format.global_format`), and the labels the class mode makes."""
from __future__ import annotations

from dataclasses import dataclass

from ...values import UNKNOWN, Const, Dataset, Tensor, Value
from ..registry import CALLS, OBJECT_METHODS, plain
from ..common import make
from .. import shapes as S
from .data_format import FIRST, given_format


class ImageGenerator(Value):
    """`ImageDataGenerator(...)`: its `flow*` methods give batches of (images, labels)."""

    __slots__ = ("channels_first",)

    def __init__(self, channels_first):
        self.channels_first = channels_first  # None: not known


_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _image_batches(call, size, color, channels_first, mode, modes, classes=None) -> Value:
    """A batched dataset of images `size` (h, w) with `color`'s channels, and the labels that
    `mode` makes (`modes`: mode -> (dtype, one-hot, trailing dims) or "input")."""
    hw = size if isinstance(size, tuple) and len(size) == 2 else (None, None)
    hw = tuple(d if S.known_int(d) else None for d in hw)
    c = _CHANNELS.get(color) if isinstance(color, str) else None
    if channels_first is None:
        shape = None
    else:
        shape = (None, c) + hw if channels_first else (None,) + hw + (c,)
    x = make(call, shape, "float32", "tf")
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
    return ImageGenerator(_channels_first(call))


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
    return _image_batches(call, size, color, gen.channels_first, mode, _FLOW_MODES, classes)


@dataclass(eq=False)
class ArrayBatches(Dataset):
    """`ImageDataGenerator.flow(x, y, batch_size=32)`: batches of `batch_size` rows of `x` (None
    when the program does not fix the number), the last one shorter."""

    batch_size: int | None = None


def _flow(call, gen):
    x, y = call.arg(0, "x"), call.arg(1, "y")
    if not isinstance(x, Tensor):
        return UNKNOWN
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
    return _image_batches(call, size, color, _channels_first(call), mode, _DIRECTORY_MODES, classes)


for _q in ("keras.preprocessing.image.ImageDataGenerator", "keras.legacy.preprocessing.image.ImageDataGenerator"):
    CALLS[_q] = _image_data_generator
for _q in ("keras.utils.image_dataset_from_directory", "keras.preprocessing.image_dataset_from_directory"):
    CALLS[_q] = _image_dataset_from_directory
OBJECT_METHODS[("ImageGenerator", "flow_from_directory")] = _flow_from_directory
OBJECT_METHODS[("ImageGenerator", "flow")] = _flow
