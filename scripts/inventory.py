"""Write the public names of the installed frameworks to bench/inventory.json.

The list is what the engine's tables are measured against (`bench/coverage.py`): every public
class and function of torch, torchvision (when installed), Keras 3, tf.keras, TensorFlow
(tf, tf.nn, tf.math, tf.losses, tf.compat.v1, the legacy tf.layers) and numpy, plus the module
paths of Keras 1/2 (`keras.layers.core`, `keras.layers.convolutional`, `keras.utils.np_utils`,
...) as the TensorFlow package still ships them under `tensorflow.python.keras`.

Names are written the way the engine spells a call target: `torch.nn.Linear`,
`tensorflow.nn.conv2d`, `keras.layers.Dense`, `numpy.zeros`; methods of tensors as
`torch.Tensor.view`, `numpy.ndarray.reshape`, `tensorflow.Tensor.get_shape`.

    .venv/bin/python scripts/inventory.py [--out bench/inventory.json]

Importing the frameworks takes a while (about a minute on one core); run it again after a
framework upgrade and commit the result.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import sys
import types
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parent.parent

# (framework, module imported, name the engine uses for it)
MODULES = [
    ("torch", "torch", "torch"),
    ("torch", "torch.nn", "torch.nn"),
    ("torch", "torch.nn.functional", "torch.nn.functional"),
    ("torch", "torch.nn.init", "torch.nn.init"),
    ("torch", "torch.nn.utils", "torch.nn.utils"),
    ("torch", "torch.optim", "torch.optim"),
    ("torch", "torch.optim.lr_scheduler", "torch.optim.lr_scheduler"),
    ("torch", "torch.utils.data", "torch.utils.data"),
    ("torch", "torch.autograd", "torch.autograd"),
    ("torch", "torch.linalg", "torch.linalg"),
    ("torch", "torch.fft", "torch.fft"),
    ("torch", "torch.distributions", "torch.distributions"),
    ("torch", "torch.cuda", "torch.cuda"),
    ("torch", "torch.cuda.amp", "torch.cuda.amp"),
    ("torch", "torch.amp", "torch.amp"),
    ("torchvision", "torchvision.models", "torchvision.models"),
    ("torchvision", "torchvision.datasets", "torchvision.datasets"),
    ("torchvision", "torchvision.transforms", "torchvision.transforms"),
    ("torchvision", "torchvision.utils", "torchvision.utils"),
    ("keras", "keras", "keras"),
    ("keras", "keras.layers", "keras.layers"),
    ("keras", "keras.losses", "keras.losses"),
    ("keras", "keras.activations", "keras.activations"),
    ("keras", "keras.optimizers", "keras.optimizers"),
    ("keras", "keras.optimizers.schedules", "keras.optimizers.schedules"),
    ("keras", "keras.datasets", "keras.datasets"),
    ("keras", "keras.utils", "keras.utils"),
    ("keras", "keras.models", "keras.models"),
    ("keras", "keras.callbacks", "keras.callbacks"),
    ("keras", "keras.metrics", "keras.metrics"),
    ("keras", "keras.initializers", "keras.initializers"),
    ("keras", "keras.regularizers", "keras.regularizers"),
    ("keras", "keras.ops", "keras.ops"),
    ("keras", "keras.backend", "keras.backend"),
    ("keras", "keras.applications", "keras.applications"),
    ("keras", "keras.preprocessing", "keras.preprocessing"),
    ("keras", "keras.preprocessing.image", "keras.preprocessing.image"),
    ("keras", "keras.preprocessing.sequence", "keras.preprocessing.sequence"),
    ("keras", "keras.random", "keras.random"),
    ("tf", "tensorflow", "tensorflow"),
    ("tf", "tensorflow.nn", "tensorflow.nn"),
    ("tf", "tensorflow.math", "tensorflow.math"),
    ("tf", "tensorflow.linalg", "tensorflow.linalg"),
    ("tf", "tensorflow.random", "tensorflow.random"),
    ("tf", "tensorflow.image", "tensorflow.image"),
    ("tf", "tensorflow.data", "tensorflow.data"),
    ("tf", "tensorflow.train", "tensorflow.train"),
    ("tf", "tensorflow.losses", "tensorflow.losses"),
    ("tf", "tensorflow.signal", "tensorflow.signal"),
    ("tf", "tensorflow.strings", "tensorflow.strings"),
    ("tf", "tensorflow.summary", "tensorflow.summary"),
    ("tf", "tensorflow.compat.v1", "tensorflow"),
    ("tf", "tensorflow.compat.v1.nn", "tensorflow.nn"),
    ("tf", "tensorflow.compat.v1.losses", "tensorflow.losses"),
    ("tf", "tensorflow.compat.v1.layers", "tensorflow.layers"),
    ("tf", "tensorflow.compat.v1.train", "tensorflow.train"),
    ("tf", "tensorflow.compat.v1.math", "tensorflow.math"),
    ("tf", "tensorflow.compat.v1.random", "tensorflow.random"),
    ("tf", "tensorflow.compat.v1.metrics", "tensorflow.metrics"),
    ("tf", "tensorflow.compat.v1.summary", "tensorflow.summary"),
    ("tf", "tensorflow.compat.v1.initializers", "tensorflow.initializers"),
    ("numpy", "numpy", "numpy"),
    ("numpy", "numpy.random", "numpy.random"),
    ("numpy", "numpy.linalg", "numpy.linalg"),
    ("numpy", "numpy.fft", "numpy.fft"),
]

# tf.keras: the same public surface as keras, spelled tensorflow.keras.* in programs; the engine
# folds `tensorflow.keras.X` into `keras.X`, so tf.keras names are recorded under the keras names
# and listed separately only where they differ.
TF_KERAS = ["layers", "losses", "activations", "optimizers", "datasets", "utils", "models",
            "callbacks", "metrics", "initializers", "regularizers", "backend", "preprocessing"]

# Keras 1/2 module paths still shipped inside TensorFlow (tensorflow.python.keras.<path>),
# recorded as keras.<path>, the way old programs import them.
LEGACY_KERAS = [
    "layers.core", "layers.convolutional", "layers.pooling", "layers.recurrent",
    "layers.embeddings", "layers.normalization", "layers.advanced_activations", "layers.merge",
    "layers.wrappers", "layers.noise", "layers.local", "layers.convolutional_recurrent",
    "layers.cudnn_recurrent", "layers.dense_attention", "utils.np_utils", "utils.data_utils",
    "utils.generic_utils", "utils.vis_utils", "utils.layer_utils", "engine.training",
    "engine.sequential", "engine.input_layer", "engine.base_layer", "optimizers", "losses",
    "activations", "backend", "initializers", "regularizers", "constraints", "callbacks",
    "models", "metrics", "preprocessing.image", "preprocessing.sequence", "preprocessing.text",
    "wrappers.scikit_learn",
]

# Names that Keras 1 had and Keras 2 renamed (from the Keras 2.0 release notes); old tutorials
# still call them. The Keras 2 name they became is the value.
KERAS1_RENAMED = {
    "keras.layers.Convolution1D": "keras.layers.Conv1D",
    "keras.layers.Convolution2D": "keras.layers.Conv2D",
    "keras.layers.Convolution3D": "keras.layers.Conv3D",
    "keras.layers.convolutional.Convolution1D": "keras.layers.Conv1D",
    "keras.layers.convolutional.Convolution2D": "keras.layers.Conv2D",
    "keras.layers.convolutional.Convolution3D": "keras.layers.Conv3D",
    "keras.layers.AtrousConvolution1D": "keras.layers.Conv1D",
    "keras.layers.AtrousConvolution2D": "keras.layers.Conv2D",
    "keras.layers.Deconvolution2D": "keras.layers.Conv2DTranspose",
    "keras.layers.SeparableConvolution2D": "keras.layers.SeparableConv2D",
    "keras.layers.merge": None,
    "keras.layers.Merge": None,
    "keras.layers.MaxoutDense": None,
    "keras.layers.Highway": None,
    "keras.layers.TimeDistributedDense": None,
    "keras.utils.np_utils.to_categorical": "keras.utils.to_categorical",
}


def kind_of(obj) -> str:
    if inspect.isclass(obj):
        return "class"
    if isinstance(obj, types.ModuleType):
        return "module"
    if callable(obj):
        return "function"
    return "value"


def public(mod) -> dict:
    names = getattr(mod, "__all__", None)
    if not names:
        names = [n for n in dir(mod) if not n.startswith("_")]
    out = {}
    for n in names:
        if n.startswith("_"):
            continue
        try:
            obj = getattr(mod, n)
        except Exception:  # noqa: BLE001 (lazy attributes that fail to load)
            continue
        out[n] = kind_of(obj)
    return out


def methods(cls) -> list:
    return sorted(n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n, None)))


def try_import(name):
    try:
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001
        return exc


def build() -> dict:
    names: dict[str, dict] = {}
    versions: dict[str, str] = {}
    skipped: list[str] = []

    def add(fw, qual, kind, source):
        names.setdefault(qual, {"framework": fw, "kind": kind, "source": source})

    for fw, modname, spelled in MODULES:
        mod = try_import(modname)
        if isinstance(mod, Exception):
            skipped.append(f"{modname}: {type(mod).__name__}: {mod}")
            continue
        top = modname.split(".")[0]
        versions.setdefault(top, getattr(sys.modules[top], "__version__", "?"))
        for n, kind in public(mod).items():
            add(fw, f"{spelled}.{n}", kind, modname)

    torch = try_import("torch")
    if not isinstance(torch, Exception):
        for n in methods(torch.Tensor):
            add("torch", f"torch.Tensor.{n}", "method", "torch.Tensor")
        for n in methods(torch.nn.Module):
            add("torch", f"torch.nn.Module.{n}", "method", "torch.nn.Module")
    tf = try_import("tensorflow")
    if not isinstance(tf, Exception):
        for n in methods(tf.Tensor):
            add("tf", f"tensorflow.Tensor.{n}", "method", "tensorflow.Tensor")
        for sub in TF_KERAS:
            mod = try_import(f"tensorflow.keras.{sub}")
            if isinstance(mod, Exception):
                skipped.append(f"tensorflow.keras.{sub}: {mod}")
                continue
            for n, kind in public(mod).items():
                add("keras", f"keras.{sub}.{n}", kind, f"tensorflow.keras.{sub}")
        for path in LEGACY_KERAS:
            mod = try_import(f"tensorflow.python.keras.{path}")
            if isinstance(mod, Exception):
                skipped.append(f"tensorflow.python.keras.{path}: {type(mod).__name__}")
                continue
            for n, kind in public(mod).items():
                if kind in ("class", "function"):
                    add("keras", f"keras.{path}.{n}", kind, f"tensorflow.python.keras.{path}")
    keras = try_import("keras")
    if not isinstance(keras, Exception):
        for n in methods(keras.Model):
            add("keras", f"keras.Model.{n}", "method", "keras.Model")
    for qual, renamed in KERAS1_RENAMED.items():
        add("keras", qual, "keras1", f"Keras 1 name (Keras 2: {renamed or 'removed'})")
    np = try_import("numpy")
    if not isinstance(np, Exception):
        for n in methods(np.ndarray):
            add("numpy", f"numpy.ndarray.{n}", "method", "numpy.ndarray")

    counts: dict[str, int] = {}
    for info in names.values():
        counts[info["framework"]] = counts.get(info["framework"], 0) + 1
    return {
        "about": "Public names of the installed frameworks; regenerate with scripts/inventory.py.",
        "versions": versions,
        "skipped": skipped,
        "counts": dict(sorted(counts.items())),
        "names": dict(sorted(names.items())),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "bench" / "inventory.json"))
    args = ap.parse_args(argv)
    data = build()
    Path(args.out).write_text(json.dumps(data, indent=0, sort_keys=False) + "\n")
    print(f"inventory: {sum(data['counts'].values())} names {data['counts']} -> {args.out}")
    for s in data["skipped"]:
        print(f"  skipped {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
