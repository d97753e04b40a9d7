"""TensorFlow graph-building calls read off the syntax: `tf.layers.dense(x, ...)`,
`tf.nn.dropout(h, keep_prob)`, `tf.contrib.layers.batch_norm(h)`, `tf.stop_gradient(h)`, the
layers of a TF1 model written as functions."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants, store_names
from tensorlint.syntax import dotted

from ._common import scope_roots
from ._training import parents

TF_MODULES = ("tensorflow", "tensorflow.compat.v1")
# `tf.nn.<op>` that transform a tensor flowing through a network (losses, lookups and
# statistics are not: their first argument is not the data stream)
NN_OPS = frozenset({
    "conv1d", "conv2d", "conv3d", "conv2d_transpose", "conv3d_transpose", "conv1d_transpose", "depthwise_conv2d",
    "separable_conv2d", "atrous_conv2d", "convolution", "max_pool", "avg_pool", "max_pool2d", "avg_pool2d",
    "max_pool1d", "avg_pool1d", "max_pool3d", "avg_pool3d", "pool", "dropout", "relu", "relu6", "elu", "selu",
    "leaky_relu", "crelu", "softplus", "softsign", "sigmoid", "tanh", "swish", "gelu", "softmax", "log_softmax",
    "bias_add", "batch_normalization", "fused_batch_norm", "lrn", "local_response_normalization", "xw_plus_b",
    "l2_normalize",
})
TOP_OPS = frozenset({"stop_gradient", "maximum", "sigmoid", "tanh", "matmul"})
# ops that pass the stream through with the same shape: a network never uses their output as a
# separate head, so computing one and feeding the next layer its input skips it
PASS_THROUGH = frozenset({"dropout", "batch_normalization", "batch_norm", "fused_batch_norm", "stop_gradient",
                          "layer_norm", "lrn", "local_response_normalization", "instance_norm", "group_norm"})
NOT_OPS = ("initializer", "regularizer", "loss", "summar", "optimize", "variable", "arg_scope")
INPUT_KEYWORDS = ("inputs", "input", "x", "features", "value")


def tf_aliases(ctx) -> frozenset:
    """Local names the file binds to the TensorFlow module (`tf` of `import tensorflow as tf`,
    `import tensorflow.compat.v1 as tf`); computed once per analysis."""
    got = getattr(ctx, "_tl_tf_aliases", None)
    if got is not None:
        return got
    from ._trees import per_chunk

    names = set()
    if "tensorflow" in ctx.text:
        names = names.union(*per_chunk(ctx, ("tf aliases",), _tf_imports))
    got = ctx._tl_tf_aliases = frozenset(names)
    return got


def _tf_imports(module) -> frozenset:
    """The names a chunk's top-level `import tensorflow[.compat.v1] [as tf]` statements bind."""
    names = set()
    for node in module.body:
        stmt = node.body[0] if isinstance(node, cst.SimpleStatementLine) and node.body else None
        if isinstance(stmt, cst.Import):
            for alias in stmt.names:
                full = dotted(alias.name)
                if full in TF_MODULES:
                    names.add(alias.asname.name.value if alias.asname else full.split(".")[0])
    return frozenset(names)


def graph_op(call: cst.Call, aliases) -> str | None:
    """`tf.nn.dropout` (as written) when `call` is a TensorFlow op of a network's data stream."""
    path = dotted(call.func)
    head, _, rest = path.partition(".")
    if head not in aliases or not rest:
        return None
    if rest.startswith("compat.v1."):
        rest = rest[len("compat.v1."):]
    parts = rest.split(".")
    op = parts[-1]
    if not op[:1].islower() or any(w in op for w in NOT_OPS):
        return None
    if len(parts) == 1 and op in TOP_OPS:
        return path
    if parts[:-1] == ["nn"] and op in NN_OPS:
        return path
    if parts[:-1] in (["layers"], ["contrib", "layers"]):
        return path
    return None


def op_name(label: str) -> str:
    return label.rsplit(".", 1)[-1]


def pass_through(label: str) -> bool:
    return op_name(label) in PASS_THROUGH


def input_arg(call: cst.Call):
    """The data a layer call is fed: its first positional argument, or `inputs=`/`x=`."""
    for a in call.args:
        if a.keyword is None and not a.star:
            return a.value
    for a in call.args:
        if a.keyword is not None and a.keyword.value in INPUT_KEYWORDS:
            return a.value
    return None


def names_in(node) -> set:
    """Plain names an expression reads (not attribute names or keywords)."""
    if isinstance(node, cst.Name):
        return {node.value}
    out = set()
    skip = set()
    for n in descendants(node, prune=(cst.Lambda,)):
        if isinstance(n, cst.Attribute):
            skip.add(id(n.attr))
        elif isinstance(n, cst.Arg) and n.keyword is not None:
            skip.add(id(n.keyword))
        elif isinstance(n, cst.Name) and id(n) not in skip:
            out.add(n.value)
    return out


def name_reads(scope, par) -> dict:
    """name -> [(Name node, statement)] of every place `scope` reads a plain name, nested
    functions included (stores, attribute names and keywords excluded)."""
    stores = set()
    out: dict = {}
    for n in descendants(scope):
        kind = type(n)  # (tested by exact type: libcst's classes are ABCs, slow under isinstance)
        if kind in _STORE_TARGETS:
            t = n.target
            if type(t) in _NAMES:
                stores.add(id(t))
            elif type(t) in _SEQUENCES:
                stores.update(id(e.value) for e in t.elements)
        elif kind in _ATTRIBUTES:
            stores.add(id(n.attr))
        elif kind in _ARGS:
            if n.keyword is not None:
                stores.add(id(n.keyword))
        elif kind in _NAMED_DEFINITIONS:
            stores.add(id(n.name))
        elif kind in _NAMES and id(n) not in stores:
            out.setdefault(n.value, []).append((n, par.statement(n)))
    return out


_STORE_TARGETS = kinds_of(cst.AssignTarget, cst.AnnAssign, cst.For, cst.CompFor)
_NAMES = kinds_of(cst.Name)
_SEQUENCES = kinds_of(cst.Tuple, cst.List)
_ATTRIBUTES = kinds_of(cst.Attribute)
_ARGS = kinds_of(cst.Arg)
_NAMED_DEFINITIONS = kinds_of(cst.Param, cst.FunctionDef, cst.ClassDef)


def sole_value(ctx, scope, name):
    """The expression `name` is bound to when the scope binds it exactly once, by `name = value`."""
    found = []
    for root in scope_roots(ctx, scope):
        for n in descendants(root, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
                if name in store_names(n.target):
                    found.append(n)
            elif isinstance(n, (cst.AsName, cst.NamedExpr)) and isinstance(n.name if isinstance(n, cst.AsName) else n.target,
                                                                             cst.Name):
                t = n.name if isinstance(n, cst.AsName) else n.target
                if t.value == name:
                    found.append(n)
        if len(found) > 1:
            return None
    if len(found) != 1 or not isinstance(found[0], cst.AssignTarget) or not isinstance(found[0].target, cst.Name):
        return None
    stmt = parents(ctx).parent.get(found[0])
    return stmt.value if isinstance(stmt, cst.Assign) else None


def _bound_by(stmt) -> frozenset:
    """The names `_binds(stmt, name)` is true for."""
    out = set()
    for n in descendants(stmt, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
            out.update(store_names(n.target))
        elif isinstance(n, cst.AsName) and isinstance(n.name, cst.Name):
            out.add(n.name.value)
        elif isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
            out.add(n.target.value)
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        out.add(stmt.name.value)
    return frozenset(out)


_ABSENT = object()


class _ModuleStatements:
    """The module-level statements of all chunks in order, and where each name is bound among
    them; what each statement binds is kept with its chunk's tree."""

    def __init__(self, ctx):
        from ._trees import per_chunk

        self.body = [s for c in ctx.chunks for s in c.module.body]
        self.index = {id(s): i for i, s in enumerate(self.body)}
        self.binders: dict = {}
        i = 0
        for bound in per_chunk(ctx, ("bound by statement",), lambda m: [_bound_by(s) for s in m.body]):
            for names in bound:
                for name in names:
                    self.binders.setdefault(name, []).append(i)
                i += 1

    def last_binder(self, stmt, name):
        """The last statement before `stmt` that binds `name` (None: none; `_ABSENT`: `stmt` is not
        a module-level statement of the chunks)."""
        import bisect

        index = self.index.get(id(stmt))
        if index is None:
            return _ABSENT
        at = self.binders.get(name, ())
        k = bisect.bisect_left(at, index)
        return self.body[at[k - 1]] if k else None


def _module_statements(ctx) -> _ModuleStatements:
    got = getattr(ctx, "_tl_module_statements", None)
    if got is None:
        got = ctx._tl_module_statements = _ModuleStatements(ctx)
    return got


def _binds(stmt, name) -> bool:
    for n in descendants(stmt, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if isinstance(n, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
            if name in store_names(n.target):
                return True
        elif isinstance(n, cst.AsName) and isinstance(n.name, cst.Name) and n.name.value == name:
            return True
        elif isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name) and n.target.value == name:
            return True
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and stmt.name.value == name:
        return True
    return False


def reaching_value(ctx, node, name, into_with=False):
    """The expression of the last `name = value` before `node`, read backwards through the
    statements that precede it (a notebook's earlier cells included); None when the nearest
    binding is anything else (a loop target, a branch, a parameter) or there is none. With
    `into_with`, a binding inside an earlier `with` block (`with tf.name_scope(...):`) counts."""
    par = parents(ctx)
    stmt = par.statement(node)
    while stmt is not None:
        holder = par.parent.get(stmt)
        if isinstance(holder, cst.Module):
            prev = _module_statements(ctx).last_binder(stmt, name)
            if prev is _ABSENT:
                return None
            candidates = [] if prev is None else [prev]
        elif isinstance(holder, cst.IndentedBlock):
            body = list(holder.body)
            index = next((i for i, s in enumerate(body) if s is stmt), None)
            if index is None:
                return None
            bound = _bound_cache(ctx)
            candidates = (prev for prev in reversed(body[:index]) if name in bound(prev))
        else:
            return None
        for prev in candidates:
            if into_with and isinstance(prev, cst.With) and isinstance(prev.body, cst.IndentedBlock):
                return _last_in_with(prev, name, _bound_cache(ctx))
            small = prev.body[0] if isinstance(prev, cst.SimpleStatementLine) and len(prev.body) == 1 else None
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                return small.value
            return None
        if isinstance(holder, cst.Module):
            return None
        outer = par.parent.get(holder)
        if isinstance(outer, (cst.FunctionDef, cst.ClassDef)) or outer is None:
            return None
        stmt = outer if isinstance(outer, cst.BaseCompoundStatement) else par.statement(outer)
    return None


def _last_in_with(stmt: cst.With, name, bound=None):
    """The value of the last `name = value` of a `with` block, nested `with` blocks included; None
    when the last binding there is anything else. `bound`: what `_bound_by` says of a statement."""
    for prev in reversed(stmt.body.body):
        if not (name in bound(prev) if bound is not None else _binds(prev, name)):
            continue
        if isinstance(prev, cst.With) and isinstance(prev.body, cst.IndentedBlock):
            return _last_in_with(prev, name, bound)
        small = prev.body[0] if isinstance(prev, cst.SimpleStatementLine) and len(prev.body) == 1 else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.value
        return None
    return None


def _bound_cache(ctx):
    """`_bound_by`, remembered for the analysis (a statement is asked about for several names)
    and, in the language server, from edit to edit for the statements of unchanged chunks."""
    from ._trees import node_memo

    return node_memo(ctx, ("bound by",), _bound_by)
