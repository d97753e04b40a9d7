"""How the sign of a value reaches what minimizes it, read from the syntax: through names bound
once in a function, `self.` attributes bound once in a class, means, sums, additions,
subtractions and products with numbers, to `backward()`, `minimize(...)`, `tape.gradient(...)`,
a Keras loss, or a Keras `Lambda` layer whose model is compiled with a loss returning the
prediction as it is."""
import libcst as cst

from tensorlint.cstwalk import code_children

from ._common import imported_qualname

_SAME_SIGN = frozenset({"mean", "reduce_mean", "sum", "reduce_sum", "nanmean", "nansum"})
UNKNOWN, PLUS, MINUS = 0, 1, -1


def walk(node):
    """`node` and every node of code below it (layout left out: no name or statement is in it),
    in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(code_children(n)))


def last_name(func) -> str | None:
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else None


def positional(call) -> list | None:
    if any(a.star or a.keyword is not None for a in call.args):
        return None
    return [a.value for a in call.args]


def factors(node) -> list:
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Multiply:
        return factors(node.left) + factors(node.right)
    return [node]


def number(node) -> float | None:
    sign = 1
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        sign, node = -1, node.expression
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return sign * float(node.value)
        except ValueError:
            return None
    return None


class Scope:
    """The names of one function (or of the module) and where each is bound and read."""

    def __init__(self, root):
        self.assigned: dict = {}  # name -> [value expressions]
        self.reads: dict = {}  # name -> [Name nodes read]
        self.defs: dict = {}  # name -> [FunctionDef]
        for n in self._own(root):
            t = type(n)
            if t is cst.Assign:
                for target in n.targets:
                    if type(target.target) is cst.Name:
                        self.assigned.setdefault(target.target.value, []).append(n.value)
                    else:
                        for m in walk(target.target):
                            if type(m) is cst.Name:
                                self.assigned.setdefault(m.value, []).append(None)
            elif t in (cst.AugAssign, cst.AnnAssign):
                for m in walk(n.target):
                    if type(m) is cst.Name:
                        self.assigned.setdefault(m.value, []).append(None)
            elif t is cst.FunctionDef:
                self.defs.setdefault(n.name.value, []).append(n)

    def _own(self, root):
        """The nodes of `root`'s own scope (nested definitions are entered only for their names)."""
        roots = root if isinstance(root, list) else list(root.body.body) if type(root) is cst.FunctionDef else [root]
        stack = list(reversed(roots))
        while stack:
            n = stack.pop()
            yield n
            if type(n) is cst.FunctionDef:
                continue
            if type(n) is cst.Name:
                self.reads.setdefault(n.value, []).append(n)
            stack.extend(reversed(code_children(n)))

    def value(self, name: str):
        got = self.assigned.get(name, [])
        return got[0] if len(got) == 1 else None


def owner_of(par, node):
    for a in par.ancestors(node):
        if type(a) is cst.FunctionDef:
            return a
        if type(a) in (cst.Lambda, cst.ClassDef):
            return None
    return None


def resolve(scope, node):
    if type(node) is cst.Name:
        v = scope.value(node.value)
        return v if v is not None else node
    return node


def minimized(ctx, env, par, scope, owner, node, sign, depth):
    """What minimizes `node`'s value with `sign` (+1: as it is): a description of the sink, or
    None where no sink is reached with a known sign, or a negated path reaches one too. A use
    whose effect on the sign is not known (a logging call, a product with a tensor) is no sink."""
    if depth > 12:
        return None
    found = []
    for sink, s in _sinks(ctx, env, par, scope, owner, node, sign, depth):
        if s == MINUS:
            return None  # minimized negated on one path: the sign is the program's choice
        if s == PLUS:
            found.append(sink)
    return found[0] if found else None


def _sinks(ctx, env, par, scope, owner, node, sign, depth):
    """(sink description, sign) for each minimization `node`'s value reaches; a sign of 0 where
    the value goes somewhere whose effect on the sign is not known."""
    while True:
        up = par.parent.get(node)
        t = type(up)
        if t is cst.UnaryOperation and type(up.operator) is cst.Minus:
            sign = -sign
        elif t is cst.UnaryOperation and type(up.operator) is cst.Plus:
            pass
        elif t is cst.BinaryOperation:
            op = type(up.operator)
            other = up.right if up.left is node else up.left
            if op is cst.Add:
                pass
            elif op is cst.Subtract:
                if up.right is node:
                    sign = -sign
            elif op in (cst.Multiply, cst.Divide) and number(other) is not None and (op is cst.Multiply or up.left is node):
                n = number(other)
                if n == 0:
                    return
                if n < 0:
                    sign = -sign
            else:
                yield None, UNKNOWN
                return
        elif t is cst.Arg:
            call = par.parent.get(up)
            if type(call) is not cst.Call:
                yield None, UNKNOWN
                return
            if last_name(call.func) in _SAME_SIGN and call.args and call.args[0] is up:
                up = call
            elif last_name(call.func) == "minimize" and call.args and call.args[0] is up:
                yield f"`{ctx.source(call.func)}`", sign
                return
            elif last_name(call.func) == "gradient" and call.args and call.args[0] is up:
                yield (f"`{ctx.source(call.func)}`", sign) if _applied_as_is(par, scope, call) else (None, UNKNOWN)
                return
            else:
                yield None, UNKNOWN
                return
        elif t is cst.Attribute and up.value is node:
            call = par.parent.get(up)
            if type(call) is not cst.Call or call.func is not up:
                yield None, UNKNOWN
                return
            if up.attr.value in _SAME_SIGN:
                up = call
            elif up.attr.value == "backward" and not call.args:
                yield "`backward()`", sign
                return
            else:
                yield None, UNKNOWN
                return
        elif t is cst.Assign and len(up.targets) == 1 and type(up.targets[0].target) is cst.Name:
            name = up.targets[0].target.value
            if len(scope.assigned.get(name, [])) != 1:
                yield None, UNKNOWN
                return
            for use in scope.reads.get(name, []):
                if use is up.targets[0].target:
                    continue
                yield from _sinks(ctx, env, par, scope, owner, use, sign, depth + 1)
            return
        elif t is cst.Assign and len(up.targets) == 1 and _instance_attribute(up.targets[0].target):
            yield from _through_attribute(ctx, env, par, up.targets[0].target, sign, depth)
            return
        elif t is cst.Return and owner is not None:
            yield from _through_returned(ctx, env, par, owner, sign, depth)
            return
        elif t in (cst.Expr, cst.IndentedBlock, cst.SimpleStatementLine):
            return
        else:
            yield None, UNKNOWN
            return
        node = up


def _applied_as_is(par, scope, call) -> bool:
    """`grads = tape.gradient(...)` whose name is handed as it is to `apply_gradients(zip(grads, ...))`
    (gradients negated or otherwise changed first make an ascent)."""
    stmt = par.parent.get(call)
    if type(stmt) is not cst.Assign or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
        return False
    for read in scope.reads.get(stmt.targets[0].target.value, []):
        arg = par.parent.get(read)
        pair = par.parent.get(arg)
        outer = par.parent.get(pair)
        apply = par.parent.get(outer)
        if type(arg) is cst.Arg and type(pair) is cst.Call and last_name(pair.func) == "zip" and pair.args[0] is arg \
                and type(outer) is cst.Arg and type(apply) is cst.Call and last_name(apply.func) == "apply_gradients":
            return True
    return False


def _instance_attribute(node) -> bool:
    return type(node) is cst.Attribute and type(node.value) is cst.Name


def _through_attribute(ctx, env, par, target, sign, depth):
    """`self.loss = ...` assigned once in its class: each method's read of `self.loss`."""
    cls = next((a for a in par.ancestors(target) if type(a) is cst.ClassDef), None)
    if cls is None:
        yield None, UNKNOWN
        return
    head, attr = target.value.value, target.attr.value
    same = [n for n in walk(cls) if type(n) is cst.Attribute and n.attr.value == attr
            and type(n.value) is cst.Name and n.value.value == head]
    stores = [n for n in same if type(par.parent.get(n)) in (cst.AssignTarget, cst.AugAssign)]
    if len(stores) != 1:
        yield None, UNKNOWN
        return
    scopes: dict = {}
    for read in same:
        if read is target:
            continue
        owner = owner_of(par, read)
        if owner is None:
            continue
        scope = scopes.get(id(owner)) or scopes.setdefault(id(owner), Scope(owner))
        yield from _sinks(ctx, env, par, scope, owner, read, sign, depth + 1)


def _through_returned(ctx, env, par, func, sign, depth):
    """A function returning the value, used as a Keras loss (`compile(loss=f)`, in a list or dict
    of losses, or returned by a function whose call is the loss), or as a Keras `Lambda` layer
    whose output is the output of a model compiled with a loss returning the prediction as it is."""
    holder = owner_of(par, func)
    scope = Scope(holder) if holder is not None else Scope([c.module for c in ctx.chunks])
    for use in scope.reads.get(func.name.value, []):
        if use is func.name:
            continue
        if _compiled_loss(par, use):
            yield "a Keras loss", sign
            continue
        up = par.parent.get(use)
        if type(up) is cst.Return and holder is not None and depth < 12:
            calls = [par.parent.get(n) for n in _file_reads(ctx, par, holder.name.value)]
            if calls and all(type(c) is cst.Call and _compiled_loss(par, c) for c in calls):
                yield "a Keras loss", sign
            else:
                yield None, UNKNOWN
            continue
        yield from _through_lambda_layer(ctx, env, par, scope, use, sign)


def _file_reads(ctx, par, name: str) -> list:
    """Every read of `name` in the file, in any function (a parameter, a binding or a definition
    of the name is no read)."""
    found = []
    for chunk in ctx.chunks:
        for n in walk(chunk.module):
            if type(n) is cst.Name and n.value == name:
                up = par.parent.get(n)
                if type(up) in (cst.Param, cst.AssignTarget, cst.FunctionDef, cst.ClassDef, cst.ImportAlias) \
                        or type(up) is cst.Attribute and up.attr is n:
                    continue
                found.append(n)
    return found


def _compiled_loss(par, node) -> bool:
    """`node` is the `loss=` of a `compile(...)` call, or an item of a list, tuple or dict given there."""
    up = par.parent.get(node)
    if type(up) in (cst.Element, cst.DictElement) and getattr(up, "value", None) is node:
        display = par.parent.get(up)
        if type(display) in (cst.List, cst.Tuple, cst.Dict):
            node, up = display, par.parent.get(display)
    if type(up) is not cst.Arg or up.keyword is None or up.keyword.value != "loss":
        return False
    call = par.parent.get(up)
    return type(call) is cst.Call and last_name(call.func) == "compile"


def _through_lambda_layer(ctx, env, par, scope, use, sign):
    arg = par.parent.get(use)
    layer = par.parent.get(arg)
    q = imported_qualname(env, layer.func) if type(layer) is cst.Call else None
    if type(arg) is not cst.Arg or q is None or not q.endswith("layers.Lambda") or layer.args[0] is not arg:
        yield None, UNKNOWN
        return
    applied = par.parent.get(layer)
    stmt = par.parent.get(applied)
    if type(applied) is not cst.Call or applied.func is not layer or type(stmt) is not cst.Assign \
            or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
        yield None, UNKNOWN
        return
    found = False
    for read in scope.reads.get(stmt.targets[0].target.value, []):
        sink = _identity_loss_model(ctx, env, par, scope, read)
        if sink is not None:
            found = True
            yield sink, sign
    if not found:
        yield None, UNKNOWN


def _identity_loss_model(ctx, env, par, scope, read):
    """`Model(..., outputs=read)` bound to a name whose `compile(loss=...)` returns y_pred itself."""
    arg = par.parent.get(read)
    model_call = par.parent.get(arg)
    if type(arg) is not cst.Arg or type(model_call) is not cst.Call or arg.keyword is None \
            or arg.keyword.value not in ("outputs", "output"):
        return None
    q = imported_qualname(env, model_call.func)
    if q is None or not q.endswith("Model"):
        return None
    stmt = par.parent.get(model_call)
    if type(stmt) is not cst.Assign or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
        return None
    model = stmt.targets[0].target.value
    for use in scope.reads.get(model, []):
        attr = par.parent.get(use)
        call = par.parent.get(attr)
        if type(attr) is not cst.Attribute or attr.attr.value != "compile" or type(call) is not cst.Call:
            continue
        loss = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "loss"), None)
        loss = resolve(scope, loss) if loss is not None else None
        if type(loss) in (cst.List, cst.Tuple) and len(loss.elements) == 1:
            loss = resolve(scope, loss.elements[0].value)
        if type(loss) is cst.Lambda and len(loss.params.params) == 2 and type(loss.body) is cst.Name \
                and loss.body.value == loss.params.params[1].name.value:
            return f"the loss `{ctx.source(loss)}` of the model compiled at line {ctx.line(call)}"
    return None
