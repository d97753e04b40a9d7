"""What a TF1 graph tensor was computed from: the dependency record of the graph model.

Each graph tensor made by a TensorFlow op, an arithmetic operator or an index carries a
`Lineage`: the lineages of the tensors the op read differentiably (`grad`) and of those it read
only by value, through an op without a gradient (`cut`: `tf.stop_gradient`, comparisons,
`tf.argmax`, rounding, integer casts). Placeholders and variables are the leaves (`source`).
The record is a graph of parent pointers: making a tensor costs one small object, and only a
question (does this tensor reach that one, and how) walks it.

Unknown stays unknown: an op with an input the analysis does not follow (an unknown value, a
tensor made without a record) is marked `complete=False`; a walk that meets such an op cannot
say that a tensor is *not* reached, only that it is.
"""
from __future__ import annotations

from .values import Const, MutableList, Ref, Seq, Tensor, UnknownInt, Value

# the most lineages one question walks; past this the answer is unknown
MAX_VISITS = 20000


class Lineage:
    __slots__ = ("grad", "cut", "source", "complete", "node", "frame")

    def __init__(self, grad: tuple = (), cut: tuple = (), source: str | None = None, complete: bool = True, node=None,
                 frame=None):
        self.grad = grad  # lineages read differentiably
        self.cut = cut  # lineages read only by value
        self.source = source  # "placeholder" | "variable" for a leaf
        self.complete = complete  # every input of the op is recorded
        self.node = node  # the expression that made the tensor
        self.frame = frame  # the interpreter's frame that ran it (its calls lead there)


def source(kind: str, node) -> Lineage:
    """The record of a placeholder or a variable."""
    return Lineage(source=kind, node=node)


def _inputs(values, out: list) -> bool:
    """Collect the lineages of the tensors among `values` (items of exact tuples and lists
    included) into `out`; False when one of them may be a tensor without a record."""
    complete = True
    for v in values:
        if isinstance(v, Tensor):
            if v.lineage is None:
                complete = False
            else:
                out.append(v.lineage)
        elif isinstance(v, Seq) or (isinstance(v, MutableList) and v.exact):
            complete = _inputs(v.items, out) and complete
        elif not isinstance(v, (Const, Ref, UnknownInt)) and not _plain(v):
            complete = False
    return complete


def _plain(v: Value) -> bool:
    """A value that is no tensor: a function, a class, a layer object, a dtype."""
    from .values import ClassV, Container, Func, Layer, Loss

    return isinstance(v, (Func, ClassV, Layer, Container, Loss))


def recorded(*values) -> bool:
    """Some tensor among `values` carries a record (the program builds a TF1 graph from it)."""
    for v in values:
        if isinstance(v, Tensor):
            if v.lineage is not None:
                return True
        elif isinstance(v, Seq) or isinstance(v, MutableList):
            if recorded(*v.items):
                return True
    return False


def made(node, grad_values=(), cut_values=(), extra: tuple = (), complete: bool = True, frame=None) -> Lineage:
    """The record of a tensor an op made at `node` from `grad_values` (read differentiably) and
    `cut_values` (read by value only); `extra`: lineages read differentiably besides (the
    variables a layer makes)."""
    grad: list = list(extra)
    cut: list = []
    complete = _inputs(grad_values, grad) and complete
    complete = _inputs(cut_values, cut) and complete
    return Lineage(tuple(grad), tuple(cut), None, complete, node, frame)


def joined(a: Lineage | None, b: Lineage | None) -> Lineage | None:
    """The record of a value that is one of two tensors (where control flow meets)."""
    if a is b:
        return a
    if a is None and b is None:
        return None
    parents = tuple(x for x in (a, b) if x is not None)
    return Lineage(parents, (), None, a is not None and b is not None, None)


def _walk(start: Lineage, through_cuts: bool):
    """The lineages `start` was computed from (itself first), each once, by differentiable
    inputs only or also by value (`through_cuts`); None is yielded, and the walk ends, past
    `MAX_VISITS`."""
    seen = {id(start)}
    stack = [start]
    while stack:
        n = stack.pop()
        yield n
        for parent in n.grad + n.cut if through_cuts else n.grad:
            if id(parent) in seen:
                continue
            if len(seen) >= MAX_VISITS:
                yield None
                return
            seen.add(id(parent))
            stack.append(parent)


def reaches(start: Lineage, target: Lineage, through_cuts: bool) -> bool | None:
    """Whether the tensor recorded by `start` was computed from the one recorded by `target`:
    differentiably only, or also by value (`through_cuts`). True when a path is found; False
    when every op on the way is fully recorded and none leads there; None otherwise."""
    known = True
    for n in _walk(start, through_cuts):
        if n is None:
            return None
        if n is target:
            return True
        known = known and n.complete
    return False if known else None


def cut_on_the_way(start: Lineage, target: Lineage):
    """The op without a gradient through which `start` reads `target` (its node), when `start`
    reaches it differentiably up to that op; None when there is none to name."""
    for n in _walk(start, False):
        if n is None:
            return None
        if any(reaches(c, target, True) for c in n.cut):
            return n.node
    return None


def reads_variable(start: Lineage) -> bool:
    """Whether the tensor is computed, differentiably, from a trainable variable."""
    return any(n is not None and n.source == "variable" for n in _walk(start, False))


def branch_reading(start: Lineage, target: Lineage):
    """Where the program makes an op that reads `target` (a placeholder, say) on a branch that
    `start` reads only by value, past an op without a gradient (a bootstrapped target behind
    `tf.stop_gradient`), and that `start` does not also read differentiably: the op's own
    expression, or, when the differentiable branch runs that same expression (a function that
    builds both networks), the innermost call leading to it that the other branch does not make.
    None when there is none."""
    live = set()
    places = set()
    cuts = []
    for n in _walk(start, False):
        if n is None:
            return None
        live.add(id(n))
        places.update(map(id, _chain(n)))
        cuts.extend(n.cut)
    for c in cuts:
        for n in _walk(c, True):
            if n is None:
                return None
            if id(n) not in live and n.node is not None and any(p is target for p in n.grad + n.cut):
                return next((x for x in _chain(n) if id(x) not in places), None)
    return None


def _chain(n: Lineage) -> list:
    """The expression that made `n`, then the calls that led to it, innermost first."""
    out = [n.node] if n.node is not None else []
    f = n.frame
    while f is not None and f.call_node is not None:
        out.append(f.call_node)
        f = f.parent
    return out
