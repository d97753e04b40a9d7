"""Tensor attributes and methods, subscripts, iteration."""
from __future__ import annotations

from ..values import (
    ANY, SOME_INT, UNKNOWN, Const, Container, Dataset, KeyedDict, MutableList, RangeV, Seq, Tensor, UnknownInt, UnknownShape, Value,
    is_int_dtype,
)
from ..joins import join
from ..api import SliceV
from . import shapes as S
from . import devices, layout as L
from .registry import TENSOR_METHODS
from .common import grad_models, grad_of, subset_span, uniform_span


def tensor_attribute(interp, t: Tensor, attr: str, node) -> Value:
    if attr == "shape":
        return size_value(t)
    if attr == "T" or attr == "mT":
        if t.shape is not None and ANY not in t.shape[:1]:
            st = L.strides(t)
            if st is not None:
                st = st[::-1] if attr == "T" else st[:-2] + st[-2:][::-1]
            out = t.with_(shape=tuple(reversed(t.shape)) if attr == "T" else t.shape[:-2] + t.shape[-2:][::-1], node=node, name=None)
            return L.with_strides(out, st)
        return t.with_(shape=None, node=node, name=None)
    if attr == "dtype":
        return Const(t.dtype) if t.dtype else UNKNOWN
    if attr == "ndim":
        return Const(t.rank) if t.rank is not None else UNKNOWN
    if attr in ("data",):
        return t.with_(node=node, requires_grad=False, name=None)
    if attr == "grad" and interp.wants("grad_read"):
        from ..events import GradRead

        interp.emit("grad_read", GradRead(t, node, interp.backwards))
    from ..api import BoundBuiltin

    return BoundBuiltin(t, attr)


def size_value(t: Tensor) -> Value:
    """`x.shape` / `x.size()`. The dims of a torch tensor or ndarray are ints even where their
    values are not known; a TensorFlow dim that is not known may be None."""
    ints = t.fw in ("torch", "np")
    if t.shape is None or ANY in t.shape[:1]:
        return UnknownShape(tuple(t.shape[1:]) if t.shape else ()) if ints else UNKNOWN
    return Seq("tuple", tuple(Const(d) if S.known_int(d) else SOME_INT if ints else UNKNOWN for d in t.shape))


def tensor_method(call, t: Tensor, name: str) -> Value:
    fn = TENSOR_METHODS.get(name)
    interp = call.interp
    if interp.wants("method_call"):
        from ..events import MethodCall

        interp.emit("method_call", MethodCall(t, name, call.args, call.kwargs, call.node))
    if name.endswith("_") and not name.startswith("_"):
        if fn is None and name[:-1] in RESHAPING_IN_PLACE:
            fn = TENSOR_METHODS.get(name[:-1])
        return _in_place(call, t, name, fn)
    if fn is None:
        return UNKNOWN
    if name in NUMPY_IN_PLACE and t.fw == "np":
        # `a.resize((21, 1))` changes the array itself and returns None
        _rebind_receiver(call, fn(call, t))
        return Const(None)
    out = fn(call, t)
    if name in SAME_DEVICE and isinstance(out, Tensor) and devices.of(out) is None \
            and not any(isinstance(v, Tensor) for v in (*call.args, *call.kwargs.values())):
        out = devices.kept(t, out)  # computed from the receiver alone: where the receiver lives
    return out


# torch methods whose result, computed from the receiver alone, lives on the receiver's device
SAME_DEVICE = frozenset((
    "sum", "mean", "prod", "norm", "std", "var", "abs", "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "softmax",
    "log_softmax", "neg", "pow", "clamp", "sign", "round", "floor", "ceil", "cumsum", "argmax", "argmin",
    "float", "double", "half", "long", "int", "bool", "byte", "detach", "clone", "contiguous",
    "view", "reshape", "flatten", "squeeze", "unsqueeze", "permute", "transpose", "t", "expand", "repeat",
))


# torch in-place methods that change the receiver's shape; where no transfer function says how,
# the receiver's shape becomes unknown
SHAPE_IN_PLACE = frozenset(("resize_", "resize_as_", "unsqueeze_", "squeeze_", "t_", "transpose_", "swapaxes_",
                            "swapdims_", "as_strided_", "set_"))
# ndarray methods that change the array they are called on (the torch spellings end with `_`)
NUMPY_IN_PLACE = frozenset({"resize"})
# torch in-place methods that change the receiver's shape as their out-of-place form does
RESHAPING_IN_PLACE = frozenset({"squeeze", "unsqueeze", "t", "transpose", "swapaxes"})


def _rebind_receiver(call, new) -> None:
    """The name the method was called on (`data` in `data.resize(...)`) now holds `new`."""
    import libcst as cst

    receiver = getattr(call.node, "func", None)
    if isinstance(new, Tensor) and isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
        call.interp.rebind(call.frame, receiver.value.value, new)


def _in_place(call, t: Tensor, name: str, fn) -> Value:
    """`x.requires_grad_()`, `acc.add_(loss)`: the name bound to the receiver changes too."""
    import libcst as cst

    out = fn(call, t) if fn is not None else UNKNOWN
    if name in SHAPE_IN_PLACE and not isinstance(out, Tensor):
        out = t.with_(shape=None)  # `images.resize_(64, 784)` not modeled: the receiver's shape is unknown
    if isinstance(out, Tensor) and name != "requires_grad_" and (out.shape != t.shape or out.dtype != t.dtype):
        # `x.squeeze_(-1)`, `x.resize_(2, 3)`, `x.unsqueeze_(0)`: the receiver itself changes shape
        _rebind_receiver(call, out)
        return out
    if name == "requires_grad_":
        new = out if isinstance(out, Tensor) else t.with_(requires_grad=None)
    elif t.requires_grad is True:
        return out
    else:
        flags = [grad_of(v) if isinstance(v, Tensor) else (False if isinstance(v, Const) else None)
                 for v in (*call.args, *call.kwargs.values())]
        if all(f is False for f in flags):
            return out
        new = t.with_(requires_grad=True if True in flags else None, models=t.models | grad_models(*call.args))
        if True in flags and call.node is not None:
            # autograd records the write: the tensor is no longer the one its factory made (a leaf)
            # but the result of this call (`out = torch.zeros(n, d)` then `out.scatter_add_(0, i, h)`,
            # after which `out += x` is allowed); its device and strides do not change
            new = L.with_strides(devices.kept(t, new.with_(node=call.node)), L.strides(t))
    receiver = getattr(call.node, "func", None)
    if isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
        call.interp.rebind(call.frame, receiver.value.value, new)
    return new if name == "requires_grad_" else out


def subscript(interp, obj: Value, idx: list, node) -> Value:
    if isinstance(obj, KeyedDict):
        if obj.exact and len(idx) == 1 and isinstance(idx[0], Const):
            return obj.items.get(idx[0].value, UNKNOWN)
        return UNKNOWN
    if isinstance(obj, MutableList) and not obj.exact:
        if len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
            i = idx[0].value
            if i < 0 and -i <= obj.tail:
                return obj.items[i]
            return iterate(interp, obj)  # one of its items
        return UNKNOWN
    if isinstance(obj, (Seq, MutableList)) and len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
        i = idx[0].value
        if -len(obj.items) <= i < len(obj.items):
            return obj.items[i]
        return UNKNOWN
    if isinstance(obj, Container) and obj.kind == "torch.nn.ModuleDict":
        # a module under a key the program fixed; any other key raises or is not known
        if obj.keys is not None and len(idx) == 1 and isinstance(idx[0], Const) and idx[0].value in obj.keys:
            return obj.layers[obj.keys.index(idx[0].value)]
        return UNKNOWN
    if isinstance(obj, Container) and len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
        i = idx[0].value
        if -len(obj.layers) <= i < len(obj.layers):
            return obj.layers[i]
        return UNKNOWN
    if isinstance(obj, Tensor):
        out = _index_tensor(obj, idx, node)
        if obj.fw == "np" and obj.dtype in (None, "object") and isinstance(out, Tensor) and out.shape == ():
            # an element of an array of objects (a state array beside its reward), or of an array
            # whose items nothing shows to be numbers: any Python object, not known to be a number
            return UNKNOWN
        return out
    if isinstance(obj, UnknownShape) and len(idx) == 1 and isinstance(idx[0], Const) and S.known_int(idx[0].value):
        return obj.item(idx[0].value)  # `x.shape[0]` of a tensor of unknown rank: an int
    return UNKNOWN


def _index_tensor(t: Tensor, idx: list, node) -> Value:
    out = _index_tensor_shape(t, idx, node)
    return part_of_draws(out)


def part_of_draws(t):
    """A part of independent uniform draws holds, once sizable, values near both ends of the
    interval, as many as its size says (`uniform_span`)."""
    if isinstance(t, Tensor) and t.draws is not None and t.span is None:
        lo, hi, source = t.draws
        span = uniform_span(lo, hi, t.shape, source)
        return t.with_(span=span) if span is not None else t
    return t


def _index_tensor_shape(t: Tensor, idx: list, node) -> Value:
    from ..api import SliceV

    # an element or a slice of independent draws is independent draws from the same interval; an
    # array index may pick by value (`x[x > 0.5]`, `x[np.argsort(x)[:10]]`)
    draws = t.draws if not any(isinstance(ix, Tensor) for ix in idx) else None
    base = dict(node=node, name=None, magnitude=t.magnitude, span=subset_span(t.span), draws=draws, param=False, onehot=False)
    shape = t.shape
    rows = idx[0] if len(idx) == 1 else None
    if isinstance(rows, Tensor) and is_int_dtype(rows.dtype) and rows.dtype != "bool" and t.rank:
        # indexing with an integer array picks rows: `x[batch_idx]`, `np.eye(n)[labels]` (one-hot rows)
        lead = rows.shape if rows.shape is not None and ANY not in rows.shape[:1] else None
        rest = shape[1:] if shape is not None and ANY not in shape[:1] else None
        out = lead + rest if lead is not None and rest is not None else None
        if t.onehot and t.rank == 2:
            return t.with_(shape=out, node=node, name=None, origin=node, labels=rows.labels, param=False, onehot=True)
        return t.with_(shape=out, **base)
    if shape is None or ANY in shape[:1]:
        return t.with_(shape=None, **base)
    out = []
    # the strides of the result: a basic index keeps the strides of the dims it keeps, times a slice's step
    strides, new_st = L.strides(t), []
    pos = 0
    for i, ix in enumerate(idx):
        if isinstance(ix, Const) and ix.value is Ellipsis:
            return t.with_(shape=None, **base)
        if pos >= len(shape):
            if isinstance(ix, Const) and ix.value is None:
                out.append(1)
                new_st.append(1)
                continue
            return t.with_(shape=None, **base)
        if isinstance(ix, Const) and S.known_int(ix.value) or isinstance(ix, UnknownInt):
            pos += 1  # an int index, its value known or not, takes one dim away
        elif isinstance(ix, Const) and ix.value is None:
            out.append(1)
            new_st.append(1)
        elif isinstance(ix, Tensor) and len(idx) == 1 and is_int_dtype(ix.dtype) and ix.dtype != "bool":
            # `X[perm]`: an integer array picks along the first dim; the dims after it stay
            lead = tuple(ix.shape) if ix.shape is not None else (ANY,)
            # rows picked from one-hot rows (`np.eye(n)[y]`) are one-hot; labels picked stay labels
            return t.with_(shape=lead + tuple(shape[1:]), **{**base, "onehot": t.onehot})
        elif isinstance(ix, Tensor) and len(idx) == 1 and ix.dtype == "bool" and ix.rank is not None and ix.rank >= 1:
            return t.with_(shape=(None,) + tuple(shape[ix.rank:]), **base)  # a mask: some rows
        elif isinstance(ix, SliceV):
            d = shape[pos]
            lo, hi, st = ix.lower, ix.upper, ix.step
            if all(isinstance(v, Const) and (v.value is None or S.known_int(v.value)) for v in (lo, hi, st)) and S.known_int(d):
                out.append(_slice_length(d, lo.value, hi.value, st.value))
            elif all(isinstance(v, Const) and v.value is None for v in (lo, hi, st)):
                out.append(d)
            else:
                out.append(None)
            step = ix.step.value if isinstance(ix.step, Const) else UNKNOWN
            step = 1 if step is None else step
            new_st.append(strides[pos] * step if strides is not None and S.known_int(step) and step > 0 else None)
            pos += 1
        else:
            return t.with_(shape=None, **base)
    out.extend(shape[pos:])
    result = t.with_(shape=tuple(out), **base)
    if strides is None or None in new_st:
        return result
    return L.with_strides(result, tuple(new_st) + strides[pos:])


def _slice_length(d: int, lo, hi, step):
    """How many of d items `[lo:hi:step]` keeps; None for a step of 0 or sizes past what Python
    can index (a dimension of 10**30 written in the program)."""
    try:
        return len(range(d)[slice(lo, hi, step)])
    except (OverflowError, ValueError):
        return None


def iterate(interp, it: Value) -> Value:
    """One element of iterating `it` (a batch of a loader, a row of a tensor)."""
    if isinstance(it, Dataset):
        items = []
        n = len(it.tensors)
        for i, t in enumerate(it.tensors):
            if isinstance(t, Tensor):
                if it.batched:
                    shape = ("B",) + tuple(t.shape[1:]) if t.shape and ANY not in t.shape[:1] else None
                else:
                    shape = tuple(t.shape[1:]) if t.shape and ANY not in t.shape[:1] else None
                item = t.with_(shape=shape, name=None, labels=t.labels or (n >= 2 and i == n - 1), param=False)
                items.append(L.contiguous(item) if it.batched and it.stacked else item)
            else:
                items.append(UNKNOWN)
        return Seq("tuple", tuple(items)) if n != 1 or it.tupled else items[0]
    if isinstance(it, Tensor):
        if it.shape and ANY not in it.shape[:1]:
            return it.with_(shape=tuple(it.shape[1:]), name=None, param=False)
        return it.with_(shape=None, name=None, param=False)
    if isinstance(it, ZipV):
        return Seq("tuple", tuple(iterate(interp, x) for x in it.parts))
    if isinstance(it, EnumerateV):
        return Seq("tuple", (SOME_INT, iterate(interp, it.inner)))  # (the count, an item)
    if isinstance(it, RangeV):
        return SOME_INT
    if isinstance(it, (Seq, MutableList)) and it.items:
        out = it.items[0]
        for v in it.items[1:64]:
            out = join(out, v)
        out = out if len(it.items) <= 64 else UNKNOWN
        for v in it.items:
            if isinstance(v, MutableList) and v is not out:
                # the loop variable may be this list (`for col, v in zip(cols, row): col.append(v)`),
                # and what the body appends to it is not followed: its length is no longer known
                v.exact, v.tail = False, 0
        return out
    return UNKNOWN


class ZipV(Value):
    __slots__ = ("parts",)

    def __init__(self, parts):
        self.parts = parts


class EnumerateV(Value):
    __slots__ = ("inner",)

    def __init__(self, inner):
        self.inner = inner


