"""Synthetic data, offline, for the loaders programs use most: the check has no network and no
data files, and a model run on an invented [2, 8] input proves little.

- `keras.datasets.<name>.load_data()` (and tf.keras's): arrays of the documented shapes, dtypes,
  sample counts and label ranges, with random values;
- the TF1 MNIST helper `tensorflow.examples.tutorials.mnist.input_data.read_data_sets` (gone from
  TF 2): 784-float images in [0, 1], labels as ids or one-hot, `next_batch`;
- when `sklearn` is not installed: its dataset makers and loaders, `train_test_split` and the
  common scalers, as stand-ins of the same signatures and result shapes.

Every use is reported (a `synthetic` event) and the names it binds are marked synthetic: an
error of the program's set-up code on them is not blamed on the program (see blame.py).
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

# name -> (x_train shape, y_train shape, test count, x dtype, classes or None for regression)
KERAS_IMAGES = {
    "mnist": ((60000, 28, 28), (60000,), 10000, "uint8", 10),
    "fashion_mnist": ((60000, 28, 28), (60000,), 10000, "uint8", 10),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), 10000, "uint8", 10),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), 10000, "uint8", 100),
    "boston_housing": ((404, 13), (404,), 102, "float64", None),
    "california_housing": ((16512, 8), (16512,), 4128, "float64", None),
}
KERAS_SEQUENCES = {"imdb": (25000, 25000, 2), "reuters": (8982, 2246, 46)}


class Synthesizer:
    """Installs the synthetic loaders into the frameworks of a check process."""

    def __init__(self, driver) -> None:
        self.driver = driver
        import numpy as np

        self.np = np
        self.rng = np.random.default_rng(0)

    def note(self, what: str, shapes: dict) -> None:
        d = self.driver
        d.synthesized_count += 1
        d.last_synthetic = {"line": d.current_line, "what": what}
        d.emit("synthetic", line=d.current_line, what=what, shapes=shapes)

    # -- keras.datasets --------------------------------------------------------------------------

    def install_keras(self, tf) -> None:
        modules = []
        for name in [*KERAS_IMAGES, *KERAS_SEQUENCES]:
            for root in ("keras.datasets", "keras.src.datasets"):
                try:
                    modules.append((name, __import__(f"{root}.{name}", fromlist=["load_data"])))
                except Exception:  # noqa: BLE001 - a Keras without this data set
                    pass
            try:
                modules.append((name, getattr(tf.keras.datasets, name)))
            except Exception:  # noqa: BLE001
                pass
        originals = {}
        for name, module in modules:
            fn = getattr(module, "load_data", None)
            if fn is not None and not getattr(fn, "_tensorlint_synthetic", False):
                originals.setdefault(id(fn), self.keras_loader(name))
                module.load_data = originals[id(fn)]
        for module in list(sys.modules.values()):  # every other place that re-exports them
            fn = getattr(module, "load_data", None) if module is not None else None
            if fn is not None and id(fn) in originals:
                try:
                    module.load_data = originals[id(fn)]
                except (AttributeError, TypeError):
                    pass
        from .keras_folders import offline_image_folders
        from .vision_data import offline_keras_weights

        offline_image_folders(self, tf)
        offline_keras_weights(self.driver)

    def keras_loader(self, name: str):
        def load_data(*args, **kwargs):
            if name in KERAS_SEQUENCES:
                return self.sequences(name, kwargs.get("num_words"), kwargs.get("maxlen"))
            return self.images(name, kwargs.get("label_mode"))

        load_data._tensorlint_synthetic = True
        load_data.__name__ = "load_data"
        return load_data

    def images(self, name: str, label_mode=None):
        np, rng = self.np, self.rng
        x_shape, y_shape, n_test, dtype, classes = KERAS_IMAGES[name]
        if name == "cifar100" and label_mode == "coarse":
            classes = 20

        def part(n):
            xs = (n, *x_shape[1:])
            if dtype == "uint8":
                x = rng.integers(0, 256, size=xs, dtype=np.uint8)
            else:
                x = rng.random(xs) * 100
            ys = (n, *y_shape[1:])
            y = rng.integers(0, classes, size=ys).astype(np.uint8 if classes <= 256 else np.int64) if classes \
                else rng.random(ys) * 50
            if name.startswith("cifar"):
                y = y.astype(np.int64)
            return x, y

        train, test = part(x_shape[0]), part(n_test)
        self.note(f"keras.datasets.{name}.load_data()", {"x_train": list(train[0].shape), "y_train": list(train[1].shape)})
        return train, test

    def sequences(self, name: str, num_words=None, maxlen=None):
        np, rng = self.np, self.rng
        n_train, n_test, classes = KERAS_SEQUENCES[name]
        top = int(num_words) if num_words else 10000
        longest = int(maxlen) if maxlen else 300

        def part(n):
            lengths = rng.integers(10, max(11, longest), size=n)
            x = np.empty(n, dtype=object)
            for i, k in enumerate(lengths):
                x[i] = [1] + rng.integers(2, top, size=int(k) - 1).tolist()
            return x, rng.integers(0, classes, size=n).astype(np.int64)

        train, test = part(n_train), part(n_test)
        self.note(f"keras.datasets.{name}.load_data()", {"x_train": [n_train], "y_train": [n_train]})
        return train, test

    # -- the TF1 MNIST helper --------------------------------------------------------------------

    def mnist_helper(self) -> types.ModuleType:
        synth = self

        class DataSet:
            def __init__(self, images, labels):
                self.images, self.labels = images, labels
                self.num_examples = len(images)
                self.epochs_completed = 0
                self._at = 0

            def next_batch(self, batch_size, fake_data=False, shuffle=True):
                start = self._at
                self._at = (self._at + batch_size) % max(1, self.num_examples - batch_size)
                return self.images[start:start + batch_size], self.labels[start:start + batch_size]

        def read_data_sets(train_dir="", fake_data=False, one_hot=False, dtype=None, reshape=True,
                           validation_size=5000, seed=None, source_url=None):
            np, rng = synth.np, synth.rng

            def part(n):
                x = rng.random((n, 784) if reshape else (n, 28, 28, 1), dtype=np.float32)
                ids = rng.integers(0, 10, size=n).astype(np.uint8)
                return DataSet(x, np.eye(10)[ids] if one_hot else ids)

            sets = types.SimpleNamespace(train=part(55000 if validation_size == 5000 else 60000 - validation_size),
                                         validation=part(validation_size), test=part(10000))
            synth.note("input_data.read_data_sets()", {"train.images": list(sets.train.images.shape),
                                                       "train.labels": list(sets.train.labels.shape)})
            return sets

        module = types.ModuleType("tensorflow.examples.tutorials.mnist.input_data")
        module.read_data_sets = read_data_sets
        module.DataSet = DataSet
        return module

    # -- stand-ins for missing modules -----------------------------------------------------------

    def install_stand_ins(self, tf_present: bool) -> None:
        made: dict[str, types.ModuleType] = {}
        if tf_present:
            helper = self.mnist_helper()
            for name in ("tensorflow.examples", "tensorflow.examples.tutorials", "tensorflow.examples.tutorials.mnist"):
                made[name] = types.ModuleType(name)
            made["tensorflow.examples.tutorials.mnist"].input_data = helper
            made["tensorflow.examples.tutorials.mnist.input_data"] = helper
        if getattr(self.driver, "tf1", None) is not None:
            from .tf1 import contrib_modules

            made.update(contrib_modules(self.driver.tf1))
        from .standins import sklearn_modules, torchvision_modules

        made.update(sklearn_modules(self))
        if self.driver.torch is not None:
            made.update(torchvision_modules(self))
            from .vision_data import offline_torchvision, offline_weights

            offline_torchvision(self)
            offline_weights(self.driver, self.driver.torch)
        from .stubs import stub_attributes

        for name, module in made.items():
            if name.split(".")[0] in ("sklearn", "torchvision"):
                # a name the stand-in lacks is a stub value, as a missing module's are (stubs.py)
                stub_attributes(module, lambda what: self.driver.stubbed(what, None))
        sys.meta_path.append(StandInFinder(made, stand_in_note(self.driver)))
        from .standins import output_only_finder

        finder = output_only_finder()
        driver = self.driver
        finder.on_import = lambda name: driver.note_once(
            f"output:{name.split('.')[0]}", f"line {driver.current_line}: `{name.split('.')[0]}` is not installed for "
            "the check's interpreter: it only shows or logs results, so a stand-in that does nothing was used")
        sys.meta_path.append(finder)
        hub = sys.modules.get("torch.hub")
        if hub is not None and getattr(getattr(hub, "tqdm", None), "__name__", "") == "_Faketqdm":
            # without tqdm, torch.hub's own stand-in is not iterable: `for b in tqdm(loader)` would fail
            # for want of a package the program's author had
            from .standins import tqdm

            hub.tqdm = tqdm
            self.driver.note_once("output:tqdm", "`tqdm` is not installed for the check's interpreter: torch.hub's "
                                  "progress bar became a stand-in that only iterates")


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: gives a prepared module only for a name nothing else could find,
    and tells `on_import(name)` that it did."""

    def __init__(self, modules: dict, on_import) -> None:
        self.modules = modules
        self.on_import = on_import

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.modules:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return self.modules[spec.name]

    def exec_module(self, module) -> None:
        self.on_import(module.__name__)


def stand_in_note(driver):
    def on_import(name: str) -> None:
        group = ".".join(name.split(".")[:2]) if name.startswith("tensorflow.") else name.split(".")[0]
        if group not in driver.stand_ins:
            driver.stand_ins.add(group)
            why = {"tensorflow.examples": "the TF1 MNIST helper is gone from TensorFlow 2",
                   "tensorflow.contrib": "tf.contrib is gone from TensorFlow 2"}.get(
                group, f"`{group}` is not installed for the check's interpreter")
            driver.emit("stand_in", module=name, line=driver.current_line,
                        message=f"{why}: a stand-in was used (data it makes is synthetic, of the same shapes)")
    return on_import
