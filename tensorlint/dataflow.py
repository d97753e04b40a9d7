"""Does a function's result depend on one of its parameters?

A small flow-sensitive dependency analysis over one function body. Each name carries a
level: 0 (no dependence on the parameter), 1 (only on its shape, dtype or device: `x.size(0)`,
`len(x)`, `zeros_like(x)`), 2 (on its values). Levels flow through assignments, containers,
attributes stored on `self`, calls (a call's result depends on everything passed to it, and a
method call on a local object makes that object depend on its arguments, a call made for its
effect makes each local name given to it depend on all its arguments; a read of TF's graph
collections depends on everything passed to a call before it), and control
dependence (a value assigned under `if labels.any():` depends on `labels`). Everything it does
not understand counts as dependence, so "does not depend" is only said when it is certain.
"""
from __future__ import annotations

import libcst as cst

from .cstwalk import children, walk_code

SHAPE_ATTRS = {"shape", "dtype", "device", "ndim", "is_cuda", "layout", "requires_grad"}
SHAPE_METHODS = {"size", "dim", "numel", "nelement", "get_device", "ndimension"}
SHAPE_FUNCS = {"len", "zeros_like", "ones_like", "empty_like", "rand_like", "randn_like", "full_like", "shape", "int_shape", "isinstance", "type"}
NEW_METHODS = {"new_zeros", "new_ones", "new_empty", "new_full", "new_tensor"}
# reads of TensorFlow's graph collections, which earlier calls fill (`tf.losses.*` adds its loss)
COLLECTION_READS = {"get_collection", "get_collection_ref", "get_losses", "get_total_loss",
                    "get_regularization_loss", "get_regularization_losses"}


class _Analysis:
    def __init__(self, param: str, pure_attrs=frozenset()):
        self.param = param
        self.pure_attrs = pure_attrs  # attributes of self that are layers: calling them is pure
        self.ret = 0
        self.returns = 0
        self.self_state = 0
        self.shared_state = 0  # what calls given the parameter may have stored out of sight
        self.unknown = False
        self.inputs: set = set()  # the function's parameters

    # -- expressions ----------------------------------------------------------------------

    def level(self, node, env) -> int:
        t = type(node)
        if t is cst.Name:
            if node.value == "self":
                return max(env.get("self", 0), self.self_state)
            return env.get(node.value, 0)
        if t is cst.Attribute:
            path = _path(node)
            if path is not None and path in env:
                return env[path]
            base = self.level(node.value, env)
            if node.attr.value in SHAPE_ATTRS:
                return min(base, 1)
            return base
        if t is cst.Call:
            return self.call_level(node, env)
        if t is cst.Lambda:
            return self.generic(node.body, env)
        if t in (cst.Integer, cst.Float, cst.SimpleString, cst.Imaginary, cst.Ellipsis):
            return 0
        return self.generic(node, env)

    def generic(self, node, env) -> int:
        best = 0
        for child in children(node):
            if isinstance(child, cst.BaseExpression):
                best = max(best, self.level(child, env))
            elif isinstance(child, (cst.Arg, cst.Element, cst.BaseDictElement, cst.SubscriptElement, cst.Index, cst.Slice,
                                    cst.ComparisonTarget, cst.CompFor, cst.CompIf, cst.FormattedStringExpression,
                                    cst.StarredElement, cst.StarredDictElement)):
                best = max(best, self.generic(child, env))
            if best == 2:
                return 2
        return best

    def call_level(self, node: cst.Call, env) -> int:
        func = node.func
        arg_level = 0
        for a in node.args:
            arg_level = max(arg_level, self.level(a.value, env))
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if arg_level:
            self.shared_state = max(self.shared_state, arg_level)
        if name in COLLECTION_READS:
            # TF1's losses live in the graph's collections: `tf.losses.*`, or a helper given the
            # labels, adds one there, and the function returns what it reads back
            arg_level = max(arg_level, self.shared_state)
        if isinstance(func, cst.Attribute):
            recv = self.level(func.value, env)
            if name in SHAPE_METHODS:
                return max(min(recv, 1), arg_level)
            if name in NEW_METHODS:
                return max(min(recv, 1), arg_level)
            if name in SHAPE_FUNCS and recv == 0:
                return min(arg_level, 1)
            # a method call on a local object: the object now depends on the arguments
            # (calling a submodule of the layer, `self.fc(x)`, changes nothing in it)
            on_self = isinstance(func.value, cst.Name) and func.value.value == "self"
            pure = on_self and name in self.pure_attrs
            if arg_level and not pure:
                target = _path(func.value)
                if target is not None:
                    if target == "self" or target.startswith("self."):
                        self.self_state = max(self.self_state, arg_level)
                    elif target in env:  # a local object (module names are never in env)
                        env[target] = max(env[target], arg_level)
            return max(recv, arg_level)
        if isinstance(func, cst.Name) and name in SHAPE_FUNCS:
            return min(arg_level, 1)
        return max(self.level(func, env), arg_level)

    # -- statements -----------------------------------------------------------------------

    def block(self, stmts, env, pc) -> bool:
        """Run statements; True when every path returned."""
        for s in stmts:
            if self.stmt(s, env, pc):
                return True
        return False

    def stmt(self, s, env, pc) -> bool:
        t = type(s)
        if t is cst.SimpleStatementLine:
            for small in s.body:
                if self.small(small, env, pc):
                    return True
            return False
        if t is cst.If:
            lvl = max(pc, self.level(s.test, env))
            e1 = dict(env)
            r1 = self.block(s.body.body, e1, lvl)
            e2 = dict(env)
            r2 = False
            if s.orelse is not None:
                r2 = self.block([s.orelse] if isinstance(s.orelse, cst.If) else s.orelse.body.body, e2, lvl)
            _merge(env, e1 if not r1 else None, e2 if not r2 else None)
            if lvl:
                # later code runs only on the paths that did not return: it depends on the test
                for k in list(env):
                    env[k] = max(env[k], lvl) if (r1 or r2) else env[k]
            return r1 and r2
        if t in (cst.For, cst.While):
            if t is cst.For:
                it = self.level(s.iter, env)
                lvl = max(pc, it)
                self.assign(s.target, it, env, pc)
            else:
                lvl = max(pc, self.level(s.test, env))
            for _ in range(3):
                before = dict(env)
                e = dict(env)
                self.block(s.body.body, e, lvl)
                _merge(env, e, before)
                if env == before:
                    break
            if s.orelse is not None:
                self.block(s.orelse.body.body, env, pc)
            return False
        if t is cst.With:
            inner = pc
            for item in s.items:
                lvl = self.level(item.item, env)
                inner = max(inner, lvl)  # a context manager may change state the body reads
                if item.asname is not None:
                    self.assign(item.asname.name, lvl, env, pc)
            return self.block(s.body.body, env, inner)
        if t in (cst.Try, getattr(cst, "TryStar", cst.Try)):
            e0 = dict(env)
            r = self.block(s.body.body, env, pc)
            paths = [] if r else [env.copy()]
            for h in s.handlers:
                e = dict(e0)
                _merge(e, env, None)
                if not self.block(h.body.body, e, pc):
                    paths.append(e)
            if s.orelse is not None:
                self.block(s.orelse.body.body, env, pc)
            if paths:
                merged = paths[0]
                for p in paths[1:]:
                    _merge(merged, p, None)
                env.clear()
                env.update(merged)
            if s.finalbody is not None:
                self.block(s.finalbody.body.body, env, pc)
            return not paths
        if t is cst.FunctionDef:
            env[s.name.value] = self.generic(s.body, env) if s.body else 0
            return False
        if t is cst.ClassDef:
            return False
        self.unknown = True  # match statements and the like: give up on precision
        return False

    def small(self, s, env, pc) -> bool:
        t = type(s)
        if t is cst.Return:
            if s.value is not None:
                self.ret = max(self.ret, self.level(s.value, env), pc)
                self.returns += 1
            return True
        if t is cst.Assign:
            lvl = max(pc, self.level(s.value, env))
            for target in s.targets:
                self.assign(target.target, lvl, env, pc)
            return False
        if t is cst.AnnAssign:
            if s.value is not None:
                self.assign(s.target, max(pc, self.level(s.value, env)), env, pc)
            return False
        if t is cst.AugAssign:
            lvl = max(pc, self.level(s.value, env), self.level(s.target, env))
            self.assign(s.target, lvl, env, pc, weak=True)
            return False
        if t is cst.Expr:
            v = s.value
            if isinstance(v, (cst.Yield,)):
                if v.value is not None:
                    self.ret = max(self.ret, self.level(v.value, env) if isinstance(v.value, cst.BaseExpression) else 2, pc)
                    self.returns += 1
                return False
            self.level(v, env)
            if type(v) is cst.Call and not (type(v.func) is cst.Name and v.func.value == "print"):
                # a call made for its effect may write into what it is given (`match(truths,
                # labels, loc_t, conf_t, idx)` fills `loc_t` and `conf_t`): each name the function
                # bound itself and passes now depends on everything passed with it (`print`
                # writes into nothing, and the function's own inputs are read, not filled)
                lvl = max([pc] + [self.level(a.value, env) for a in v.args])
                if lvl:
                    for a in v.args:
                        path = _path(a.value)
                        if path is not None and path in env and path.split(".", 1)[0] not in self.inputs:
                            env[path] = max(env[path], lvl)
            return False
        if t is cst.Raise:
            return True
        return False

    def assign(self, target, lvl, env, pc, weak=False):
        t = type(target)
        if t is cst.Name:
            env[target.value] = max(lvl, env.get(target.value, 0)) if weak else lvl
        elif t in (cst.Tuple, cst.List):
            for el in target.elements:
                self.assign(el.value, lvl, env, pc, weak)
        elif t is cst.Attribute:
            path = _path(target)
            if path is not None:
                env[path] = max(lvl, env.get(path, 0)) if weak else lvl
                root = path.split(".", 1)[0]
                if root == "self":
                    self.self_state = max(self.self_state, lvl)
                elif root in env:
                    env[root] = max(env[root], lvl)
        elif t is cst.Subscript:
            base = target.value
            while isinstance(base, cst.Subscript):  # `g[i][0] = ...` changes `g`
                base = base.value
            path = _path(base)
            idx = self.generic(target, env)
            if path is not None:
                env[path] = max(env.get(path, 0), lvl, idx)
                if path == "self" or path.startswith("self."):
                    self.self_state = max(self.self_state, lvl)
        elif t is cst.StarredElement:
            self.assign(target.value, lvl, env, pc, weak)


def _path(node) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _path(node.value)
        return base + "." + node.attr.value if base is not None else None
    return None


def _merge(env, a, b):
    """env := join of a and b (max of levels); None for a path that returned."""
    keys = set(env)
    for e in (a, b):
        if e is not None:
            keys |= set(e)
    for k in keys:
        vals = [e.get(k, 0) for e in (a, b) if e is not None]
        if vals:
            env[k] = max(vals + ([env.get(k, 0)] if a is None or b is None else []))


def result_dependence(func: cst.FunctionDef | cst.Lambda, param, pure_attrs=frozenset()) -> int | None:
    """0, 1 or 2 (see the module doc) for the function's returned value, as a function of the
    parameter `param` (a name, or several names taken together); None when the function
    returns nothing or the analysis cannot tell."""
    names = (param,) if isinstance(param, str) else tuple(param)
    return _run(_Analysis(names[0] if names else "", pure_attrs), func, names)


def _run(a: "_Analysis", func, names) -> int | None:
    p = func.params
    env = {x.name.value: 0 for x in (*p.posonly_params, *p.params, *p.kwonly_params)}
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            env[star.name.value] = 0
    for name in names:
        env[name] = 2
    a.inputs = set(env)
    if isinstance(func, cst.Lambda):
        return a.level(func.body, env)
    body = func.body
    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    try:
        a.block(stmts, env, 0)
    except RecursionError:
        return None
    if a.unknown or a.returns == 0:
        return None
    return a.ret


def all_params(func) -> list:
    """Every parameter name, including *args, keyword-only and **kwargs."""
    p = func.params
    names = [x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)]
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return names


# Every node of code below a node, in source order, without recursion (a statement nested too
# deeply for a visitor is still walked); `prune`: node types whose children are not entered.
descendants = walk_code


def returned_names(func) -> list:
    """The expressions every `return` gives back (for the `return y_pred` idiom), in source
    order; nested functions, lambdas and classes are their own."""
    if isinstance(func, cst.Lambda):
        return [func.body]
    own = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
    return [n.value for n in descendants(func, prune=own) if isinstance(n, cst.Return)]


def is_stub(func) -> bool:
    """A body that only raises NotImplementedError, passes, or holds a docstring / `...`."""
    if isinstance(func, cst.Lambda):
        return False
    body = func.body
    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for s in stmts:
        if isinstance(s, cst.SimpleStatementLine):
            for small in s.body:
                if isinstance(small, cst.Pass):
                    continue
                if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis)):
                    continue
                if isinstance(small, cst.Raise):
                    continue
                return False
        else:
            return False
    return True


def names_read(scope) -> set | None:
    """The names a function (or module) body reads anywhere, nested functions included; None
    when it reads its own namespace by other means (`locals()`, `vars()`, `eval`, `exec`)."""
    stores = {}
    counts = {}
    name_type, call_type = cst.Name, cst.Call
    for n in descendants(scope):
        kind = type(n)  # exact types: libcst's classes are ABCs, slow under isinstance
        if kind is name_type:
            counts[n.value] = counts.get(n.value, 0) + 1
            continue
        if kind is call_type:
            if type(n.func) is name_type and n.func.value in ("locals", "vars", "eval", "exec"):
                return None
            continue
        field = _STORING.get(kind)
        if field is None:
            continue
        for t in store_names(getattr(n, field)):
            stores[t] = stores.get(t, 0) + 1
    return {name for name, c in counts.items() if c > stores.get(name, 0)}


# node type -> the field holding what it binds
_STORING = {cst.AssignTarget: "target", cst.AnnAssign: "target", cst.For: "target", cst.CompFor: "target",
            cst.AsName: "name", cst.FunctionDef: "name", cst.ClassDef: "name", cst.Param: "name"}


def store_names(target):
    """The plain names an assignment target binds (`a`, `a, (b, c)`, `*rest`)."""
    kind = type(target)
    if kind is cst.Name:
        yield target.value
    elif kind is cst.Tuple or kind is cst.List:
        for e in target.elements:
            yield from store_names(e.value)
    elif kind is cst.StarredElement:
        yield from store_names(target.value)


# -- does a function's result depend on a parameter through operations with a gradient? ----

NO_GRADIENT_CALLS = frozenset({
    "argmax", "argmin", "argsort", "round", "rint", "sign", "floor", "ceil", "equal", "not_equal", "greater",
    "greater_equal", "less", "less_equal", "logical_and", "logical_or", "logical_not", "eq", "ne", "gt", "ge", "lt",
    "le", "numpy", "item", "tolist", "detach", "stop_gradient", "long", "int", "bool", "top_k", "in_top_k",
})
INT_DTYPE_WORDS = ("int8", "int16", "int32", "int64", "uint8", "bool", "long")


def _int_dtype_arg(node: cst.Call) -> bool:
    """`tf.cast(x, tf.int32)`, `K.cast(x, 'int32')`, `x.to(torch.long)`, `x.type(torch.int64)`."""
    for a in node.args[1:] if not isinstance(node.func, cst.Attribute) or node.func.attr.value == "cast" else node.args:
        v = a.value
        text = v.attr.value if isinstance(v, cst.Attribute) else v.value if isinstance(v, cst.Name) else \
            v.value.strip("'\"") if isinstance(v, cst.SimpleString) else None
        if text in INT_DTYPE_WORDS:
            return True
    return False


class _GradAnalysis(_Analysis):
    """Levels as in `_Analysis`, except that a value passed through an operation without a
    gradient (argmax, round, a comparison, a cast to an integer type, `.numpy()`) drops to
    level 1: it still depends on the parameter, but no gradient flows back through it."""

    def level(self, node, env) -> int:
        if isinstance(node, cst.Comparison):
            return min(self.generic(node, env), 1)
        return super().level(node, env)

    def call_level(self, node: cst.Call, env) -> int:
        full = super().call_level(node, env)
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if name in NO_GRADIENT_CALLS and not (name in ("int", "bool") and isinstance(func, cst.Name)):
            return min(full, 1)
        if name in ("cast", "to", "type", "astype") and _int_dtype_arg(node):
            return min(full, 1)
        return full


def gradient_dependence(func: cst.FunctionDef | cst.Lambda, param: str) -> int | None:
    """Like `result_dependence`, where 2 means a gradient can flow from the result back to
    `param`; 1 that the result depends on it only through operations without a gradient."""
    return _run(_GradAnalysis(param), func, (param,))

