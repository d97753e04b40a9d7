"""Stand-ins for the parts of scikit-learn that deep-learning programs use to make or split their
data, for a check interpreter without scikit-learn: same signatures, result shapes and dtypes,
random values. Any other name of the package is missing, so a program that needs more fails
its import and is reported as not checked."""
from __future__ import annotations

import types

from .vision_data import VISION, synthetic_dataset

# name -> (samples, features, classes or None) of sklearn's bundled data sets
BUNDLED = {
    "load_iris": (150, 4, 3), "load_digits": (1797, 64, 10), "load_breast_cancer": (569, 30, 2),
    "load_wine": (178, 13, 3), "load_diabetes": (442, 10, None),
}


def sklearn_modules(synth) -> dict[str, types.ModuleType]:
    np, rng = synth.np, synth.rng

    def made(what, x, y):
        synth.note(f"sklearn.datasets.{what}()", {"X": list(x.shape), "y": list(y.shape)})
        return x, y

    def make_classification(n_samples=100, n_features=20, *, n_informative=2, n_redundant=2, n_repeated=0,
                            n_classes=2, random_state=None, **_):
        return made("make_classification", rng.standard_normal((n_samples, n_features)),
                    rng.integers(0, n_classes, size=n_samples))

    def make_regression(n_samples=100, n_features=100, *, n_informative=10, n_targets=1, random_state=None, **_):
        y = rng.standard_normal((n_samples, n_targets) if n_targets > 1 else n_samples) * 100
        return made("make_regression", rng.standard_normal((n_samples, n_features)), y)

    def make_blobs(n_samples=100, n_features=2, *, centers=None, random_state=None, **_):
        k = centers if isinstance(centers, int) else (len(centers) if centers is not None else 3)
        return made("make_blobs", rng.standard_normal((n_samples, n_features)), rng.integers(0, k, size=n_samples))

    def two_classes(what):
        def make(n_samples=100, *, shuffle=True, noise=None, random_state=None, **_):
            return made(what, rng.standard_normal((n_samples, 2)), rng.integers(0, 2, size=n_samples))
        return make

    def bundled(what):
        n, f, classes = BUNDLED[what]

        def load(*, return_X_y=False, as_frame=False, **_):
            x = rng.random((n, f)) * 10
            y = rng.integers(0, classes, size=n) if classes else rng.random(n) * 300
            made(what, x, y)
            if return_X_y:
                return x, y
            return Bunch(data=x, target=y, feature_names=[f"feature {i}" for i in range(f)],
                         target_names=np.array([f"class {i}" for i in range(classes or 0)]), DESCR="synthetic")
        return load

    def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
        n = len(arrays[0])
        if test_size is None:
            test_size = 0.25 if train_size is None else 1 - train_size
        n_test = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
        order = rng.permutation(n) if shuffle else np.arange(n)
        test, train = order[:n_test], order[n_test:]
        out = []
        for a in arrays:
            pick = (lambda idx: a[idx]) if hasattr(a, "shape") else (lambda idx: [a[i] for i in idx])
            out += [pick(train), pick(test)]
        return out

    class Scaler:
        def fit(self, x, y=None):
            x = np.asarray(x, dtype=float)
            self.center_, self.scale_ = self.stats(x)
            self.scale_ = np.where(self.scale_ == 0, 1.0, self.scale_)
            return self

        def transform(self, x):
            return (np.asarray(x, dtype=float) - self.center_) / self.scale_

        def fit_transform(self, x, y=None):
            return self.fit(x).transform(x)

        def inverse_transform(self, x):
            return np.asarray(x, dtype=float) * self.scale_ + self.center_

    class StandardScaler(Scaler):
        def __init__(self, *, copy=True, with_mean=True, with_std=True):
            pass

        def stats(self, x):
            return x.mean(axis=0), x.std(axis=0)

    class MinMaxScaler(Scaler):
        def __init__(self, feature_range=(0, 1), *, copy=True, clip=False):
            self.feature_range = feature_range

        def stats(self, x):
            low, high = self.feature_range
            lo, hi = x.min(axis=0), x.max(axis=0)
            span = np.where(hi - lo == 0, 1.0, hi - lo) / (high - low)
            return lo - low * span, span

    class LabelEncoder:
        def fit(self, y):
            self.classes_ = np.unique(np.asarray(y))
            return self

        def transform(self, y):
            return np.searchsorted(self.classes_, np.asarray(y))

        def fit_transform(self, y):
            return self.fit(y).transform(y)

        def inverse_transform(self, ids):
            return self.classes_[np.asarray(ids)]

    def normalize(x, norm="l2", *, axis=1, copy=True, return_norm=False):
        x = np.asarray(x, dtype=float)
        n = np.linalg.norm(x, ord={"l1": 1, "l2": 2, "max": np.inf}[norm], axis=axis, keepdims=True)
        return x / np.where(n == 0, 1.0, n)

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        m.__tensorlint_stand_in__ = True
        return m

    datasets = module("sklearn.datasets", make_classification=make_classification, make_regression=make_regression,
                      make_blobs=make_blobs, make_moons=two_classes("make_moons"),
                      make_circles=two_classes("make_circles"), **{k: bundled(k) for k in BUNDLED})
    selection = module("sklearn.model_selection", train_test_split=train_test_split)
    preprocessing = module("sklearn.preprocessing", StandardScaler=StandardScaler, MinMaxScaler=MinMaxScaler,
                           LabelEncoder=LabelEncoder, normalize=normalize)
    root = module("sklearn", datasets=datasets, model_selection=selection, preprocessing=preprocessing)
    return {"sklearn": root, "sklearn.datasets": datasets, "sklearn.model_selection": selection,
            "sklearn.preprocessing": preprocessing}


class Bunch(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def torchvision_modules(synth) -> dict[str, types.ModuleType]:
    """torchvision's well-known data sets and the transforms that turn their images into tensors,
    for a check interpreter without torchvision. Samples are uint8 arrays of the real image shape
    (where torchvision gives a PIL image), labels ints of the real range."""
    import torch

    np = synth.np

    def dataset(name):
        return synthetic_dataset(synth, name)

    def to_tensor(image):
        if isinstance(image, torch.Tensor):
            return image
        array = np.asarray(image)
        array = array[:, :, None] if array.ndim == 2 else array
        tensor = torch.from_numpy(np.ascontiguousarray(array)).permute(2, 0, 1)
        return tensor.float().div(255) if array.dtype == np.uint8 else tensor.float()

    def resized(image, size):
        tensor = to_tensor(image) if not isinstance(image, torch.Tensor) else image.float()
        h, w = tensor.shape[-2:]
        if isinstance(size, int):
            size = (size, int(size * w / h)) if h <= w else (int(size * h / w), size)
        out = torch.nn.functional.interpolate(tensor[None], size=tuple(size), mode="bilinear", align_corners=False)[0]
        if isinstance(image, torch.Tensor):
            return out
        array = (out * 255).clamp(0, 255).byte().permute(1, 2, 0).numpy()
        return array[:, :, 0] if np.asarray(image).ndim == 2 else array

    from .tf1 import user_line

    path = synth.driver.path

    class Transform:
        """Remembers the program's line that made it: an error it raises on the program's data
        (three channel means for one-channel images) is shown there too, as if it were a frame of
        the program's own code."""

        def __new__(cls, *args, **kwargs):
            self = super().__new__(cls)
            self.tensorlint_made_at = user_line(path)
            return self

        def __call__(self, image):
            try:
                return self.apply(image)
            except Exception as exc:
                if self.tensorlint_made_at and not hasattr(exc, "tensorlint_made_at"):
                    exc.tensorlint_made_at = {"line": self.tensorlint_made_at, "function": f"transforms.{type(self).__name__}"}
                raise

    class Compose(Transform):
        def __init__(self, transforms):
            self.transforms = list(transforms)

        def apply(self, image):
            for t in self.transforms:
                image = t(image)
            return image

    class ToTensor(Transform):
        def apply(self, image):
            return to_tensor(image)

    class Normalize(Transform):
        def __init__(self, mean, std, inplace=False):
            self.mean, self.std, self.inplace = mean, std, inplace

        def apply(self, tensor):
            # as torchvision's F.normalize does: in place on a copy, so that the means and stds
            # must match the image's channels (they are not broadcast to more channels)
            if not isinstance(tensor, torch.Tensor) or tensor.dim() < 3:
                raise TypeError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got {type(tensor).__name__} "
                                f"of size {tuple(getattr(tensor, 'shape', ()))}.")
            out = tensor if self.inplace else tensor.clone()
            mean = torch.as_tensor(self.mean, dtype=out.dtype, device=out.device)
            std = torch.as_tensor(self.std, dtype=out.dtype, device=out.device)
            if mean.ndim == 1:
                mean = mean.view(-1, 1, 1)
            if std.ndim == 1:
                std = std.view(-1, 1, 1)
            return out.sub_(mean).div_(std)

    class Resize(Transform):
        def __init__(self, size, interpolation=None, **_):
            self.size = size

        def apply(self, image):
            return resized(image, self.size)

    class CenterCrop(Transform):
        def __init__(self, size, **_):
            self.size = (size, size) if isinstance(size, int) else tuple(size)

        def apply(self, image):
            h, w = (image.shape[-2:] if isinstance(image, torch.Tensor) else np.asarray(image).shape[:2])
            top, left = max(0, (h - self.size[0]) // 2), max(0, (w - self.size[1]) // 2)
            if isinstance(image, torch.Tensor):
                return image[..., top:top + self.size[0], left:left + self.size[1]]
            return np.asarray(image)[top:top + self.size[0], left:left + self.size[1]]

    class Unchanged(Transform):  # random flips and jitter keep the shape: the check needs no more of them
        def __init__(self, *args, **kwargs):
            pass

        def apply(self, image):
            return image

    class Lambda(Transform):
        def __init__(self, fn):
            self.fn = fn

        def apply(self, image):
            return self.fn(image)

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        return m

    datasets = module("torchvision.datasets", **{name: dataset(name) for name in VISION})
    transforms = module("torchvision.transforms", Compose=Compose, ToTensor=ToTensor, Normalize=Normalize,
                        Resize=Resize, CenterCrop=CenterCrop, RandomCrop=CenterCrop, Lambda=Lambda,
                        RandomHorizontalFlip=Unchanged, RandomVerticalFlip=Unchanged, ColorJitter=Unchanged,
                        RandomRotation=Unchanged)
    utils = module("torchvision.utils", save_image=lambda *a, **k: None)
    root = module("torchvision", datasets=datasets, transforms=transforms, utils=utils, __version__="0.0 (stand-in)")
    return {"torchvision": root, "torchvision.datasets": datasets, "torchvision.transforms": transforms,
            "torchvision.utils": utils}


# packages whose results only show or log things (plots, progress bars, notebook display): when
# one is missing, a stand-in that does nothing keeps the rest of the program running
OUTPUT_ONLY = ("matplotlib", "seaborn", "IPython", "plotly", "tqdm", "pydot", "graphviz", "termcolor")


# how many times a program used a `Nothing`: a statement that fails after using one may have
# failed for that (an empty figure unpacked into two axes), so it is not blamed on the program;
# one that only names an output-only package (`tqdm.tqdm(range(n))`, a class whose method plots)
# keeps the blame it has
TOUCHED = [0]


class Nothing:
    """Whatever a plotting or display call returns: callable, indexable, iterable (empty),
    a context manager, and all of its attributes are more of the same."""

    tensorlint_does_nothing = True

    def __call__(self, *args, **kwargs):
        TOUCHED[0] += 1
        return self

    def __getattr__(self, name):
        if name.startswith("__") or name == "tensorlint_does_nothing":
            raise AttributeError(name)
        TOUCHED[0] += 1
        return self

    def __getitem__(self, key):
        TOUCHED[0] += 1
        return self

    def __iter__(self):
        TOUCHED[0] += 1
        return iter(())

    def __enter__(self):
        TOUCHED[0] += 1
        return self

    def __exit__(self, *exc):
        return False


def tqdm(iterable=None, *args, **kwargs):
    """tqdm(x) is x with a progress bar: without tqdm, x's items and a bar that shows nothing."""
    return ProgressBar(iterable) if iterable is not None else Nothing()


class ProgressBar(Nothing):
    """Iterates what it wraps; `set_postfix`, `update`, `close`... do nothing."""

    def __init__(self, iterable) -> None:
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)

    def __len__(self) -> int:
        return len(self.iterable)


class OutputModule(types.ModuleType):
    tensorlint_does_nothing = True

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("tqdm", "trange") and self.__name__.split(".")[0] == "tqdm":
            return tqdm if name == "tqdm" else (lambda *a, **k: range(*a))
        return Nothing()


def output_only_finder():
    """A finder, last on sys.meta_path, for the output-only packages nothing else provides."""
    import importlib.abc
    import importlib.machinery

    class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def __init__(self) -> None:
            self.used: list[str] = []

        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] not in OUTPUT_ONLY:
                return None
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

        def create_module(self, spec):
            module = OutputModule(spec.name)
            module.__path__ = []
            return module

        def exec_module(self, module) -> None:
            self.used.append(module.__name__)
            if self.on_import is not None:
                self.on_import(module.__name__)

        on_import = None

    return Finder()
