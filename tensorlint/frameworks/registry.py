"""The tables framework knowledge fills, and how a name finds its entry.

One module per framework fills the tables below; the interpreter looks up a call by the
canonical qualified name of its target (`torch.nn.Linear`, `keras.layers.Dense`,
`numpy.random.rand`). Adding a layer is adding a row in a module's table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..values import UNKNOWN, Const, Layer, Loss, MutableList, Ref, Seq, Value

CALLS: dict[str, Callable] = {}  # qualname -> fn(call) -> Value
LAYERS: dict[str, "LayerSpec"] = {}
LOSSES: dict[str, "LossSpec"] = {}
DTYPES: dict[str, str] = {}  # qualname of a dtype object -> dtype name
TENSOR_METHODS: dict[str, Callable] = {}  # name -> fn(call, tensor) -> Value
OBJECT_METHODS: dict[tuple, Callable] = {}  # (type name, method) -> fn(call, obj) -> Value
OBJECT_ATTRIBUTES: dict[tuple, Callable] = {}  # (type name, attribute) -> fn(obj) -> Value
MODEL_CALLS: dict[str, Callable] = {}  # framework -> fn(call, model): a container model called on values
LAYER_CALLED: dict[str, Callable] = {}  # framework -> fn(layer, input, output): a layer applied to a value
INSTANCE_BUILT: list[Callable] = []  # fn(call, instance): an instance of a class of the program, its __init__ run


def canonical(qualname: str) -> str:
    """One name for each API: `tensorflow.keras.layers.Dense` -> `keras.layers.Dense`."""
    got = _CANONICAL.get(qualname)
    if got is None:
        if len(_CANONICAL) > 65536:
            _CANONICAL.clear()
        got = _CANONICAL[qualname] = _canonical(qualname)
    return got


_CANONICAL: dict[str, str] = {}  # qualname -> its canonical name (emptied when the aliases change)


def _canonical(qualname: str) -> str:
    q = qualname
    if q.startswith("tensorflow.compat.v1.") or q.startswith("tensorflow.compat.v2."):
        q = "tensorflow." + q[21:]
    if q.startswith("tensorflow.python.keras"):
        q = "keras" + q[len("tensorflow.python.keras"):]
    if q == "tensorflow.keras" or q.startswith("tensorflow.keras."):
        q = "keras" + q[len("tensorflow.keras"):]
    if q.startswith("keras.src."):
        q = "keras." + q[len("keras.src."):]
    if q.startswith("keras.api."):
        q = "keras." + q[len("keras.api."):]
    if q.startswith("torch.nn.modules."):
        parts = q.split(".")
        if len(parts) == 5:  # torch.nn.modules.linear.Linear
            q = "torch.nn." + parts[4]
    head, _, last = q.rpartition(".")
    short = MODULE_ALIASES.get(head)
    if short is not None:
        q = short + "." + last
    return ALIASES.get(q, q)


ALIASES: dict[str, str] = {}  # qualname -> qualname
MODULE_ALIASES: dict[str, str] = {}  # module path -> the module whose names it re-exports (legacy paths)
CONSTANTS: dict[str, object] = {}  # qualname -> Python value (numpy.nan, math.inf, torch.float32 is a dtype)


def ref(qualname: str) -> Value:
    """The value of an imported name: a constant (`np.nan`) or a reference (`torch.nn.Linear`)."""
    q = canonical(qualname)
    c = CONSTANTS.get(q)
    if c is not None:
        return Const(c)
    return Ref(q)


def known_api(qualname: str) -> bool:
    """A canonical name the tables model."""
    return qualname in CALLS or qualname in LAYERS or qualname in LOSSES or qualname in DTYPES or qualname in CONSTANTS


def register_aliases(mapping: dict, modules: dict | None = None) -> None:
    ALIASES.update(mapping)
    MODULE_ALIASES.update(modules or {})
    _CANONICAL.clear()


# -- layers -----------------------------------------------------------------------------------

@dataclass
class Expectation:
    """What a layer requires of its input: `size` at dim `axis` (negative, from the end)."""

    kind: str  # "channels" | "features"
    axis: int
    size: int
    param: str  # the constructor argument that set it


@dataclass
class LayerSpec:
    params: tuple  # constructor parameters in positional order
    fw: str
    transfer: Callable | None = None  # fn(layer, tensor, call) -> Value
    expects: Callable | None = None  # fn(layer, tensor) -> list[Expectation]
    float_input: bool = True  # computes with float weights: int input fails
    int_input: bool = False  # wants integer indices (Embedding)
    defaults: dict = field(default_factory=dict)
    category: str = "layer"  # layer | activation | container | merge
    activation: str | None = None  # fixed activation of activation layers
    normalize: Callable | None = None  # fn(facts) -> facts: older spellings of the arguments
    settings: Callable | None = None  # fn(facts, call) -> facts: what the program's global settings decide
    weights: Callable | None = None  # fn(facts, call) -> the dtype of the weights it makes (None: not known)
    kind: str | None = None  # the layer it makes, where the spelling names another (Keras 1 `Convolution2D`)

    def construct(self, call, qualname: str) -> Value:
        facts = dict(self.defaults)
        for i, v in enumerate(call.args):
            if i < len(self.params):
                facts[self.params[i]] = plain(v)
        for k, v in call.kwargs.items():
            facts[k] = plain(v)
        if isinstance(facts.get("activation"), Ref):  # activation=tf.nn.softmax, keras.activations.sigmoid
            facts["activation"] = activation_name(facts["activation"]) or facts["activation"]
        if self.normalize is not None:
            facts = self.normalize(facts)
        if self.settings is not None:
            facts = self.settings(facts, call)
        if self.activation is not None:
            facts.setdefault("activation", self.activation)
        layer = Layer(self.kind or qualname, facts, self.fw, call.node, spec=self)
        if self.weights is not None:
            layer.dtype = self.weights(facts, call)
        return layer


# where an activation passed as a function (not its name) lives: keras.activations.softmax,
# tf.nn.relu, tf.math.sigmoid, tf.tanh
ACTIVATION_MODULES = ("keras.activations", "tensorflow.nn", "tensorflow.math", "tensorflow")
ACTIVATION_FUNCTIONS = frozenset((
    "softmax", "log_softmax", "sigmoid", "hard_sigmoid", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu",
    "tanh", "softplus", "softsign", "swish", "silu", "mish", "exponential", "linear"))


def activation_name(v: Value) -> str | None:
    """`"softmax"` for a reference to a framework's softmax function, None for anything else."""
    module, _, name = canonical(v.qualname).rpartition(".") if isinstance(v, Ref) else ("", "", "")
    return name if module in ACTIVATION_MODULES and name in ACTIVATION_FUNCTIONS else None


def plain(v: Value):
    """Constructor arguments as plain Python values where known (ints, tuples, strings)."""
    if isinstance(v, Const):
        return v.value
    if isinstance(v, Seq) or isinstance(v, MutableList):
        items = tuple(plain(x) for x in v.items)
        return items
    if isinstance(v, Ref) and v.qualname in DTYPES:
        return DTYPES[v.qualname]
    return v


@dataclass
class LossSpec:
    fw: str
    kind: str  # categorical | sparse_categorical | binary | regression | nll | ...
    logits: bool | None = None  # torch: the input is logits (CrossEntropyLoss) or probabilities
    elementwise: bool = False
    call: Callable | None = None  # fn(call, loss) -> Value
    params: tuple = ()
    is_function: bool = False  # keras.losses.categorical_crossentropy(y_true, y_pred)

    def construct(self, call, qualname: str) -> Value:
        if self.is_function:
            return self.call(call, Loss(qualname, {}, self.fw, call.node)) if self.call else UNKNOWN
        facts = {}
        for i, v in enumerate(call.args):
            if i < len(self.params):
                facts[self.params[i]] = plain(v)
        for k, v in call.kwargs.items():
            facts[k] = plain(v)
        return Loss(qualname, facts, self.fw, call.node)


