"""TL414's reading of a block function of the file whose stream output is dropped: `_, n, feats =
dense_block(x, ...)` where `dense_block` takes its input `x`, carries it through its layers
and returns it first, followed by a layer fed `x` itself: the block's layers are skipped."""
import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.syntax import dotted as dotted_name

from ._graph_ops import input_arg
from ._layer_bypass import bindings_of
from ._statement_facts import StatementFacts
from ._trees import per_chunk
from ._training import parents

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _own_nodes(func, kinds):
    return [n for n in descendants(func.body, prune=_SCOPES) if type(n) in kinds]


# TF1 functions that make a layer with weights and apply it (`tf.layers.conv2d(x, 32, 3)`)
_TF1_LAYERS = frozenset({"dense", "conv1d", "conv2d", "conv3d", "conv2d_transpose", "conv3d_transpose",
                         "separable_conv2d", "fully_connected"})


def _made_and_called(func, weighted) -> bool:
    """A layer with weights applied in the function's own code: built and called at once
    (`Conv2D(...)(x)`), or a TF1 layer function (`tf.layers.conv2d(x, ...)`)."""
    for call in _own_nodes(func, (cst.Call,)):
        inner = call.func
        if type(inner) is cst.Call and type(inner.func) in (cst.Name, cst.Attribute):
            label = inner.func.attr.value if type(inner.func) is cst.Attribute else inner.func.value
            if label in weighted:
                return True
        elif type(inner) is cst.Attribute and inner.attr.value in _TF1_LAYERS:
            owner = dotted_name(inner.value)
            if owner.endswith("layers") and owner.partition(".")[0] in ("tf", "tensorflow"):
                return True
    return False


def _stream_param(func) -> str | None:
    """The name of the function's first parameter when every `return` of its own code gives that
    parameter back first (`return x` or `return x, n, ...`) after the function bound it again
    from a call (`x = concatenate(...)`): the function carries its input through and hands it on."""
    params = func.params.params
    if not params:
        return None
    name = params[0].name.value
    if name in ("self", "cls"):
        return None
    returns = _own_nodes(func, (cst.Return,))
    if not returns:
        return None
    for r in returns:
        v = r.value
        first = v.elements[0].value if type(v) is cst.Tuple and v.elements else v
        if type(first) is not cst.Name or first.value != name:
            return None
    rebound = any(len(a.targets) == 1 and type(a.targets[0].target) is cst.Name and a.targets[0].target.value == name
                  and type(a.value) is cst.Call for a in _own_nodes(func, (cst.Assign,)))
    return name if rebound else None


def _functions_of(module, weighted) -> list:
    """(name, function, stream parameter or None, whether it applies a layer with weights itself,
    the names of the functions it calls, its return lengths) for the chunk's top-level functions."""
    out = []
    for func in module.body:
        if type(func) is not cst.FunctionDef:
            continue
        called = frozenset(c.func.value for c in _own_nodes(func, (cst.Call,)) if type(c.func) is cst.Name)
        lengths = frozenset(len(r.value.elements) if type(r.value) is cst.Tuple else 1
                            for r in _own_nodes(func, (cst.Return,)))
        out.append((func.name.value, func, _stream_param(func), _made_and_called(func, weighted), called, lengths))
    return out


def _blocks(ctx, weighted) -> dict:
    """name -> (function, its stream parameter, return lengths) for the file's top-level functions
    (defined once, in any chunk) that carry their first argument through layers with weights
    (their own, or those of another such function of the file they call) and return it first."""
    funcs: dict = {}
    for part in per_chunk(ctx, ("TL414 top-level functions", weighted), lambda m: _functions_of(m, weighted)):
        for entry in part:
            funcs.setdefault(entry[0], []).append(entry)
    out = {}
    for name, defs in funcs.items():
        if len(defs) != 1 or defs[0][2] is None:
            continue
        _, func, param, own, called, lengths = defs[0]
        if own or any(c != name and len(funcs.get(c, ())) == 1 and funcs[c][0][3] for c in called):
            out[name] = (func, param, lengths)
    return out


def dropped_stream(rule, ctx, scope, calls, read, weighted):
    """In function `scope`: `_, n = block(x)` (or `y = block(x)` with `y` never read), `block` a
    top-level function of the file that carries its input through layers with weights and returns
    it first, then a layer of `calls` fed `x` with no new binding of `x` in between."""
    blocks = _blocks(ctx, weighted)
    if not blocks:
        return
    par, facts = parents(ctx), None
    for assign in _own_nodes(scope, (cst.Assign,)):
        call = assign.value
        if type(call) is not cst.Call or type(call.func) is not cst.Name or not blocks.get(call.func.value):
            continue
        func, _param, lengths = blocks[call.func.value]
        if len(assign.targets) != 1:
            continue
        target = assign.targets[0].target
        if type(target) in (cst.Tuple, cst.List):
            if len(target.elements) not in lengths or any(type(e) is cst.StarredElement for e in target.elements):
                continue
            first = target.elements[0].value
        else:
            first = target
            if 1 not in lengths:
                continue
        x = input_arg(call)
        if type(first) is not cst.Name or (first.value != "_" and first.value in read) or type(x) is not cst.Name:
            continue
        stmt = par.statement(call)
        if facts is None:
            facts = StatementFacts([scope], par, bindings_of(scope))
        here = facts.pos(stmt)
        for later, layer in calls:
            fed = input_arg(later) if type(later) is cst.Call else None
            if type(fed) is not cst.Name or fed.value != x.value:
                continue
            other = par.statement(later)
            there = facts.pos(other)
            if there <= here or par.exclusive(stmt, other):
                continue
            if any(here < b < there for b in facts.binding_positions(x.value)):
                continue
            dropped = "is dropped (`_`)" if first.value == "_" else f"(`{first.value}`) is never used"
            ctx.report(rule, stmt,
                       f"the output of `{func.name.value}` (line {ctx.line(stmt)}), the input `{x.value}` it carries "
                       f"through its layers, {dropped}: the next layer, `{layer}` (line {ctx.line(later)}), is fed "
                       f"`{x.value}` from before the block, so the block's layers are skipped and their weights never train",
                       related=[(later, f"`{x.value}` from before the block is used here")])
            break
