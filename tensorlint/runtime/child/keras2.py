"""Keras 2 programs under Keras 3: the module paths, names and arguments Keras 3 removed, mapped
to what replaced them, so that a legacy program builds the model it means instead of stopping
(or leaving an empty model) at its imports. Each shim used is reported once."""
from __future__ import annotations

import sys
import types

from .offline import StandInFinder

# legacy layer modules: everything they held is in keras.layers now
LAYER_MODULES = ("core", "convolutional", "recurrent", "embeddings", "normalization", "pooling", "merge",
                 "advanced_activations", "wrappers", "noise", "local", "convolutional_recurrent", "cudnn_recurrent",
                 "experimental", "experimental.preprocessing")


def install(driver) -> None:
    keras = driver.keras
    if keras is None or not str(getattr(keras, "__version__", "")).startswith("3"):
        return
    modules: dict[str, types.ModuleType] = {}
    layers = {k: v for k, v in vars(keras.layers).items() if not k.startswith("__")}
    for prefix in ("keras", "tensorflow.keras"):
        for name in LAYER_MODULES:
            modules[f"{prefix}.layers.{name}"] = types.ModuleType(f"{prefix}.layers.{name}")
            modules[f"{prefix}.layers.{name}"].__dict__.update(layers)
        utils = types.ModuleType(f"{prefix}.utils.np_utils")
        utils.to_categorical = keras.utils.to_categorical
        utils.normalize = keras.utils.normalize
        modules[f"{prefix}.utils.np_utils"] = utils
        try:  # keras.preprocessing.text (Tokenizer, one_hot...): only in Keras 3's legacy package
            from keras.src.legacy.preprocessing import text as legacy_text
        except ImportError:
            legacy_text = None
        if legacy_text is not None:
            text = types.ModuleType(f"{prefix}.preprocessing.text")
            text.__dict__.update({k: v for k, v in vars(legacy_text).items() if not k.startswith("_")})
            modules[f"{prefix}.preprocessing.text"] = text
            try:  # `keras.preprocessing.text.Tokenizer` written as an attribute
                preprocessing = sys.modules.get(f"{prefix}.preprocessing") or __import__(
                    f"{prefix}.preprocessing", fromlist=["sequence"])
                if not hasattr(preprocessing, "text"):
                    preprocessing.text = text
            except Exception:  # noqa: BLE001 - then only the import path is there
                pass

    def on_import(name: str) -> None:
        driver.note_once(f"keras2:{name}", f"line {driver.current_line}: `{name}` is a Keras 2 module: its names were "
                         "taken from their Keras 3 places")

    sys.meta_path.append(StandInFinder(modules, on_import))
    image_data_generator(driver)
    optimizer_arguments(driver)


def image_data_generator(driver) -> None:
    """keras.preprocessing.image.ImageDataGenerator and keras.preprocessing.sequence's generators,
    kept by Keras 3 only in its legacy package."""
    import importlib

    for module, names in (("image", ("ImageDataGenerator", "NumpyArrayIterator", "DirectoryIterator")),
                          ("sequence", ("TimeseriesGenerator", "skipgrams", "make_sampling_table"))):
        try:
            legacy = importlib.import_module(f"keras.src.legacy.preprocessing.{module}")
            public = importlib.import_module(f"keras.preprocessing.{module}")
        except ImportError:
            continue
        for name in names:
            if not hasattr(public, name) and hasattr(legacy, name):
                setattr(public, name, getattr(legacy, name))


def optimizer_arguments(driver) -> None:
    """`SGD(lr=0.01, decay=1e-6)`: Keras 3 calls it learning_rate and has no decay."""
    try:
        from keras.src.optimizers import base_optimizer
    except ImportError:
        return
    base = base_optimizer.BaseOptimizer
    original = base.__init__
    if getattr(original, "_tensorlint", False):
        return

    def init(self, *args, **kwargs):
        if "lr" in kwargs:
            lr = kwargs.pop("lr")
            if args:
                args = (lr, *args[1:])
            else:
                kwargs["learning_rate"] = lr
            driver.note_once("keras2:lr", "the optimizer's Keras 2 argument lr= was passed as learning_rate=")
        if "decay" in kwargs:
            kwargs.pop("decay")
            driver.note_once("keras2:decay", "the optimizer's Keras 2 argument decay= was dropped (Keras 3 has none)")
        return original(self, *args, **kwargs)

    init._tensorlint = True
    base.__init__ = init
