"""Keras 2 names and arguments Keras 3 refuses outright, around the model rather than in it: the
optimizers' lower-case aliases (`optimizers.rmsprop(lr=1e-3)`), `K.image_dim_ordering()`, and
`ModelCheckpoint` writing HDF5 at any path. Each maps to what Keras 3 has for it, from Keras 3's
own settings (the image data format), and each use is reported once (see keras2.py).

The check's `fit` runs one batch and no callback, so a checkpoint the program's `fit` writes is
never there: `model.load_weights(path)` of such a path, absent, keeps the weights the model has."""
from __future__ import annotations

import os

# Keras 2's functions that made an optimizer (keras.optimizers.rmsprop = RMSprop, until 2.3)
OPTIMIZER_ALIASES = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta", "adam": "Adam",
                     "adamax": "Adamax", "nadam": "Nadam"}
# the file names Keras 3's ModelCheckpoint takes: a whole model, or its weights alone
WHOLE, WEIGHTS = ".keras", ".weights.h5"


def install(driver) -> None:
    keras = driver.keras
    optimizer_aliases(driver, keras)
    dim_ordering(driver, keras)
    checkpoint_paths(driver, keras)


def optimizer_aliases(driver, keras) -> None:
    optimizers = getattr(keras, "optimizers", None)
    if optimizers is None:
        return

    def alias(name: str, cls):
        def make(*args, **kwargs):
            driver.note_once(f"keras2:optimizers.{name}", f"`optimizers.{name}` (Keras 2) ran as `optimizers.{cls.__name__}`")
            return cls(*args, **kwargs)
        make.__name__ = name
        return make

    for name, new in OPTIMIZER_ALIASES.items():
        cls = getattr(optimizers, new, None)
        if cls is not None and not hasattr(optimizers, name):
            setattr(optimizers, name, alias(name, cls))


def dim_ordering(driver, keras) -> None:
    """Keras 1 and early Keras 2 named the image data format "tf" (channels last) or "th"."""
    backend = getattr(keras, "backend", None)
    if backend is None or hasattr(backend, "image_dim_ordering") or not hasattr(backend, "image_data_format"):
        return

    def image_dim_ordering():
        driver.note_once("keras2:image_dim_ordering", "`K.image_dim_ordering()` (Keras 2) was read from "
                         f"`K.image_data_format()`, {backend.image_data_format()!r}")
        return "th" if backend.image_data_format() == "channels_first" else "tf"

    def set_image_dim_ordering(ordering):
        backend.set_image_data_format("channels_first" if ordering == "th" else "channels_last")

    backend.image_dim_ordering = image_dim_ordering
    backend.set_image_dim_ordering = set_image_dim_ordering


def checkpoint_paths(driver, keras) -> None:
    """`ModelCheckpoint('model.best.hdf5')`: Keras 2 wrote HDF5 whatever the name; Keras 3 refuses a
    name without its own ending. The ending is added; the check's run writes no checkpoint there."""
    cls = getattr(getattr(keras, "callbacks", None), "ModelCheckpoint", None)
    original = getattr(cls, "__init__", None)
    if original is None or getattr(original, "_tensorlint", False):
        return

    def init(self, filepath, *args, **kwargs):
        path = os.fsdecode(filepath) if isinstance(filepath, (str, bytes)) or hasattr(filepath, "__fspath__") else None
        if path is not None:
            written.add(os.path.abspath(path))
        wanted = WEIGHTS if kwargs.get("save_weights_only") else WHOLE
        if path is not None and not path.endswith(wanted):
            driver.note_once("keras2:ModelCheckpoint", f"`ModelCheckpoint({path!r})`: Keras 3 takes only a name "
                             f"ending in {wanted!r}, which was added (Keras 2 wrote HDF5 at any name)")
            filepath = path + wanted
        return original(self, filepath, *args, **kwargs)

    init._tensorlint = True
    cls.__init__ = init
    written: set[str] = set()
    model = getattr(keras, "Model", None)
    load = getattr(model, "load_weights", None)
    if load is None:
        return

    def load_weights(self, filepath, *args, **kwargs):
        try:
            path = os.path.abspath(os.fsdecode(filepath))
        except TypeError:
            path = None
        if path in written and not os.path.exists(path):
            driver.note_once(f"keras2:checkpoint:{path}", f"`load_weights({os.fsdecode(filepath)!r})` reads the checkpoint "
                             "the program's fit() writes, which the check's one batch does not: the model kept its weights")
            return None
        return load(self, filepath, *args, **kwargs)

    model.load_weights = load_weights
