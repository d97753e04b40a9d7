"""PyTorch tensor methods that change a tensor's shape or layout, not its values: `view`/`reshape`,
`flatten`, `squeeze`/`unsqueeze`, `permute`/`transpose`/`t`, `contiguous` and `expand`."""
from __future__ import annotations

from ...values import ANY, Const, MutableList, Seq, Tensor
from ..common import derive, dtype_of, shape_from_args
from .. import layout as L, shapes as S


def view(call, t):
    args = call.args
    if len(args) == 1 and isinstance(args[0], Const) and not S.known_int(args[0].value):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)  # view(dtype)
    if len(args) == 1 and isinstance(args[0], Ref_types()):
        return derive(t, call, dtype=dtype_of(args[0]) or t.dtype)
    target = shape_from_args(call, 0, "shape")
    interp = call.interp
    if interp.wants("reshape"):
        from ...events import MethodCall

        interp.emit("reshape", MethodCall(t, "view", call.args, call.kwargs, call.node))
    shape = S.reshape(t.shape, target) if target is not None else None
    out = derive(t, call, shape=shape, param=False, span=t.span)
    st = L.strides(t)
    if st is None or not _is_view(call):
        return out  # what `reshape` returns may be a copy or a view: its layout is not known
    new = L.resolved_shape(t.shape, target)
    return L.with_strides(out, L.view_strides(t.shape, st, new) if new is not None else None)


def _is_view(call) -> bool:
    import libcst as cst

    func = getattr(call.node, "func", None)
    return isinstance(func, cst.Attribute) and func.attr.value == "view"


def Ref_types():
    from ...values import Ref

    return Ref


def view_as(call, t):
    o = call.arg(0)
    return derive(t, call, shape=o.shape if isinstance(o, Tensor) else None, param=False)


def flatten(call, t):
    start = call.const(0, "start_dim", 0)
    end = call.const(1, "end_dim", -1)
    return derive(t, call, shape=flatten_shape(t.shape, start, end), param=False)


def flatten_shape(shape, start, end):
    if shape is None or not isinstance(start, int) or not isinstance(end, int):
        return None
    if shape and shape[0] is ANY:
        if start < 0 and end == -1:
            tail = shape[1:]
            if -start <= len(tail):
                n = S.numel(tail[start:])
                return (ANY,) + tuple(tail[:start]) + (n,)
        return None
    n = len(shape)
    if n == 0:
        return (1,)
    s, e = start % n, end % n
    if s > e:
        return None
    mid = S.numel(shape[s:e + 1])
    return tuple(shape[:s]) + (mid,) + tuple(shape[e + 1:])


def squeeze(call, t):
    dim = call.const(0, "dim")
    if t.shape is None or ANY in t.shape[:1]:
        if isinstance(dim, int) and dim < 0 and t.shape is not None and -dim < len(t.shape) and t.dim(dim) == 1:
            s = list(t.shape)
            del s[dim]
            return derive(t, call, shape=tuple(s))
        return derive(t, call, shape=None)
    if dim is None:
        if all(S.known_int(d) for d in t.shape):
            return derive(t, call, shape=tuple(d for d in t.shape if d != 1))
        return derive(t, call, shape=None)
    if isinstance(dim, int) and -len(t.shape) <= dim < len(t.shape):
        s = list(t.shape)
        if s[dim] == 1:
            del s[dim]
        elif s[dim] is None or isinstance(s[dim], str):
            return derive(t, call, shape=None)
        return derive(t, call, shape=tuple(s))
    return derive(t, call, shape=None)


def unsqueeze(call, t):
    dim = call.const(0, "dim")
    if t.shape is None or ANY in t.shape[:1] or not isinstance(dim, int):
        return derive(t, call, shape=None)
    s = list(t.shape)
    n = len(s) + 1
    if -n <= dim < n:
        s.insert(dim % n, 1)
        return L.with_strides(derive(t, call, shape=tuple(s)), L.unsqueezed(t.shape, L.strides(t), dim % n))
    return derive(t, call, shape=None)


def permute(call, t):
    dims = [a.value if isinstance(a, Const) else None for a in call.args]
    if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
        dims = [a.value if isinstance(a, Const) else None for a in call.args[0].items]
    if t.shape is None or ANY in t.shape[:1] or len(dims) != len(t.shape) or not all(isinstance(d, int) for d in dims):
        return derive(t, call, shape=None)
    return L.with_strides(derive(t, call, shape=tuple(t.shape[d] for d in dims)), L.permuted(L.strides(t), dims))


def transpose(call, t):
    if t.fw == "np":
        return np_transpose(call, t)
    a, b = call.const(0, "dim0"), call.const(1, "dim1")
    if t.shape is None or ANY in t.shape[:1] or not isinstance(a, int) or not isinstance(b, int):
        return derive(t, call, shape=None)
    s = list(t.shape)
    try:
        s[a], s[b] = s[b], s[a]
    except IndexError:
        return derive(t, call, shape=None)
    return L.with_strides(derive(t, call, shape=tuple(s)), L.transposed(L.strides(t), a, b))


def np_transpose(call, t):
    """NumPy's `a.transpose(*axes)` / `np.transpose(a, axes)`: no axes reverse the order of the
    dims; otherwise the axes, as separate ints or one sequence, are a permutation of all of them
    (not PyTorch's swap of two dims: `x.transpose(0, 2, 3, 1)` of `[N, C, H, W]` is `[N, H, W, C]`)."""
    args = list(call.args)
    if "axes" in call.kwargs:
        args = [call.kwargs["axes"]]
    if len(args) == 1 and isinstance(args[0], (Seq, MutableList)):
        args = list(args[0].items)
    elif len(args) == 1 and isinstance(args[0], Const) and args[0].value is None:
        args = []
    if t.shape is None or ANY in t.shape[:1]:
        return derive(t, call, shape=None)
    rank = len(t.shape)
    if not args:
        return derive(t, call, shape=tuple(reversed(t.shape)))
    dims = [a.value if isinstance(a, Const) else None for a in args]
    if not all(isinstance(d, int) and not isinstance(d, bool) and -rank <= d < rank for d in dims):
        return derive(t, call, shape=None)
    dims = [d % rank for d in dims]
    if sorted(dims) != list(range(rank)):
        return derive(t, call, shape=None)  # NumPy raises; nothing is claimed of the result
    return derive(t, call, shape=tuple(t.shape[d] for d in dims))


def t_method(call, t):
    if t.shape is None and t.leading is not None and t.leading[0] is t.node and len(t.leading[1]) == 2:
        return _t_of_leading(call, t)
    if not t.shape or ANY in t.shape[:1] or len(t.shape) > 2:
        return derive(t, call, shape=None)
    st = L.strides(t)
    return L.with_strides(derive(t, call, shape=tuple(reversed(t.shape))), st[::-1] if st is not None else None)


def _t_of_leading(call, t):
    """`.t()` of a tensor known to have at least two dims: it takes no more, so the tensor is
    `[n, k]` and its transpose `[k, n]`. Where it is contiguous (a new tensor that `topk` made)
    with `k` known, the strides `(1, k)` of the transpose do not depend on `n`; they count once
    the program makes `n` known (`expand_as`, see `expand_as` below)."""
    _, (n, k), dense = t.leading
    out = derive(t, call, shape=(k, n), leading=None)
    return out.with_(layout=(out.node, (1, k))) if dense and S.known_int(k) else out


def contiguous(call, t):
    st = L.strides(t)
    out = derive(t, call, param=False, span=t.span)  # the same data
    if st is not None and L.is_contiguous(t.shape, st):
        return L.with_strides(out, st)  # already contiguous: the same tensor
    return L.contiguous(out)


def expand(call, t):
    target = shape_from_args(call, 0, "size")
    if target is None:
        return derive(t, call, shape=None)
    # -1 keeps the input's size in that dim
    src = t.shape if t.shape is not None and ANY not in t.shape[:1] else None
    dims = []
    for i, d in enumerate(target):
        if d == -1:
            k = i - (len(target) - len(src)) if src is not None else -1
            dims.append(src[k] if src is not None and 0 <= k < len(src) else None)
        else:
            dims.append(d)
    return L.with_strides(derive(t, call, shape=tuple(dims)), _expanded_strides(t, dims))


def expand_as(call, t):
    """`t.expand_as(other)`: other's shape, where a dim `t` does not broadcast (not 1) keeps its
    size, which expand requires to be other's (`[1, B]` expanded as `[5, None]` is `[5, B]`)."""
    o = call.arg(0, "other")
    if not isinstance(o, Tensor) or o.shape is None or ANY in o.shape[:1]:
        return derive(t, call, shape=None, param=False)
    dims = list(o.shape)
    src = t.shape if t.shape is not None and ANY not in t.shape[:1] and len(t.shape) <= len(dims) else None
    if src is not None:
        lead = len(dims) - len(src)
        for i, d in enumerate(src):
            if d != 1 and d is not None and dims[lead + i] is None:
                dims[lead + i] = d
        _pin(call, o, tuple(dims))
    return L.with_strides(derive(t, call, shape=tuple(dims), param=False), _expanded_strides(t, dims) if src is not None else None)


def _pin(call, o, dims) -> None:
    """`other` of a successful `expand_as` has the sizes the expanded tensor gives it: where its
    own were not known, the name it is read from holds them from now on (the same tensor, its
    node and layout kept)."""
    import libcst as cst

    node = call.arg_node(0, "other")
    if dims != o.shape and type(node) is cst.Name:
        call.interp.rebind(call.frame, node.value, o.with_(shape=dims))


def current(call, x):
    """The receiver of a method as the program knows it once the call's arguments ran: an
    argument may have made its unknown dims known (`pred.eq(y.expand_as(pred))`)."""
    import libcst as cst

    node = getattr(call.node, "func", None)
    node = node.value if type(node) is cst.Attribute else None
    if type(node) is not cst.Name or x.shape is None or None not in x.shape:
        return x
    now = call.interp.eval(node, call.frame)
    return now if isinstance(now, Tensor) and now.node is x.node and now.shape != x.shape else x


def _expanded_strides(t, dims):
    """`expand` keeps the strides of the dims it keeps; a dim it grows or adds has stride 0."""
    st = L.strides(t)
    n = L.sizes(dims)
    if st is None or n is None or len(dims) < len(st):
        return None
    lead = len(dims) - len(st)
    out = [stride if size == old else 0 for size, old, stride in zip(dims[lead:], t.shape, st)]
    for i in range(lead - 1, -1, -1):  # a new leading dim (torch's strides, for a size-1 one too)
        out.insert(0, 0 if n[i] != 1 else (n[i + 1] * out[0] if i + 1 < len(n) else 1))
    return tuple(out)
