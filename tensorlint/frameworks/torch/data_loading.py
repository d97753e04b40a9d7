"""PyTorch datasets and loaders: `TensorDataset`, the map-style datasets a program defines (one
sample built by its `__getitem__`, checked against a torchvision transform it was given), and
the batches a `DataLoader` yields from them (stacked by the default collate, or what a
`collate_fn` of the program returns). `training` puts `tensor_dataset` and `data_loader` in the
table of calls."""
from __future__ import annotations

from ...values import ANY, UNKNOWN, BoundMethod, Const, Dataset, Func, Instance, Loss, MutableList, Seq, Tensor, Value
from ..registry import INSTANCE_BUILT
from .vision import Transform


def tensor_dataset(call):
    tensors = tuple(call.args)
    interp = call.interp
    if interp.wants("dataset"):
        from ...events import LossCall

        interp.emit("dataset", LossCall(Loss("torch.utils.data.TensorDataset", {}, "torch", call.node), list(tensors), {}, call.node, [call.site(t) for t in tensors]))
    return Dataset(tensors, False, call.node, tupled=True)


def _collate(sample: Value) -> Value:
    """One sample as `default_collate` batches it, with the batch axis left out: tensors and
    arrays keep their shape and dtype (as torch tensors), Python ints become int64 and floats
    float64 scalars."""
    if isinstance(sample, Tensor):
        return sample.with_(fw="torch", name=None, param=False, requires_grad=False)
    if isinstance(sample, Const) and type(sample.value) in (int, float):
        return Tensor(shape=(), dtype="int64" if type(sample.value) is int else "float64", fw="torch")
    return UNKNOWN


def _sample(call, inst: Instance) -> Value | None:
    """One sample of a map-style dataset the file defines: what its `__getitem__(index)` builds
    (None when it has none)."""
    getitem = inst.cls.lookup("__getitem__")
    if not isinstance(getitem, Func):
        return None
    index = Tensor(shape=(), dtype="int64", fw="np")  # the loader passes an int below len(dataset)
    return call.interp.call(BoundMethod(getitem, inst), call.with_args([index]))


def _transform_checked(call, inst: Instance) -> None:
    """A dataset of the program built with a torchvision transform (`MyDataset(...,
    transform=Compose([...]))`): one sample is built where the dataset is, as a loader would build
    it, so that the transform is checked against the images the dataset's `__getitem__` makes (as
    it is for torchvision's own datasets), whatever later becomes of the dataset."""
    if not isinstance(inst.cls.lookup("__getitem__"), Func):
        return
    if not any(isinstance(v, Transform) for v in inst.attrs.values()):
        return
    _sample(call, inst)


INSTANCE_BUILT.append(_transform_checked)


def _sample_dataset(call, inst: Instance) -> Value:
    """A map-style dataset the file defines: `__getitem__(index)` builds one sample; the loader
    stacks the samples of a batch."""
    sample = _sample(call, inst)
    if sample is None:
        return UNKNOWN
    items = [_collate(v) for v in (sample.items if isinstance(sample, Seq) else (sample,))]
    if not 1 <= len(items) <= 3 or not all(isinstance(t, Tensor) for t in items):
        return UNKNOWN
    return Dataset(tuple(t.with_(shape=(None,) + tuple(t.shape) if t.shape is not None and ANY not in t.shape[:1] else None)
                         for t in items), False, call.node, tupled=isinstance(sample, Seq))


def _collated(call, collate) -> Value:
    """The batches of a loader given a `collate_fn`: what that function of the file returns for
    a list of the dataset's samples (what the dataset's `__getitem__` builds, where the file
    defines it; unknown samples otherwise). The loader yields it on every pass; a collate
    function from elsewhere makes the batches unknown."""
    if not isinstance(collate, Func):
        return UNKNOWN
    ds = call.arg(0, "dataset")
    sample = _sample(call, ds) if isinstance(ds, Instance) else None
    samples = MutableList([sample if sample is not None else UNKNOWN], exact=False)
    batch = call.interp.call(collate, call.with_args([samples]))
    return MutableList([batch], exact=False) if batch is not UNKNOWN else UNKNOWN


def data_loader(call):
    collate = call.arg(6, "collate_fn")
    if collate is not None and not (isinstance(collate, Const) and collate.value is None):
        return _collated(call, collate)
    ds = call.arg(0, "dataset")
    if isinstance(ds, Instance):
        ds = _sample_dataset(call, ds)
    if isinstance(ds, Dataset):
        tensors = ds.tensors
        if any(not _none(call.arg(i, name)) for i, name in ((3, "sampler"), (4, "batch_sampler"))):
            # a sampler may draw a part of the data: the values a pass reaches are not known
            tensors = tuple(t.with_(span=None) if isinstance(t, Tensor) else t for t in tensors)
        bs = call.arg(1, "batch_size")
        if isinstance(bs, Const) and bs.value is None:
            return Dataset(tensors, False, call.node, tupled=ds.tupled)
        return Dataset(tensors, True, call.node, stacked=True, tupled=ds.tupled)
    return UNKNOWN


def _none(value) -> bool:
    return value is None or isinstance(value, Const) and value.value is None
