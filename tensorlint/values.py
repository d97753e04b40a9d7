"""Abstract values of the interpreter.

Unknown is always a valid answer. A tensor's shape is a tuple of dims; a dim is an int, a
symbol (str, e.g. "B" for a batch of unknown size) or None (unknown). A shape that starts
with `ANY` has an unknown number of leading dims: only the dims after it, counted from the
end, are known (`(ANY, 16, None, None)` is "something with 16 channels at dim -3").
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import libcst as cst

from .dims_and_dtypes import (  # noqa: F401  (the names the modules import from here)
    ANY, COMPLEX_DTYPES, FLOAT_DTYPES, INT_DTYPES, is_float_dtype, is_int_dtype, shape_list, shape_text,
)


class Value:
    __slots__ = ()

    def describe(self) -> str:
        return "unknown"


class Unknown(Value):
    __slots__ = ()

    def __repr__(self) -> str:
        return "Unknown"


UNKNOWN = Unknown()


class UnknownInt(Unknown):
    """An int whose value is not known (`x.size(0)` of a tensor whose dim 0 is not known,
    `len(xs)`). It is unknown everywhere a value is needed; only where the type alone decides
    does it count: `(n,)` and `torch.zeros(n)` are rank-1 shapes whatever n is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UnknownInt"

    def describe(self) -> str:
        return "int"


SOME_INT = UnknownInt()


class RangeV(Unknown):
    """`range(...)`: unknown as a value, but each of its items is an int (so `x[i]` drops a dim)."""

    __slots__ = ()


class GraphOp(Unknown):
    """An op of a TF1 graph whose value is not followed, with the record of what it reads
    (`lineage`): the training op `optimizer.minimize(loss)` reads the loss."""

    __slots__ = ("lineage",)

    def __init__(self, lineage):
        self.lineage = lineage

    def __repr__(self) -> str:
        return "GraphOp"


class Device(Unknown):
    """A `torch.device` (or the device string it is made from) whose kind the program fixes:
    "cpu", or "cuda" for the accelerator (also the one a program picks where one is present,
    `"cuda" if torch.cuda.is_available() else "cpu"`). Unknown to everything else."""

    __slots__ = ("kind",)

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"Device({self.kind})"


class UnknownShape(Unknown):
    """The shape of a torch tensor or ndarray whose rank is not known (`x.size()`, `x.shape`): a
    tuple of ints of unknown length; `tail` holds the dims known from the end."""

    __slots__ = ("tail",)

    def __init__(self, tail: tuple = ()):
        self.tail = tail

    def __repr__(self) -> str:
        return f"UnknownShape{self.tail!r}"

    def item(self, i: int) -> Value:
        """Item i: a known dim from the end, else an int of unknown value."""
        d = self.tail[i] if i < 0 and -i <= len(self.tail) else None
        return Const(d) if isinstance(d, int) and not isinstance(d, bool) else SOME_INT


def is_int_value(v) -> bool:
    """The value is an int, its value known or not."""
    return isinstance(v, UnknownInt) or (isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool))


class Unbound(Value):
    """A name with no value on some path (joined away with the other path's value)."""

    __slots__ = ()


UNBOUND = Unbound()


@dataclass(frozen=True, eq=False)
class Const(Value):
    value: Any

    def describe(self) -> str:
        return repr(self.value)


@dataclass(frozen=True, eq=False)
class Seq(Value):
    kind: str  # "tuple" | "list"
    items: tuple
    fields: tuple = ()  # a named tuple's field names, one per item (`torch.topk`'s values, indices)

    def describe(self) -> str:
        return f"{self.kind} of {len(self.items)}"


@dataclass(eq=False)
class MutableList(Value):
    """A list the program appends to (`layers = []; layers.append(...)`).

    A list that grows inside a loop whose number of iterations is not known (`for f in
    os.listdir(...)`, `while`) has an unknown length: `exact` is False, `items` holds what
    was appended (the loop's items once or twice), and only the last `tail` items, appended
    after that loop, are known to end the list in that order."""

    items: list
    exact: bool = True
    level: int = 0  # how many loops of unknown length were running when it was made
    tail: int = 0

    MAX_ITEMS = 256  # past this the list's length is not followed (and memory stays bounded)

    def append(self, value: Value, level: int) -> None:
        if len(self.items) >= self.MAX_ITEMS:
            self.exact, self.tail = False, 0
            return
        self.items.append(value)
        if level > self.level:
            self.exact, self.tail = False, 0
        else:
            self.tail += 1

    def extend(self, other: "Seq | MutableList", level: int) -> None:
        for v in list(other.items):  # a copy: `a.extend(a)` doubles a once
            self.append(v, level)
        if isinstance(other, MutableList) and not other.exact:
            self.exact, self.tail = False, 0


@dataclass(eq=False)
class KeyedDict(Value):
    """A dict literal with constant keys and tensors among its values: the hand-made weights of
    a TF1 model (`weights = {'h1': tf.Variable(tf.random_normal([784, 256])), ...}`); `d['h1']`
    is the value stored under that key; also a configuration of constants under constant keys
    (`cfg = {"hidden": 128}`, `nn.ModuleDict({"enc": ...})`'s dict). Once the program stores into
    it or calls a method that may change it, `exact` is False and no lookup is followed any more."""

    items: dict
    exact: bool = True
    # a configuration (no tensor among its values): read only where the program stores into no
    # dict of the name it is read through (`interp.helpers.dict_read`)
    config: bool = False


def exact_items(v: Value):
    """The items of a tuple or list whose length is known, else None."""
    if isinstance(v, Seq) or (isinstance(v, MutableList) and v.exact):
        return v.items
    return None


def known_tail(v: "MutableList") -> list:
    """The items known to end a list of unknown length (appended after the loop that grew it)."""
    return list(v.items[len(v.items) - v.tail:]) if v.tail else []


@dataclass(frozen=True, eq=False)
class Ref(Value):
    """A name from outside the file, by canonical qualified name: `torch.nn.Linear`."""

    qualname: str

    def describe(self) -> str:
        return self.qualname


@dataclass(frozen=True, eq=False)
class Tensor(Value):
    shape: tuple | None = None  # None: unknown rank and dims
    dtype: str | None = None
    fw: str = "torch"  # torch | tf | np | keras (symbolic)
    node: cst.CSTNode | None = field(default=None, repr=False)  # where it was made (or last reshaped)
    name: str | None = None  # the variable it was bound to, for messages
    depth: int = 0  # depth of the frame that made it
    requires_grad: bool | None = None
    labels: bool = False  # derived from the labels of a batch / fit target
    nan: bool = False  # holds a nan/inf literal
    magnitude: tuple | None = None  # (smallest nonzero |x|, largest |x|) of literal data
    # (lo, hi, source): the data is known to hold values as low as lo and as high as hi (a literal's
    # min and max; -inf/inf for a generator whose values are unbounded, such as randn); source says how
    span: tuple | None = None
    # (lo, hi, source): each element is an independent draw from the real interval [lo, hi) (a fresh
    # `np.random.rand` array, moved by literal numbers: `rand(30) * 2 - 1`); None where not known
    draws: tuple | None = None
    # (kind, source, node): while this tensor's node is `node`, a number or array made from the
    # whole array `source`: "min"/"max" (its least/greatest value), "shifted" (`source` less its
    # least value), "width" (its greatest less its least value): the parts of min-max scaling
    minmax: tuple | None = field(default=None, repr=False)
    onehot: bool = False  # made by one_hot / to_categorical
    classes: bool = False  # class ids from a labeled data set (make_classification, load_data): categories, not quantities
    scale_mix: bool = False  # concatenation of features whose scales differ >= 100x
    normalized: bool = False  # passed through a scaler / normalization
    scale: float | None = None  # literal factor the data was multiplied by
    param: bool = False  # a trainable parameter of a model
    activation: str | None = None  # last activation applied: softmax | sigmoid | log_softmax | linear
    tapes: tuple = ()  # GradientTape blocks active when it was computed
    models: frozenset = frozenset()  # ids of the models whose forward pass produced it
    origin: cst.CSTNode | None = field(default=None, repr=False)  # creation site (kept through reshapes)
    # (left, right, node, op) of the subtraction (or product) that made it when the operands broadcast to a
    # shape larger than both (`(N, 1) - (N,)`) or (subtraction only) cannot be broadcast; kept through elementwise ops
    broadcast: tuple | None = field(default=None, repr=False)
    # (node, strides): a torch tensor's element strides, valid while `node` is its node (frameworks/layout.py)
    layout: tuple | None = field(default=None, repr=False)
    leading: tuple | None = field(default=None, repr=False)  # (node, dims, dense): first dims of a tensor of unknown rank
    # (node, "cpu" | "cuda"): where a torch tensor lives, valid while `node` is the tensor's node
    # (frameworks/devices.py); None where the program does not make it known
    device: tuple | None = field(default=None, repr=False)
    lineage: Any = field(default=None, repr=False)  # what a TF1 graph tensor was computed from (lineage.Lineage), or None

    def with_(self, **kw) -> "Tensor":
        """A copy with the fields `kw` names changed: what `dataclasses.replace` gives (a
        tensor has no `__post_init__` and every field is in `__init__`), without its checks
        and rebuilding, at a third of the cost on the interpreter's hottest path."""
        fields = _TENSOR_FIELDS
        for name in kw:
            if name not in fields:
                raise TypeError(f"Tensor has no field {name!r}")
        new = object.__new__(type(self))
        state = new.__dict__
        state.update(self.__dict__)
        state.update(kw)
        return new

    @property
    def rank(self) -> int | None:
        if self.shape is None or (self.shape and self.shape[0] is ANY):
            return None
        return len(self.shape)

    def dim(self, i: int):
        """Dim i (negative from the end), or None when unknown."""
        s = self.shape
        if s is None:
            return None
        if s and s[0] is ANY:
            if i >= 0 or -i > len(s) - 1:
                return None
            return s[i]
        if -len(s) <= i < len(s):
            return s[i]
        return None

    def describe(self) -> str:
        return f"{'Tensor' if self.fw != 'np' else 'ndarray'}[{shape_text(self.shape)}] {self.dtype or '?'}"


# what `Tensor.with_` may change: every field (all of them are `__init__` arguments)
_TENSOR_FIELDS = frozenset(f.name for f in fields(Tensor) if f.init)


def unbounded(span) -> bool:
    """A span of values unbounded on both sides (a sizable normal sample): any sizable part of
    the data still holds large values of both signs."""
    return span is not None and span[0] == float("-inf") and span[1] == float("inf")


class _Kinded(Value):
    """A value named by the canonical qualified name of what made it (`kind`)."""

    __slots__ = ()

    @property
    def short(self) -> str:
        return self.kind.rsplit(".", 1)[-1]

    def describe(self) -> str:
        return self.short


@dataclass(eq=False)
class Layer(_Kinded):
    """A framework layer instance (`nn.Conv2d(3, 16, 3)`, `keras.layers.Dense(10)`)."""

    kind: str  # canonical qualified name
    facts: dict
    fw: str
    node: cst.CSTNode | None = field(default=None, repr=False)
    name: str | None = None
    dtype: str = "float32"
    spec: Any = None  # the framework table row
    device: str | None = None  # "cuda" once the program moves it there (`.cuda()`, `.to(device)`)


@dataclass(eq=False)
class Container(_Kinded):
    """nn.Sequential / nn.ModuleList / nn.ModuleDict / keras.Sequential / keras functional Model."""

    kind: str
    layers: list
    fw: str
    node: cst.CSTNode | None = field(default=None, repr=False)
    name: str | None = None
    dtype: str = "float32"
    input_shape: tuple | None = None  # declared, without the batch dim (keras)
    inputs: tuple = ()  # functional model inputs
    input_value: Value | None = None  # keras functional model: its inputs as the program gave them (a tensor, a list)
    outputs: Value | None = None  # functional model output value
    loss: Value | None = None  # keras compile(loss=...)
    compile_node: cst.CSTNode | None = field(default=None, repr=False)
    first_fed: tuple | None = None  # keras Sequential without a declared input: the data shape it is built from
    optimizer: Value | None = None  # keras compile(optimizer=...)
    device: str | None = None  # "cuda" once the program moves it there (`.cuda()`, `.to(device)`)
    keys: tuple | None = None  # an nn.ModuleDict's keys, one per item of `layers` in order; None: not known


@dataclass(eq=False)
class Loss(_Kinded):
    kind: str  # canonical qualified name of the class or function
    facts: dict
    fw: str
    node: cst.CSTNode | None = field(default=None, repr=False)
    name: str | None = None


@dataclass(eq=False)
class Metric(_Kinded):
    """A Keras metric object (`keras.metrics.BinaryAccuracy(threshold=0)`) with its literal settings."""

    kind: str  # canonical qualified name of the class
    facts: dict


@dataclass(eq=False)
class Optimizer(Value):
    kind: str
    params: Value
    node: cst.CSTNode | None = field(default=None, repr=False)
    lr: Value | None = None  # the learning rate it was built with (a Keras optimizer's `learning_rate`)
    steps_elsewhere: bool = False  # stepped by the program itself (`apply_gradients`, `minimize`) besides `fit`


@dataclass(eq=False)
class Schedule(Value):
    """A Keras learning-rate schedule (`keras.optimizers.schedules.PiecewiseConstantDecay`...).
    `steady`: how many optimizer steps, counted from the first, keep the initial rate (the
    first boundary of a piecewise schedule, the decay period of a staircase decay); None
    where the rate moves from the first step on or the program does not fix when."""

    kind: str
    steady: int | None
    node: cst.CSTNode | None = field(default=None, repr=False)
    arg: cst.CSTNode | None = field(default=None, repr=False)  # the argument that sets `steady`


@dataclass(eq=False)
class Context(Value):
    """A context manager the interpreter knows: no_grad / inference_mode / GradientTape."""

    kind: str  # no_grad | enable_grad | tape | other
    node: cst.CSTNode | None = field(default=None, repr=False)
    persistent: bool = False


@dataclass(eq=False)
class Dataset(Value):
    """TensorDataset / a loader over one: iterating yields one batch of each tensor."""

    tensors: tuple
    batched: bool = False
    node: cst.CSTNode | None = field(default=None, repr=False)
    shuffled: cst.CSTNode | None = field(default=None, repr=False)  # the `.shuffle()` call that reorders it
    stacked: bool = False  # batches that torch's default collate stacks: new contiguous tensors
    tupled: bool = False  # each element a sequence even of one tensor (torch's `TensorDataset(x)` gives `(x[i],)`)


class FeedDict(Value):
    """A dict literal with tensors among its keys: the feed of a TF1 graph (`{x: batch_x}`).
    `pairs` holds (key, value, key node, value node). Other dicts are not followed."""

    __slots__ = ("pairs",)

    def __init__(self, pairs):
        self.pairs = pairs


@dataclass(eq=False)
class Func(Value):
    node: cst.FunctionDef | cst.Lambda = field(repr=False)
    owner: "ClassV | None" = None
    env: dict | None = None  # enclosing function scope (closures)
    name: str = "<lambda>"
    chunk: int = 0  # index of the chunk that defines it
    module: Any = field(default=None, repr=False)  # the frame of the project module defining it (None: this file)


@dataclass(eq=False)
class ClassV(Value):
    name: str
    node: cst.ClassDef = field(repr=False)
    bases: tuple
    methods: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)
    kind: str | None = None  # torch.module | keras.layer | keras.model | keras.loss | None
    # a dataclass's (fields, whether its written __init__ is followed) (interp/dataclass_fields.py); None otherwise
    fields: tuple | None = None

    def lookup(self, name: str):
        if name in self.methods:
            return self.methods[name]
        if name in self.attrs:
            return self.attrs[name]
        for b in self.bases:
            if isinstance(b, ClassV):
                found = b.lookup(name)
                if found is not None:
                    return found
        return None


@dataclass(eq=False)
class Instance(Value):
    cls: ClassV
    attrs: dict = field(default_factory=dict)
    node: cst.CSTNode | None = field(default=None, repr=False)
    name: str | None = None
    dtype: str = "float32"
    initialized: bool = False
    device: str | None = None  # "cuda" once the program moves it there (`.cuda()`, `.to(device)`)

    def describe(self) -> str:
        return self.cls.name


@dataclass(eq=False)
class BoundMethod(Value):
    func: Func
    self_value: Value


@dataclass(eq=False)
class Super(Value):
    instance: Value
    cls: ClassV | None
