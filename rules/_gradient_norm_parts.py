"""Pieces of gradient-penalty code shared by the rules that read it (TL427, TL468): squares, norms,
reductions and the gradient call a tensor comes from."""
import libcst as cst

from ._reaching import call_argument, called_name, reaching

_GRADIENT_CALLS = frozenset({"gradients", "grad", "gradient"})  # tf.gradients, autograd.grad, tape.gradient


def is_two(node) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.value) == 2.0


def is_one(node) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.value) == 1.0


def squared(node):
    """`g` of `tf.square(g)`, `g ** 2`, `g.pow(2)`, `tf.pow(g, 2)`, `g * g`; None otherwise."""
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Power) and is_two(node.right):
            return node.left
        if (isinstance(node.operator, cst.Multiply) and isinstance(node.left, cst.Name)
                and isinstance(node.right, cst.Name) and node.left.value == node.right.value):
            return node.left
        return None
    if isinstance(node, cst.Call):
        name = called_name(node)
        if name == "square" and node.args:
            return node.args[0].value if not isinstance(node.func, cst.Attribute) or module_call(node) else node.func.value
        if name == "pow":
            if module_call(node) and len(node.args) == 2 and is_two(node.args[1].value):
                return node.args[0].value
            if not module_call(node) and len(node.args) == 1 and is_two(node.args[0].value):
                return node.func.value
    return None


def module_call(call: cst.Call) -> bool:
    """`tf.square(x)` / `torch.sum(x, 1)` rather than the method `x.sum(1)`: the receiver is a
    module name (lower-case dotted name of an imported framework)."""
    f = call.func
    return isinstance(f, cst.Attribute) and isinstance(f.value, (cst.Name, cst.Attribute)) and _dotted_root(f.value) in _MODULES


_MODULES = frozenset({"tf", "tensorflow", "torch", "K", "backend", "keras"})


def _dotted_root(node):
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def gradient_source(ctx, p, binds, node, depth=0):
    """The gradient call whose first result `node` is: `tf.gradients(y, [x])[0]`,
    `torch.autograd.grad(...)[0]`, `tape.gradient(y, [x])[0]`, `tape.gradient(y, x)`, or a
    name assigned one of them; None otherwise."""
    if isinstance(node, cst.Name) and depth < 3 and binds is not None:
        value = reaching(ctx, p, binds, node.value, node)
        return gradient_source(ctx, p, binds, value, depth + 1) if value is not None else None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "0":
            inner = node.value
            if isinstance(inner, cst.Call) and called_name(inner) in _GRADIENT_CALLS:
                return inner
    if isinstance(node, cst.Call) and called_name(node) == "gradient" and isinstance(node.func, cst.Attribute):
        sources = call_argument(node, 1, "sources")
        return node if sources is not None and not isinstance(sources, (cst.List, cst.Tuple)) else None
    return None


def reduction(call: cst.Call, function_form: bool):
    """(reduced operand, axis argument) of `tf.reduce_sum(x, axis)` / `torch.sum(x, dim)` or of
    the method `x.sum(dim)`."""
    if function_form:
        x = call_argument(call, 0, "input_tensor") or call_argument(call, 0, "input")
        axis = call_argument(call, 1, "axis") or call_argument(call, 1, "dim") or call_argument(call, 9, "reduction_indices")
        return x, axis
    if not isinstance(call.func, cst.Attribute):
        return None, None
    return call.func.value, call_argument(call, 0, "dim") or call_argument(call, 0, "axis")


def norm_call(call: cst.Call):
    """(normed tensor, dim argument) of a 2-norm over the given dims: the method `g.norm(2, dim)`
    (`p=2`, `p='fro'` or no `p`), `torch.norm(g, 2, dim)`, `torch.linalg.norm(g, dim=dim)` (no
    `ord`, `ord=2` over one dim, or `'fro'`) and `torch.linalg.vector_norm(g, 2, dim)`; None for
    another order or without a dim."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in ("norm", "vector_norm"):
        return None
    matrix = False  # `torch.linalg.norm`: `ord=2` over two dims is the spectral norm
    if module_call(call):
        linalg = func.attr.value == "vector_norm" or isinstance(func.value, cst.Attribute) and func.value.attr.value == "linalg"
        matrix = linalg and func.attr.value == "norm"
        x = call_argument(call, 0, "input") or call_argument(call, 0, "A") or call_argument(call, 0, "x")
        order, dim = call_argument(call, 1, "ord" if linalg else "p"), call_argument(call, 2, "dim")
    elif func.attr.value == "norm":
        x, order, dim = func.value, call_argument(call, 0, "p"), call_argument(call, 1, "dim")
    else:
        return None
    if x is None or dim is None:
        return None
    if order is None or isinstance(order, cst.SimpleString) and order.value[1:-1] == "fro":
        return x, dim
    if is_two(order) and not (matrix and isinstance(dim, (cst.List, cst.Tuple))):
        return x, dim
    return None
