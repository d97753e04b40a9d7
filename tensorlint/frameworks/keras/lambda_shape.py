"""The shape a Keras `Lambda` layer declares (`output_shape=`) against the shape its function
computes on the inputs it is applied to."""
from __future__ import annotations

from ...values import ANY, Const, Func, MutableList, Seq, Tensor
from .. import shapes as S


def _shape(t) -> tuple | None:
    """A tensor's shape when its rank is known and its batch axis is the first one."""
    if not isinstance(t, Tensor) or t.shape is None or (t.shape and t.shape[0] is ANY):
        return None
    return tuple(t.shape)


def _shape_value(shape: tuple) -> Seq:
    """A shape as a Keras 2 `compute_output_shape` receives it: a tuple of ints, None where unknown."""
    return Seq("tuple", tuple(Const(d if S.known_int(d) else None) for d in shape))


def _plain_shape(v) -> tuple | None:
    """A shape the declaration returns: a tuple or list of ints and Nones, else None."""
    items = v.items if isinstance(v, (Seq, MutableList)) else v if isinstance(v, tuple) else None
    if items is None:
        return None
    out = []
    for d in items:
        d = d.value if isinstance(d, Const) else d
        if d is not None and not S.known_int(d):
            return None
        out.append(d)
    return tuple(out)


def _returned(func: Func):
    """Where the declaration's shape is written: a lambda, or the value of a function's only `return`."""
    import libcst as cst

    if isinstance(func.node, cst.Lambda):
        return func.node
    found = []

    class _V(cst.CSTVisitor):
        def visit_Return(self, node):
            found.append(node)

        def visit_FunctionDef(self, node):
            return node is func.node

        def visit_Lambda(self, node):
            return False

    func.node.visit(_V())
    return found[0].value if len(found) == 1 and found[0].value is not None else None


def lambda_shapes(layer, call):
    """The LambdaShape event of this application of `layer`, or None when a shape is not known."""
    from ...events import LambdaShape

    fn = layer.facts.get("function")
    declared = layer.facts.get("output_shape")
    if not isinstance(fn, Func) or declared is None or not call.args:
        return None
    x = call.args[0]
    if isinstance(x, Tensor):
        in_shape = _shape(x)
        if in_shape is None:
            return None
        shape_arg = _shape_value(in_shape)
    elif isinstance(x, (Seq, MutableList)) and x.items and all(isinstance(t, Tensor) for t in x.items):
        shapes = [_shape(t) for t in x.items]
        if any(s is None for s in shapes):
            return None
        shape_arg = Seq("list", tuple(_shape_value(s) for s in shapes))
    else:
        return None
    arguments = layer.facts.get("arguments")
    kwargs = {}
    if arguments is not None:
        return None  # extra arguments the function gets: not followed
    interp = call.interp
    interp.muted += 1
    try:
        computed = interp.call(fn, call.with_args([x], kwargs))
        if isinstance(declared, Func):
            shape_node = _returned(declared)
            given = _plain_shape(interp.call(declared, call.with_args([shape_arg])))
        else:
            shape_node = call.node
            given = _plain_shape(declared)
            given = (in_shape[0] if isinstance(x, Tensor) else None,) + given if given is not None else None
    finally:
        interp.muted -= 1
    out = _shape(computed)
    if given is None or out is None or len(given) != len(out):
        return None
    return LambdaShape(layer, call.node, given, out, shape_node)
