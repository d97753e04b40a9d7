"""`einsum` in torch, TensorFlow and NumPy: the output shape from the equation and the operands'
shapes, and the subscripts whose sizes disagree (rules read them from the `einsum` event)."""
from __future__ import annotations

from ..values import ANY, UNKNOWN, MutableList, Seq, Tensor
from . import shapes as S
from .common import grad_models, grad_of, recorded
from .ops import promote
from .registry import CALLS, register_aliases

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def parse(equation: str):
    """(input terms, output term or None) of an equation such as "bij,bjk->bik"; each term a
    tuple of labels with "..." for an ellipsis; None when it is not a valid equation."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    if arrow and "->" in rhs:
        return None

    def term(text):
        out = []
        i = 0
        while i < len(text):
            if text.startswith("...", i):
                if "..." in out:
                    return None
                out.append("...")
                i += 3
            elif text[i] in _LETTERS:
                out.append(text[i])
                i += 1
            else:
                return None
        return tuple(out)

    terms = [term(t) for t in lhs.split(",")]
    out = term(rhs) if arrow else None
    if any(t is None for t in terms) or (arrow and out is None):
        return None
    return terms, out


def _label_dims(term, shape):
    """[(label, axis, size)] of an operand, and its ellipsis dims; None when the rank differs."""
    explicit = [l for l in term if l != "..."]
    if "..." not in term:
        if len(shape) != len(explicit):
            return None
        return [(l, i, d) for i, (l, d) in enumerate(zip(term, shape))], ()
    n_ell = len(shape) - len(explicit)
    if n_ell < 0:
        return None
    k = term.index("...")
    before, after = term[:k], term[k + 1:]
    pairs = [(l, i, shape[i]) for i, l in enumerate(before)]
    pairs += [(l, len(shape) - len(after) + j, shape[len(shape) - len(after) + j]) for j, l in enumerate(after)]
    return pairs, tuple(shape[k:k + n_ell])


def einsum(call):
    eq = call.const(0, "equation")
    if not isinstance(eq, str):
        return UNKNOWN
    ops = list(call.args[1:])
    if len(ops) == 1 and isinstance(ops[0], (Seq, MutableList)):
        ops = list(ops[0].items)  # torch.einsum("ij,jk", [a, b])
    parsed = parse(eq)
    if parsed is None or not ops or not all(isinstance(t, Tensor) for t in ops) or len(parsed[0]) != len(ops):
        return UNKNOWN
    terms, out_term = parsed
    sizes: dict = {}
    clashes, rank_errors, ellipses = [], [], []
    shapes_known = True
    for k, (term, t) in enumerate(zip(terms, ops)):
        if t.shape is None or (t.shape and t.shape[0] is ANY):
            shapes_known = False
            continue
        read = _label_dims(term, tuple(t.shape))
        if read is None:
            rank_errors.append((k, "".join(term), len(t.shape)))
            continue
        pairs, ell = read
        ellipses.append(ell)
        for label, axis, d in pairs:
            seen = sizes.get(label)
            if seen is None or (not S.known_int(seen[2]) and S.known_int(d)):
                sizes[label] = (k, axis, d)
            elif S.known_int(seen[2]) and S.known_int(d) and d != seen[2] and 1 not in (d, seen[2]):
                clashes.append((label, seen, (k, axis, d)))
    interp = call.interp
    if (clashes or rank_errors) and interp.wants("einsum"):
        from ..events import Einsum

        interp.emit("einsum", Einsum(eq, ops, clashes, rank_errors, call.node))
    if out_term is None:
        counts: dict = {}
        for term in terms:
            for l in term:
                if l != "...":
                    counts[l] = counts.get(l, 0) + 1
        out_term = (("...",) if any("..." in t for t in terms) else ()) + tuple(sorted(l for l, c in counts.items() if c == 1))
    shape = None
    if shapes_known and not clashes and not rank_errors:
        ell = ()
        for e in ellipses:
            ell = S.broadcast(ell, e) if ell is not None else None
        dims = []
        for l in out_term:
            if l == "...":
                if ell is None:
                    dims = None
                    break
                dims.extend(ell)
            elif l in sizes:
                dims.append(sizes[l][2])
            else:
                dims = None  # an output label no operand has: the framework raises
                break
        shape = tuple(dims) if dims is not None else None
    first = ops[0]
    dtype = first.dtype
    for t in ops[1:]:
        dtype = promote(dtype, t.dtype, first.fw)
    return first.with_(shape=shape, dtype=dtype, node=call.node, name=None, depth=min(t.depth for t in ops),
                       requires_grad=grad_of(*ops), models=grad_models(*ops), tapes=recorded(interp, *ops),
                       labels=any(t.labels for t in ops), magnitude=None, param=False, onehot=False, activation=None,
                       scale=None, broadcast=None)


CALLS.update({"torch.einsum": einsum, "tensorflow.einsum": einsum, "numpy.einsum": einsum})
register_aliases({"tensorflow.linalg.einsum": "tensorflow.einsum", "torch.functional.einsum": "torch.einsum"})
