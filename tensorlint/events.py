"""Events the interpreter emits and rules subscribe to (see tensorlint.rule)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from .values import Value


@dataclass
class Site:
    """Where a finding about a value belongs: the call in the outermost frame through which
    the value came in, or the event's own node when the value was made where it is used."""

    node: cst.CSTNode  # the expression to underline
    arg: cst.CSTNode | None = None  # the argument expression that carries the value (for fixes)
    inner: cst.CSTNode | None = None  # the event's own node when the site is an outer call


@dataclass
class LayerCall:
    layer: Value  # Layer | Container | Instance
    args: list
    kwargs: dict
    node: cst.Call
    site: Site  # for the first argument
    sublayer: Value | None = None  # the framework layer that receives the value (first layer of a model)
    container: Value | None = None  # the model through which the value reached `sublayer`


@dataclass
class LossCall:
    loss: Value  # Loss
    args: list
    kwargs: dict
    node: cst.Call
    sites: list  # a Site per positional argument
    fw: str = "torch"


@dataclass
class TensorCreated:
    tensor: Value
    qualname: str
    kwargs: dict
    node: cst.Call
    kwarg_nodes: dict = field(default_factory=dict)


@dataclass
class MethodCall:
    receiver: Value
    method: str
    args: list
    kwargs: dict
    node: cst.Call


@dataclass
class GradOutputs:
    """`torch.autograd.grad(outputs, inputs, grad_outputs)`, `t.backward(gradient)`: the
    gradients a call gives for the outputs it backpropagates."""

    outputs: Value
    grads: Value
    node: cst.Call
    grads_node: cst.CSTNode | None  # the argument expression of the gradients


@dataclass
class ModuleMethod:
    """A method called on a model or layer (`model.forward(x)`, `model.eval()`)."""

    receiver: Value  # Instance | Layer | Container
    method: str
    node: cst.Call
    caller_self: Value | None = None  # `self` of the method making the call, if any


@dataclass
class GradRead:
    """`t.grad` read on a tensor; `backwards`: how many backward passes the program had run then."""
    tensor: Value
    node: cst.Attribute
    backwards: int


@dataclass
class GradAssign:
    target: Value
    value: Value
    node: cst.CSTNode  # the assignment statement
    value_node: cst.CSTNode
    site: Site


@dataclass
class AugAssign:
    """`target op= value` (`w -= lr * w.grad`)."""

    target: Value
    value: Value
    node: cst.AugAssign


@dataclass
class AttrAssign:
    target: Value
    attr: str
    value: Value
    node: cst.CSTNode


@dataclass
class Unpack:
    target: cst.CSTNode  # the Tuple / List target (`a, b` of `a, b = v` or `for a, b in xs`)
    value: Value  # what is unpacked: for a `for` loop, one element of the iterable
    node: cst.CSTNode  # the statement: Assign, For, With, ...


@dataclass
class OptimizerCreated:
    optimizer: Value
    params: Value
    node: cst.Call


@dataclass
class FitCall:
    model: Value  # Container | Instance
    method: str  # fit | evaluate | predict | train_on_batch | test_on_batch | __call__
    x: Value
    y: Value | None
    node: cst.Call
    x_site: Site | None
    y_site: Site | None
    kwargs: dict = field(default_factory=dict)  # the call's keyword arguments (shuffle=, batch_size=, ...)
    data: Value | None = None  # the first argument as given (a Dataset, a generator's (x, y)) before x/y were read from it


@dataclass
class CompileCall:
    model: Value
    loss: Value | None
    loss_node: cst.CSTNode | None
    node: cst.Call
    metrics: Value | None = None  # the `metrics=` argument
    metrics_node: cst.CSTNode | None = None


@dataclass
class ModuleDone:
    chunks: list  # the module's chunks, after every statement and function has run


@dataclass
class FunctionDef:
    func: Value  # Func
    node: cst.FunctionDef | cst.Lambda
    owner_kind: str | None  # kind of the class the method belongs to
    used_as_loss: str | None  # "keras" | "torch" | None: how the program uses it as a loss
    params: list  # parameter names (without self)


@dataclass
class UserCall:
    """A call of the program's own function, method, class (its `__init__`) or model (its
    `forward`/`call`), before the body runs."""

    func: Value  # Func: the definition the call runs
    node: cst.Call
    bound: int  # leading parameters the call does not write (the instance of a method or constructor)
    caller: Value | None  # Func whose body makes the call; None at a module's top level
    where_of: object = None  # for a definition read from a module the run does not follow: gives `functional.py:259`

    @property
    def where(self) -> str | None:
        """Where the definition is, asked for only by a finding (the module's lines are worked out
        once per module then)."""
        return self.where_of() if self.where_of is not None else None


@dataclass
class Compare:
    node: cst.Comparison
    left: Value
    ops: list  # list of (operator node, right Value, right node)


@dataclass
class Subscript:
    """`obj[index]` where an index is a tensor: `index` lists the evaluated index values (a slice
    as `SliceV`), `index_nodes` their expressions."""

    node: cst.Subscript
    obj: Value
    index: list
    index_nodes: list


@dataclass
class TapeGradient:
    tape: Value  # Context(kind="tape"); its `node` is the `with` statement
    target: Value
    sources: Value
    node: cst.Call


@dataclass
class GraphGradients:
    """`tf.gradients(ys, xs)` of a TF1 graph; `chained`: with `grad_ys` (the gradient of ys
    that another part of the graph supplies, as a policy-gradient update does)."""

    target: Value
    sources: Value
    node: cst.Call
    chained: bool = False


@dataclass
class GraphMinimize:
    """`optimizer.minimize(loss)` of a TF1 optimizer: `var_list` says whether the call names the
    variables to train (without it, every trainable variable the loss reaches is trained)."""

    loss: Value
    var_list: bool
    node: cst.Call


@dataclass
class ModelInputs:
    """A value fed to data consumers (model call, fit): for data-quality rules."""

    value: Value
    node: cst.CSTNode
    site: Site
    consumer: str
    extra: Any = None


@dataclass
class ApiCall:
    """A call to a framework function that rules check by its arguments (`torch.load`)."""

    qualname: str
    args: list
    kwargs: dict
    node: cst.Call
    arg_nodes: list = field(default_factory=list)
    kwarg_nodes: dict = field(default_factory=dict)


@dataclass
class Join:
    """Tensors joined along an axis: `torch.cat`/`torch.stack`/`tf.concat`/`np.concatenate`/
    `keras.layers.Concatenate`. `stack`: a new axis is inserted (all shapes must be equal)."""

    qualname: str
    parts: list  # the joined values, in order
    axis: Any  # int, or something unknown
    node: cst.CSTNode
    stack: bool = False


@dataclass
class Reduce:
    """A reduction (`x.mean()`, `torch.sum(x, 1)`, `tf.reduce_mean(x)`, `K.mean(x)`)."""

    value: Value  # the tensor reduced
    result: Value
    node: cst.CSTNode
    op: str = ""  # mean | sum | norm (a vector norm over the reduced dims)


@dataclass
class ModelBuilt:
    """A Keras Sequential model that declares its input shape got its layers (Keras builds it
    right away): `keras.Sequential([...])` or `model.add(layer)`."""

    model: Value  # Container
    node: cst.CSTNode


@dataclass
class Feed:
    """A value fed to a TF1 placeholder (`sess.run(op, feed_dict={x: value})`)."""

    placeholder: Value  # the placeholder as declared
    value: Value
    node: cst.CSTNode  # the value's expression in the feed


@dataclass
class Fetch:
    """A TF1 graph evaluated: `sess.run(fetches, feed_dict=...)` or `t.eval(feed_dict=...)`."""

    fetches: Value  # what is fetched: one tensor, or a list / tuple / dict of them
    feed: Value | None  # the FeedDict of the run, when there is one
    node: cst.Call  # the run / eval call
    fetch_node: cst.CSTNode | None  # the fetches' expression (the receiver of `.eval()`)


@dataclass
class Einsum:
    """`torch.einsum` / `tf.einsum` / `np.einsum` whose equation and operand ranks are read:
    `clashes` lists (label, (operand index, axis, size), (operand index, axis, size)) for a
    subscript given two different sizes; `rank_errors` (operand index, subscripts, rank) for an
    operand whose rank differs from its number of subscripts."""

    equation: str
    operands: list
    clashes: list
    rank_errors: list
    node: cst.CSTNode


@dataclass
class LambdaShape:
    """A Keras `Lambda` layer applied to tensors whose shapes are known, with a declared
    `output_shape` (a tuple, or a function of the input shapes) and a function the program
    defines: the shape the declaration gives (batch axis included) and the shape the function
    computes, both known, of the same rank."""

    layer: Value  # Layer
    node: cst.Call  # the call that applies the layer
    declared: tuple
    computed: tuple
    shape_node: cst.CSTNode | None  # where the declaration is written (the function's return, or the tuple)
