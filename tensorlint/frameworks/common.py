"""Helpers every framework's transfer functions share: dtypes of arguments, tensors made
and derived, gradients, shapes and data given as literals."""
from __future__ import annotations

import re

import libcst as cst

from ..values import ANY, Const, MutableList, RangeV, Ref, Seq, Tensor, UnknownInt, Value, exact_items, unbounded
from ..values import COMPLEX_DTYPES, FLOAT_DTYPES, INT_DTYPES
from . import shapes as S
from .registry import DTYPES


# dtype names given as strings: NumPy reads "float" as float64, TensorFlow as float32
STRING_DTYPES = {
    "np": {"float": "float64", "int": "int64", "double": "float64", "long": "int64", "half": "float16",
           "single": "float32", "float_": "float64", "int_": "int64", "bool_": "bool"},
    "tf": {"float": "float32", "double": "float64", "half": "float16"},
}
DTYPE_NAMES = FLOAT_DTYPES | INT_DTYPES | COMPLEX_DTYPES | {"bool", "string"}


def dtype_of(v: Value | None, fw: str = "np") -> str | None:
    """The dtype named by a value: `torch.float64`, `np.float32`, `"int32"`, `tf.int64`,
    `torch.FloatTensor`; a string is read the way framework `fw` reads it (np, tf)."""
    if v is None:
        return None
    if isinstance(v, Ref):
        return DTYPES.get(v.qualname)
    if isinstance(v, Const) and isinstance(v.value, str):
        name = v.value
        if name in DTYPES:  # "torch.FloatTensor" as `x.type()` names it
            return DTYPES[name]
        name = STRING_DTYPES.get(fw, STRING_DTYPES["np"]).get(name, name)
        return name if name in DTYPE_NAMES else None
    if isinstance(v, Const) and v.value in (float, int, bool):
        return {float: "float64", int: "int64", bool: "bool"}[v.value]
    return None


def dtype_given(call, index: int | None, name: str = "dtype") -> bool:
    """The call names a dtype (`dtype=None` names none)."""
    v = call.arg(index, name)
    return v is not None and not (isinstance(v, Const) and v.value is None)


def dtype_arg(call, index: int | None, default: str | None = None, fw: str = "np", name: str = "dtype") -> str | None:
    """The dtype a call's dtype argument names: `default` when there is none, None when it is
    given but its value is not known (`dtype=x.dtype` of an unknown `x`): never a guess."""
    if not dtype_given(call, index, name):
        return default
    return dtype_of(call.arg(index, name), fw)


class TextSearch:
    """Whether a program text matches `pattern` anywhere (a setting the program changes for the
    whole file, from wherever it runs), searched once per text: a file makes many tensors and
    layers, and a search per call cost a pass over the file each. The last few texts searched
    are kept (a file, and the project modules it reads)."""

    def __init__(self, pattern: str):
        self.pattern = re.compile(pattern)
        self.seen: dict = {}  # id(text) -> (the text, the answer)

    def __call__(self, text: str) -> bool:
        got = self.seen.get(id(text))
        if got is None or got[0] is not text:
            if len(self.seen) > 8:
                self.seen.clear()
            got = self.seen[id(text)] = (text, self.pattern.search(text) is not None)
        return got[1]


# -- shared transfer helpers ---------------------------------------------------------------

def make(call, shape, dtype, fw, **kw) -> Tensor:
    node = call.node
    kw.setdefault("tapes", call.interp.tapes)
    if fw == "torch":
        kw.setdefault("requires_grad", False)
    return Tensor(shape=shape, dtype=dtype, fw=fw, node=node, depth=call.depth, origin=node, **kw)


def derive(t: Tensor, call, **changes) -> Tensor:
    """A new tensor computed from `t` at this call (keeps data facts such as labels/nan)."""
    changes.setdefault("node", call.node)
    changes.setdefault("depth", call.depth)
    changes.setdefault("name", None)
    # a value computed from t holds other values: only operations that move, reshape or retype
    # the data (and say so) keep its span
    # class ids stay class ids only where the data is moved, reshaped or retyped (the span is kept)
    changes.setdefault("classes", t.classes and "span" in changes)
    changes.setdefault("span", None)
    changes.setdefault("draws", None)
    changes.setdefault("lineage", None)  # (recorded by the caller that knows all the op's inputs)
    if "tapes" not in changes and (t.tapes or call.interp.tapes):
        changes["tapes"] = recorded(call.interp, t)
    return t.with_(**changes)


def recorded(interp, *inputs) -> tuple:
    """The GradientTapes that record an operation on these inputs: those active now that also
    recorded how each input that came from a tape was computed."""
    active = interp.tapes
    if not active:
        return ()
    # inputs computed from trainable weights must themselves have been recorded by the tape
    taped = [v for v in inputs if isinstance(v, Tensor) and v.requires_grad is True and not v.param]
    return tuple(t for t in active if all(t in v.tapes for v in taped))


# in `Tensor.models`: the value may also depend on models the analysis does not see (it was
# computed with an operand of unknown value, which may be another network's output)
UNSEEN_MODELS = -1
# in `Tensor.models`: the value was computed by a layer from an input of unknown value, which may
# itself be another network's output
UNKNOWN_INPUT_MODELS = -2


def grad_models(*values) -> frozenset:
    """The models a result depends on differentiably: inputs known not to need gradients (a
    detached teacher output, data) do not count."""
    out = frozenset()
    for v in values:
        if isinstance(v, Tensor) and v.requires_grad is not False:
            out |= v.models
    return out


def grad_of(*values) -> bool | None:
    """requires_grad of a result computed from these: True if any input needs gradients,
    False if all are known not to, None otherwise. A value that is not a tensor counts as
    unknown (a constant as needing none)."""
    flags = [v.requires_grad if isinstance(v, Tensor) else False if isinstance(v, Const) else None for v in values]
    if any(f is True for f in flags):
        return True
    if flags and all(f is False for f in flags):
        return False
    return None


def shape_from_args(call, start: int = 0, name: str = "size"):
    """`f(2, 3)`, `f((2, 3))`, `f([2, 3])`, `f(size=(2, 3))` -> (2, 3)."""
    if name in call.kwargs:
        return shape_value(call.kwargs[name])
    rest = call.args[start:]
    if _open_star(call, start):
        return None  # `torch.zeros(1, *shape)` of a shape whose length is not known: nor is the rank
    if len(rest) == 1:
        v = rest[0]
        if isinstance(v, Const) and S.known_int(v.value):
            return (v.value,)
        return shape_value(v)
    if not rest:
        return None
    dims = []
    for v in rest:
        if isinstance(v, Const) and S.known_int(v.value):
            dims.append(v.value)
        elif isinstance(v, Tensor) or (isinstance(v, Const) and not S.known_int(v.value)):
            return None
        else:
            dims.append(None)
    return tuple(dims)


def _open_star(call, start: int) -> bool:
    """An argument from `start` on stands for a starred sequence of unknown length (`*shape`)."""
    starred = {id(a.value) for a in getattr(call.node, "args", ()) if a.star == "*"}
    if not starred:
        return False
    return any(id(call.arg_node(i)) in starred and not isinstance(call.args[i], (Const, Tensor, UnknownInt))
               for i in range(start, len(call.args)))


def shape_value(v: Value):
    """A shape given as a tuple/list/Size value."""
    if isinstance(v, MutableList) and not v.exact:
        return None
    if isinstance(v, (Seq, MutableList)):
        dims = []
        for x in v.items:
            if isinstance(x, Const) and S.known_int(x.value):
                dims.append(x.value)
            elif isinstance(x, Const) and x.value is None:
                dims.append(None)
            elif isinstance(x, Const):
                return None
            else:
                dims.append(None)
        return tuple(dims)
    if isinstance(v, Const) and S.known_int(v.value):
        return (v.value,)
    if isinstance(v, UnknownInt):
        return (None,)  # one int: rank 1, whatever its value
    return None


def literal_span(v: Value, source: str = "literal values"):
    """(min, max, source) of the numbers in nested literal lists; None when any item is not a
    known int/float (a tensor, an unknown value, nan)."""
    nums: list = []
    if not _literal_numbers(v, nums) or not nums:
        return None
    return (min(nums), max(nums), source)


def _literal_numbers(x, nums: list) -> bool:
    """Whether `x` holds known numbers alone, added to `nums` (a module-level function: a closure
    calling itself is a reference cycle, freed by the garbage collector only)."""
    if isinstance(x, (Seq, MutableList)):
        return all(_literal_numbers(i, nums) for i in x.items)
    if isinstance(x, Const) and isinstance(x.value, (int, float)) and not isinstance(x.value, bool):
        if x.value != x.value:
            return False
        nums.append(x.value)
        return True
    return False


def literal_onehot(v: Value) -> bool:
    """Nested literal lists written as one-hot rows: at least two rows of at least two 0/1
    numbers, each row holding exactly one 1 (`[[1, 0], [0, 1], [0, 1]]`)."""
    rows = v.items if isinstance(v, (Seq, MutableList)) else ()
    if len(rows) < 2:
        return False
    width = None
    for row in rows:
        cells = row.items if isinstance(row, (Seq, MutableList)) else ()
        vals = [c.value for c in cells if isinstance(c, Const) and not isinstance(c.value, bool)]
        if len(vals) != len(cells) or len(vals) < 2 or (width is not None and len(vals) != width):
            return False
        if any(x not in (0, 1) for x in vals) or sum(vals) != 1:
            return False
        width = len(vals)
    return True


def normal_span(shape, source: str):
    """The span of draws from a normal distribution (randn, make_regression targets): unbounded
    on both sides, once there are at least 10 of them and every dim is known (fewer draws, or an
    unknown count, prove nothing)."""
    if not shape or any(not isinstance(d, int) or isinstance(d, bool) for d in shape):
        return None
    n = 1
    for d in shape:
        n *= d
    return (float("-inf"), float("inf"), source) if n >= 10 else None


def uniform_int_span(low, high, shape, source: str):
    """The span of draws from the integers low..high-1 (randint): the values it holds near each
    end with certainty 1 - 1e-6. n draws all stay below h with probability ((h - low) / m) ** n,
    so the data holds a value of at least low + floor(m * 1e-6 ** (1 / n)) (and symmetrically at
    the low end). None when the bounds or the count are not known."""
    n = S.numel(shape) if shape else None
    if not (S.known_int(low) and S.known_int(high)) or high <= low or not n:
        return None
    m = high - low
    reach = int(m * 1e-6 ** (1.0 / n))
    top, bottom = low + reach, high - 1 - reach  # it holds a value >= top and one <= bottom
    return (bottom, top, source) if bottom <= top else None  # too few draws to say more than low..high


def uniform_span(low, high, shape, source: str):
    """The span of draws from the real interval [low, high) (`np.random.rand`, `uniform`): as for
    `uniform_int_span`, n draws all stay below low + m * 1e-6 ** (1 / n) with probability 1e-6, so
    the data holds a value at least that high (and symmetrically at the low end). None when the
    bounds or the count are not known, or the draws are too few to say more than low..high."""
    n = S.numel(shape) if shape else None
    if not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (low, high)) or not high > low or not n:
        return None
    reach = (high - low) * 1e-6 ** (1.0 / n)
    top, bottom = low + reach, high - reach
    return (bottom, top, source) if bottom < top else None


def called_name(call) -> str | None:
    """The last name of what a call calls (`np.amin(x)`: amin, `x.max()`: max)."""
    func = getattr(call.node, "func", None)
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None


def extreme(call, a: Tensor, kind: str) -> Tensor:
    """The least ("min") or greatest ("max") value of the whole array `a`: one number, which
    remembers where it came from (`minmax_step`)."""
    out = derive(a, call, shape=(), param=False, onehot=False, magnitude=None)
    return out.with_(minmax=(kind, a, out.node))


def _part(t, kind: str, source=None):
    """The array min-max scaling reads from `t`, when `t` is that `kind` of part made from `source`
    (any source when None) and still the value that part was made as."""
    mm = t.minmax if isinstance(t, Tensor) else None
    if mm is None or mm[2] is None or mm[2] is not t.node or mm[0] != kind or (source is not None and mm[1] is not source):
        return None
    return mm[1]


def minmax_step(op: str, left, right, node):
    """(minmax, span) of `left op right` on the way to min-max scaling: `y - y.min()` ("shifted"),
    `y.max() - y.min()` ("width"), and their quotient, which holds its least value mapped to 0 and
    its greatest to 1, once the program shows that `y` holds two different values (its span)."""
    if op == "Subtract":
        src = _part(right, "min")
        if src is not None and left is src:
            return ("shifted", src, node, 1.0), None
        if src is not None and _part(left, "max", src) is not None:
            return ("width", src, node), None
    if op == "Divide":
        src = _part(left, "shifted")
        if src is not None and _part(right, "width", src) is not None and src.span is not None and src.span[0] < src.span[1]:
            k = left.minmax[3]
            return None, (min(0.0, k), max(0.0, k), "min-max scaled")
    return None, None


def scaled_shift(t, op: str, c, tensor_left: bool, node):
    """`2 * (y - y.min())`: the shifted array times (or over) a literal number stays a shifted
    array, scaled; any other operation ends it."""
    if _part(t, "shifted") is None or not isinstance(c, Const) or type(c.value) not in (int, float) or not c.value:
        return None
    k = t.minmax[3]
    if op == "Multiply":
        return ("shifted", t.minmax[1], node, k * c.value)
    if op == "Divide" and tensor_left:
        return ("shifted", t.minmax[1], node, k / c.value)
    return None


def subset_span(span):
    """The span of a part of the data (rows, a slice): a literal's extremes may be left out, while
    a generator whose values are unbounded still holds large values of both signs in any sizable part."""
    return span if unbounded(span) else None


def literal_data(v: Value):
    """Shape, kind ('int'|'float'|'bool'|None), nan, magnitude of nested literal lists."""
    nan = False
    lo, hi = None, None
    kinds = set()

    def walk(x, depth):
        nonlocal nan, lo, hi
        if isinstance(x, (Seq, MutableList)):
            shapes = [walk(i, depth + 1) for i in x.items]
            if not shapes:
                return (0,) if exact_items(x) is not None else None
            first = shapes[0]
            if first is None or any(s != first for s in shapes):
                return None
            return (len(x.items) if exact_items(x) is not None else None,) + first
        if isinstance(x, Const):
            val = x.value
            if isinstance(val, bool):
                kinds.add("bool")
            elif isinstance(val, int):
                kinds.add("int")
            elif isinstance(val, float):
                kinds.add("float")
            else:
                kinds.add("other")
                return ()
            if isinstance(val, float) and (val != val or val in (float("inf"), float("-inf"))):
                nan = True
            else:
                a = abs(val)
                hi = a if hi is None else max(hi, a)
                if a:
                    lo = a if lo is None else min(lo, a)
            return ()
        if isinstance(x, UnknownInt):
            kinds.update(("int", "unsized"))  # an int of unknown value: the shape holds, the magnitude is not known
            return ()
        if isinstance(x, Tensor):
            kinds.add("tensor")
            if x.nan:
                nan = True
            return x.shape if x.shape is not None and ANY not in x.shape[:1] else None
        kinds.add("unknown")
        return None

    shape = walk(v, 0)
    if "other" in kinds or "unknown" in kinds or "tensor" in kinds:
        kind = None
    elif "float" in kinds:
        kind = "float"
    elif "int" in kinds:
        kind = "int"
    elif "bool" in kinds:
        kind = "bool"
    else:
        kind = None
    magnitude = (lo, hi) if hi is not None and "unsized" not in kinds else None
    return shape, kind, nan, magnitude


# builtins whose result is a Python number of this kind (`round` with one argument only)
_NUMBER_BUILTINS = {"builtins.float": "float", "builtins.int": "int", "builtins.bool": "bool", "builtins.len": "int",
                    "builtins.round": "int"}


def list_data_shape(call, index: int, name: str, data: Value, shape):
    """`(shape, kind)` of a tensor made of Python list data (`torch.tensor(data)`,
    `torch.LongTensor(data)`) whose nested shape `literal_data` did not find: `[?]` of the kind
    of the numbers a list comprehension of numbers makes, `[..., ?]` (at least one dim) for
    any other list or comprehension; `(shape, None)` unchanged for anything else."""
    if shape is not None:
        return shape, None
    numbers = comprehension_numbers(call, index, name)
    if numbers is not None:
        return (None,), numbers[1]
    import libcst as cst

    if isinstance(data, (Seq, MutableList)) and getattr(data, "kind", "list") in ("list", "tuple") \
            or type(call.arg_node(index, name)) is cst.ListComp:
        return (ANY, None), None
    return None, None


def comprehension_numbers(call, index: int, name: str):
    """`(True, kind)` when the data argument is a list comprehension whose every element is a
    Python number: a numeric literal, `float(...)`/`int(...)`/`bool(...)`/`len(...)`/`round(x)`,
    `t.item()` (kind None: the tensor's dtype decides), or the loop's own variable over a `range`
    or a list of numbers (`[w for w in [1, 2, 3]]`). The tensor made of it is 1-D, of a length not
    known here. None for anything else (elements that may be lists or tensors)."""
    import libcst as cst

    from ..syntax import dotted

    node = call.arg_node(index, name)
    if type(node) is not cst.ListComp or node.for_in.inner_for_in is not None:
        return None
    elt = node.elt
    if isinstance(elt, cst.Integer):
        return True, "int"
    if isinstance(elt, cst.Float):
        return True, "float"
    interp, frame = call.interp, call.frame
    if frame is None:
        return None
    interp.muted += 1  # looked at again only for what it names: no event twice
    try:
        if isinstance(elt, cst.Call):
            if isinstance(elt.func, cst.Attribute) and elt.func.attr.value == "item" and not elt.args:
                return True, None
            if not isinstance(elt.func, cst.Name):
                return None
            func = interp.eval(elt.func, frame)
            kind = _NUMBER_BUILTINS.get(func.qualname) if isinstance(func, Ref) else None
            if kind is None or not elt.args or (func.qualname == "builtins.round" and len(elt.args) != 1):
                return None
            return True, kind
        target, it = node.for_in.target, node.for_in.iter
        if not isinstance(elt, cst.Name) or not isinstance(target, cst.Name) or elt.value != target.value:
            return None
        if not (isinstance(it, (cst.Name, cst.Attribute)) or (isinstance(it, cst.Call) and dotted(it.func) == "range")):
            return None  # evaluated again: only a name or `range(...)`, which do nothing
        items = interp.eval(it, frame)
        if isinstance(items, RangeV):
            return True, "int"
        values = exact_items(items)
        if not values or not all(isinstance(v, Const) and type(v.value) in (int, float, bool) for v in values):
            return None
        kinds = {type(v.value).__name__ for v in values}
        return True, "float" if "float" in kinds else "int" if "int" in kinds else "bool"
    finally:
        interp.muted -= 1


def gradients_like(call, sources, kind: str = "") -> Value:
    """The gradients of a value with respect to `sources` (`tf.gradients(ys, xs)`,
    `tape.gradient(y, xs)`): one tensor per source, of the source's shape and dtype, in the
    same structure (a tensor for a tensor, a list for a list; always a `kind` sequence when
    given, as `torch.autograd.grad`'s tuple). Anything else: unknown."""
    from ..values import UNKNOWN

    def like(x):
        if not isinstance(x, Tensor):
            return UNKNOWN
        return derive(x, call, requires_grad=None, param=False, labels=False, onehot=False, classes=False, nan=False,
                      magnitude=None, scale=None, scale_mix=False, normalized=False, activation=None, broadcast=None,
                      models=frozenset())
    if isinstance(sources, Tensor):
        return Seq(kind, (like(sources),)) if kind else like(sources)
    items = exact_items(sources)
    if items is None:
        return UNKNOWN
    return Seq(kind or "list", tuple(like(x) for x in items))


def emit_class_ids(call, qualname: str, ids, count):
    """Tell rules that `ids` are class ids of `count` classes (one_hot, to_categorical): the ids
    must stay below the count."""
    if call.interp.wants("api_call") and ids is not None:
        from ..events import ApiCall

        call.interp.emit("api_call", ApiCall(qualname, [ids, Const(count)], {}, call.node,
                                             list(call.arg_nodes), dict(call.kwarg_nodes)))
