"""Where control flow meets: `join`, the least value that stands for both of two values."""
from __future__ import annotations

from .lineage import joined
from .values import ANY, SOME_INT, UNKNOWN, Const, Dataset, Layer, Seq, Tensor, Unbound, Value, is_int_value


def join(a: Value, b: Value) -> Value:
    """The least value that stands for both (used where control flow meets)."""
    if a is b:
        return a
    if isinstance(a, Unbound):
        return b
    if isinstance(b, Unbound):
        return a
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return _join_tensors(a, b)
    if isinstance(a, Const) and isinstance(b, Const) and type(a.value) is type(b.value) and a.value == b.value:
        return a
    if is_int_value(a) and is_int_value(b):
        return SOME_INT  # two different ints
    if isinstance(a, Seq) and isinstance(b, Seq) and a.kind == b.kind and len(a.items) == len(b.items):
        return Seq(a.kind, tuple(join(x, y) for x, y in zip(a.items, b.items)), a.fields if a.fields == b.fields else ())
    if isinstance(a, Layer) and isinstance(b, Layer) and a.kind == b.kind and a.fw == b.fw and a.spec is b.spec \
            and a.dtype == b.dtype:
        return _join_layers(a, b)
    if isinstance(a, Dataset) and isinstance(b, Dataset) and a.batched == b.batched and a.tupled == b.tupled and len(a.tensors) == len(b.tensors):
        # the dataset one of several branches made (`if opt.dataset == "cifar10": ... elif ...`)
        return Dataset(tuple(join(x, y) for x, y in zip(a.tensors, b.tensors)), a.batched, a.node if a.node is b.node else None,
                       tupled=a.tupled)
    return UNKNOWN


def _join_layers(a: Layer, b: Layer) -> Layer:
    """Two layers of one kind built on different paths (`nn.Dropout(0.5)` or `nn.Dropout(0.1)`):
    a layer of that kind whose arguments are those both paths agree on, the others unknown."""
    def same(x, y) -> bool:
        return x is y or (not isinstance(x, Value) and type(x) is type(y) and x == y)

    facts = {k: v if k in b.facts and same(v, b.facts[k]) else UNKNOWN for k, v in a.facts.items()}
    facts.update((k, UNKNOWN) for k in b.facts if k not in a.facts)
    return Layer(a.kind, facts, a.fw, a.node if a.node is b.node else None, a.name if a.name == b.name else None,
                 a.dtype, a.spec)


def _joined_layout(a: Tensor, b: Tensor):
    """The strides both paths give a tensor (`x` or `x.cuda()`: the same), for the joined tensor."""
    if a.layout is None or b.layout is None:
        return None
    if a.node is b.node and a.node is not None:
        return a.layout if a.layout == b.layout else None
    from .frameworks.layout import strides  # (frameworks import this module)

    sa = strides(a)
    return (None, sa) if sa is not None and a.shape == b.shape and sa == strides(b) else None


def _join_tensors(a: Tensor, b: Tensor) -> Tensor:
    if a.shape == b.shape:
        shape = a.shape
    elif a.shape is not None and b.shape is not None and len(a.shape) == len(b.shape) and ANY not in (a.shape[:1] + b.shape[:1]):
        shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
    elif a.shape is not None and b.shape is not None:
        # ranks differ (or one is open): only the dims counted from the end that both have
        ta = a.shape[1:] if a.shape and a.shape[0] is ANY else a.shape
        tb = b.shape[1:] if b.shape and b.shape[0] is ANY else b.shape
        n = min(len(ta), len(tb))
        tail = tuple(x if x == y else None for x, y in zip(ta[len(ta) - n:], tb[len(tb) - n:]))
        shape = (ANY,) + tail
    else:
        shape = None
    return Tensor(
        shape=shape,
        dtype=a.dtype if a.dtype == b.dtype else None,
        fw=a.fw if a.fw == b.fw else "torch",
        node=a.node if a.node is b.node else None,
        name=a.name if a.name == b.name else None,
        depth=min(a.depth, b.depth),
        requires_grad=a.requires_grad if a.requires_grad == b.requires_grad else None,
        labels=a.labels and b.labels,
        nan=a.nan and b.nan,
        magnitude=a.magnitude if a.magnitude == b.magnitude else None,
        onehot=a.onehot and b.onehot,
        classes=a.classes and b.classes,
        scale_mix=a.scale_mix and b.scale_mix,
        normalized=a.normalized or b.normalized,
        param=a.param and b.param,
        origin=a.origin if a.origin is b.origin else None,
        activation=a.activation if a.activation == b.activation else None,
        tapes=tuple(t for t in a.tapes if t in b.tapes),
        models=a.models | b.models,
        span=a.span if a.span == b.span else None,
        draws=a.draws if a.draws == b.draws else None,
        layout=_joined_layout(a, b),
        lineage=joined(a.lineage, b.lineage),
    )
