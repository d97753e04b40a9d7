"""Helpers the loss and label rules (TL104, TL205, TL303-TL307) share: which argument of a loss
call is the prediction, what a Keras model outputs, and fixes that rename a call or a keyword."""
from __future__ import annotations

import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix
from tensorlint.frameworks import LOSSES
from tensorlint.frameworks.shapes import known_int
from tensorlint.values import Const, Container, Instance, Layer, Loss, Ref, Tensor

from ._common import keyword_arg

_PASS_THROUGH = ("Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Flatten", "Reshape")


def pred_target(ev):
    """(prediction, target) of a loss call event, whatever the framework's argument order."""
    if len(ev.args) < 2:
        return None, None
    return (ev.args[0], ev.args[1]) if ev.fw == "torch" else (ev.args[1], ev.args[0])


def loss_spec(loss):
    return LOSSES.get(loss.kind) if isinstance(loss, Loss) else None


def compiled_loss(model):
    """The loss a Keras model was compiled with (a string, Loss or function), or None."""
    if isinstance(model, Container):
        return model.loss
    if isinstance(model, Instance):
        return model.attrs.get("__loss__")
    return None


def keras_output(model):
    """(units, activation, node of the output layer) of a Keras model whose output is known.
    Units or activation may be None when unknown; None when the model is not understood."""
    if isinstance(model, Container) and model.kind == "keras.Model":
        out = model.outputs
        if isinstance(out, Tensor):
            units = out.dim(-1)
            return (units if known_int(units) else None), out.activation, out.origin
        return None
    if not isinstance(model, Container) or model.kind != "keras.Sequential" or not model.layers:
        return None
    activation = None
    for layer in reversed(model.layers):  # layers the program does not show may come before the output layer
        if not isinstance(layer, Layer):
            return None
        act = layer.facts.get("activation")
        if layer.short == "Activation":
            if isinstance(act, str) and act.lower() == "linear":
                continue  # the identity: what comes before it is the output
            if not isinstance(act, str) or activation is not None:
                return None
            activation = act.lower()
            continue
        if layer.short in _PASS_THROUGH:
            continue
        if layer.short == "Softmax" and activation is None:
            activation = "softmax"
            continue
        if layer.short != "Dense":
            return None
        units = layer.facts.get("units")
        if activation is None:
            if isinstance(act, str):
                activation = act.lower()
            elif act is None or (isinstance(act, Const) and act.value is None):
                activation = "linear"
            else:
                return None
        return (units if known_int(units) else None), activation, layer.node
    return None


def func_name_node(call):
    """The Name that names a call's function: `Sparse...` in `keras.losses.Sparse...(...)`."""
    if not isinstance(call, cst.Call):
        return None
    f = call.func
    if isinstance(f, cst.Attribute):
        return f.attr
    if isinstance(f, cst.Name):
        return f
    return None


def rename_fix(ctx, call, renames: dict, message: str, applicability=Applicability.UNSAFE):
    """Rename the function of `call` (`old -> new` in `renames`), keeping the user's module alias."""
    name = func_name_node(call)
    if name is None or name.value not in renames:
        return None
    span = ctx.span(name)
    if span is None:
        return None
    new = renames[name.value]
    return Fix(message.format(new=new), (Edit(span, new),), applicability)


def compile_loss_node(compile_call):
    """The expression passed as `loss` to `model.compile(...)`."""
    if not isinstance(compile_call, cst.Call):
        return None
    kw = keyword_arg(compile_call, "loss")
    if kw is not None:
        return kw.value
    positional = [a for a in compile_call.args if a.keyword is None and not a.star]
    return positional[1].value if len(positional) > 1 else None


def string_fix(ctx, node, renames: dict, message: str):
    """Replace a loss named by a string literal (`"sparse_categorical_crossentropy"`)."""
    if not isinstance(node, cst.SimpleString):
        return None
    text = node.value
    q = text[-1]
    body = text[text.index(q) + 1:-1]
    if body not in renames or text.index(q) != len(text) - len(body) - 2:
        return None
    span = ctx.span(node)
    if span is None:
        return None
    prefix = text[: text.index(q) + 1]
    new = renames[body]
    return Fix(message.format(new=new), (Edit(span, f"{prefix}{new}{q}"),), Applicability.UNSAFE)


def loss_rename_fix(ctx, loss, loss_node, renames: dict, message: str):
    """Rename the loss wherever it is written: a loss object's constructor, a string in compile."""
    if isinstance(loss, Loss) and isinstance(loss.node, cst.Call):
        fix = rename_fix(ctx, loss.node, renames, message)
        if fix is not None:
            return fix
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return string_fix(ctx, loss_node, renames, message)
    if isinstance(loss, Ref) and isinstance(loss_node, cst.Attribute) and loss_node.attr.value in renames:
        # a loss function by its module path, `keras.losses.categorical_crossentropy`: the
        # module has the other name too (a bare imported name would need its import changed)
        span = ctx.span(loss_node.attr)
        if span is not None:
            new = renames[loss_node.attr.value]
            return Fix(message.format(new=new), (Edit(span, new),), Applicability.UNSAFE)
    return None


def pred_label(ctx, t) -> str:
    """"`probs` (line 12)" or "the prediction made at line 12"."""
    if t.name:
        from ._common import value_name

        return value_name(ctx, t)
    line = ctx.line(t.origin) if t.origin is not None else None
    return f"the prediction made at line {line}" if line else "the prediction"


def broadcast_difference(t):
    """(prediction side, target side, subtraction node, broadcast shape) when `t` is a hand-written
    elementwise loss term, `(a - b) ** 2`, `tf.square(a - b)`, `abs(a - b)`, whose subtraction
    broadcast two shapes of the same samples to a larger shape: `(N, 1)` against `(N,)`, the
    operands sharing their leading axis, and one of them computed from trainable weights or the
    labels. None otherwise (pairwise differences of two sets, `x[:, None] - y[None]`, are meant)."""
    return _grown(t, "Subtract")


def broadcast_product(t):
    """(one factor, the other, multiplication node, broadcast shape) when `t` comes from a product
    of two factors of the same samples, `(N,)` and `(N, 1)`, that broadcast to `(N, N)` (a
    policy's log-probabilities weighted by a column of returns), one of them computed from
    trainable weights or the labels. None otherwise."""
    return _grown(t, "Multiply")


def _grown(t, op: str):
    from tensorlint.frameworks.shapes import broadcast

    if not isinstance(t, Tensor) or not t.broadcast or t.broadcast[3] != op:
        return None
    a, b, node, _ = t.broadcast
    out = broadcast(a.shape, b.shape)
    if out is None or t.shape != out:
        return None  # no broadcast, or reduced or reshaped since the operation
    hi, lo = (a, b) if a.rank == (b.rank or 0) + 1 else (b, a) if b.rank == (a.rank or 0) + 1 else (None, None)
    if hi is None or hi.shape[-1] != 1 or hi.shape[0] != lo.shape[0]:
        return None
    if not any(v.requires_grad is True or v.models or v.labels for v in (a, b)):
        return None
    return a, b, node, out


def clashing_difference(t):
    """(a, b, subtraction node) when `t` comes from `a - b` of fully known shapes that cannot be
    broadcast (`(N, 10) - (N, 3)`) in a hand-written loss term: one side computed from trainable
    weights or the labels. None otherwise."""
    from tensorlint.frameworks.shapes import broadcast

    if not isinstance(t, Tensor) or not t.broadcast or t.broadcast[3] != "Subtract":
        return None
    a, b, node, _ = t.broadcast
    if broadcast(a.shape, b.shape) is not None:
        return None
    if not any(v.requires_grad is True or v.models or v.labels for v in (a, b)):
        return None
    return a, b, node


# -- the terms a loss is the sum of ---------------------------------------------------------

def _numeric(node) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return _numeric(node.expression)
    return False


def _plain_name(n) -> tuple:
    """The name a plain `name = value` assigns (one target, a plain name)."""
    if len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
        return (n.targets[0].target.value,)
    return ()


def _summed_name(n) -> tuple:
    """The name `name += term` / `name -= term` adds to."""
    if isinstance(n.target, cst.Name) and isinstance(n.operator, (cst.AddAssign, cst.SubtractAssign)):
        return (n.target.value,)
    return ()


def _if_else(n) -> tuple:
    return ("",) if n.orelse is not None else ()


def _scope_nodes(ctx, scope, roots, kind, name_of, name: str) -> list:
    """The nodes of type `kind` in the scope's own code that `name_of` files under `name`; for
    the module, from an index of each chunk kept with its tree."""
    from tensorlint.dataflow import descendants

    from ._module_nodes import module_nodes_named

    if isinstance(scope, cst.Module):
        return module_nodes_named(ctx, (kind,), name_of, name)
    return [n for root in roots for n in descendants(root, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
            if type(n) is kind and name in name_of(n)]


def _plain_assignments(ctx, roots, name: str, line: int, nodes=None) -> list:
    """(line, Assign) for each plain `name = value` under `roots` (or among `nodes`) before `line`."""
    from tensorlint.dataflow import descendants

    if nodes is None:
        nodes = (n for root in roots for n in descendants(root, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
                 if isinstance(n, cst.Assign) and _plain_name(n) == (name,))
    from ._module_nodes import line_of

    out = []
    for n in nodes:
        at = line_of(ctx, n) or 0
        if 0 <= at < line:
            out.append((at, n))
    return out


def _other_branches(ctx, branches, node, name: str, line: int) -> list:
    """For each `if`/`else` (of `branches`) that holds `node` in one branch, the last assignment to
    `name` in the other branch (before `line`): both reach the code after the `if`, so both are
    the value (`loss = a + b` under `if`, `loss = a` under `else`)."""
    from tensorlint.dataflow import descendants

    out = []
    for n in branches:
        in_body = any(d is node for d in descendants(n.body))
        if not in_body and not any(d is node for d in descendants(n.orelse)):
            continue
        span = ctx.span(n)
        if span is None or span.end.line >= line:  # the use is inside this `if`: one branch reaches it
            continue
        other = n.orelse if in_body else n.body
        found = _plain_assignments(ctx, [other], name, line)
        if found:
            out.append(max(found, key=lambda t: t[0]))
    return out


def last_binding(ctx, scope, name: str, line: int):
    """The value assigned to `name` by the last plain assignment in `scope` before `line` (and
    by the last one in the other branch of each `if`/`else` around it), with the `name += term`
    statements between that assignment and `line`."""
    from ._common import scope_roots

    roots = scope_roots(ctx, scope)
    found = _plain_assignments(ctx, roots, name, line, _scope_nodes(ctx, scope, roots, cst.Assign, _plain_name, name))
    if not found:
        return [], -1, []
    best_line, best = max(found, key=lambda t: t[0])
    branches = _scope_nodes(ctx, scope, roots, cst.If, _if_else, "")
    values = [(best.value, best_line)] + [(a.value, at) for at, a in _other_branches(ctx, branches, best, name, line)]
    augs = _scope_nodes(ctx, scope, roots, cst.AugAssign, _summed_name, name)
    extra = [(a.value, ctx.line(a) or 0) for a in augs if best_line < (ctx.line(a) or 0) < line]
    return values, best_line, extra


def additive_terms(ctx, expr, scope, line: int, depth: int = 0, at=None) -> list:
    """The expressions `expr` is a sum of, up to signs and numeric factors, following plain
    names to their last assignment in `scope` before `line` (and `name += term` after it):
    `ce + 0.1 * reg` -> [ce's terms..., reg's terms...]. Each term comes as (term, where): where
    is the expression that adds it in (the name `reg` in the sum, not the line that made it)."""
    if depth > 6:
        return [(expr, at or expr)]
    if isinstance(expr, cst.BinaryOperation):
        op = expr.operator
        if isinstance(op, (cst.Add, cst.Subtract)):
            return (additive_terms(ctx, expr.left, scope, line, depth + 1, at or (expr.left if isinstance(expr.left, cst.Name) else None))
                    + additive_terms(ctx, expr.right, scope, line, depth + 1, at or (expr.right if isinstance(expr.right, cst.Name) else None)))
        if isinstance(op, cst.Multiply) and _numeric(expr.left):
            return additive_terms(ctx, expr.right, scope, line, depth + 1, at or expr)
        if isinstance(op, (cst.Multiply, cst.Divide)) and _numeric(expr.right):
            return additive_terms(ctx, expr.left, scope, line, depth + 1, at or expr)
        return [(expr, at or expr)]
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
        return additive_terms(ctx, expr.expression, scope, line, depth + 1, at)
    if isinstance(expr, cst.Name) and scope is not None:
        values, _, extra = last_binding(ctx, scope, expr.value, line)
        if not values:
            return [(expr, at or expr)]
        out = []
        for value, where in values:
            out += additive_terms(ctx, value, scope, where, depth + 1, at)
        for term, term_line in extra:
            out += additive_terms(ctx, term, scope, term_line, depth + 1, at or (term if isinstance(term, cst.Name) else None))
        return out
    return [(expr, at or expr)]
