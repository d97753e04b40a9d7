"""TL414's reading of the statements around a layer call: a layer's output replaced by its own
input before anything reads it, one output of a block of the file dropped for an older value,
and the helpers both share with the rule (bindings, assigned names, loops)."""
import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants, store_names
from tensorlint.syntax import dotted as dotted_name

from ._graph_ops import input_arg, name_reads, reaching_value
from ._trees import per_chunk
from ._statement_facts import StatementFacts, gathered_names
from ._training import parents

_TARGET_BINDERS = kinds_of(cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)
_AS_NAMES = kinds_of(cst.AsName)
WEIGHTED = frozenset({
    "Dense", "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D", "Embedding", "LSTM", "GRU", "RNN", "SimpleRNN",
    "MultiHeadAttention", "MultiheadAttention",
})


def first_arg(call: cst.Call):
    return input_arg(call)


def assigned_name(stmt, call, bindings=None):
    """`name` when `stmt` is `name = <expression holding call>` with one plain name target. A
    leading underscore marks a value kept on purpose, unless the function binds that name more
    than once (its naming style, not a throwaway)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        value = small.value
    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        value = small.value
    else:
        return None
    if value is not call and not any(n is call for n in descendants(value)):
        return None
    name = small.targets[0].target.value if isinstance(small, cst.Assign) else small.target.value
    if name.startswith("_") and (bindings is None or len(bindings.get(name, ())) < 2):
        return None
    return name


def value_of(stmt):
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and stmt.body else None
    return small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None


def bindings_of(scope) -> dict:
    """name -> lines where the scope binds it (assignments, loop targets, with-as)."""
    out: dict = {}
    for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        kind = type(n)  # (tested by exact type: libcst's classes are ABCs, slow under isinstance)
        if kind in _TARGET_BINDERS:
            targets = [n.target]
        elif kind in _AS_NAMES:
            targets = [n.name]
        else:
            continue
        for t in targets:
            for name in store_names(t):
                out.setdefault(name, []).append(n)
    return out


def _unpacked_calls(module) -> list:
    """(statement, call, target names) for the chunk's top-level `a, b = name(...)`: a call of a
    name unpacked into plain names."""
    out = []
    for stmt in module.body:
        small = stmt.body[0] if type(stmt) is cst.SimpleStatementLine and len(stmt.body) == 1 else None
        if type(small) is not cst.Assign or len(small.targets) != 1 or type(small.value) is not cst.Call:
            continue
        target, call = small.targets[0].target, small.value
        if type(target) not in (cst.Tuple, cst.List) or type(call.func) is not cst.Name:
            continue
        names = [e.value.value for e in target.elements if type(e.value) is cst.Name]
        if len(names) == len(target.elements) >= 2 and not any(n.startswith("_") for n in names):
            out.append((stmt, call, names))
    return out


def _keras_classes(ctx) -> frozenset:
    """The names of the file's classes that subclass a Keras layer or model (`layers.Layer`,
    `tf.keras.Model`, `keras.layers.Layer`)."""
    from ._module_classes import module_classes

    out = set()
    for cls in module_classes(ctx):
        bases = [dotted_name(b.value) for b in cls.bases]
        if any(b.rpartition(".")[2] in ("Layer", "Model") and (b.count(".") == 0 or "keras" in b or "layers" in b)
               for b in bases):
            out.add(cls.name.value)
    return frozenset(out)


def _fed_names(call) -> list:
    """The plain names a layer call is fed: its first argument, or the elements of the list or
    tuple given there (a merge layer's inputs)."""
    arg = first_arg(call)
    if type(arg) is cst.Name:
        return [arg.value]
    if type(arg) in (cst.List, cst.Tuple):
        return [e.value.value for e in arg.elements if type(e.value) is cst.Name]
    return []


def in_loop(par, stmt, func) -> bool:
    """Whether `stmt` lies in a loop of `func`, where source order is not the order of execution."""
    for a in par.ancestors(stmt):
        if a is func:
            return False
        if isinstance(a, (cst.For, cst.While)):
            return True
    return False


def names_read_between(facts, par, func, name, here, there):
    """The statements of `func` that read `name` after statement `here` and up to `there` (source
    positions); None when a nested function or lambda reads it (it may run at any time)."""
    out = []
    for node, where in name_reads(func, par).get(name, ()):
        if par.scope(node) is not func:
            return None
        if here < facts.pos(where) <= there:
            out.append(where)
    return out


def bypassed(rule, ctx, par, facts, func, stmt, node, name, layer, calls, bindings) -> bool:
    """`name = Layer(...)(a)` followed, before anything reads `name`, by `name = a`: the layer's
    output is replaced by its own input, and the later layer fed `name` gets `a` (on the path
    through the rebinding), so the layer is skipped there. Reported at the rebinding."""
    arg = first_arg(node)
    if type(arg) is not cst.Name or arg.value == name or in_loop(par, stmt, func):
        return False
    here = facts.pos(stmt)
    a = arg.value
    for target in bindings.get(name, ()):
        alias = par.statement(target)
        there = facts.pos(alias)
        if there <= here or par.exclusive(stmt, alias) or in_loop(par, alias, func):
            continue
        value = value_of(alias)
        if type(value) is not cst.Name or value.value != a or assigned_name(alias, value) != name:
            continue
        if any(here < b < there for b in facts.binding_positions(a)):
            break  # `a` is another value by then
        reads = names_read_between(facts, par, func, name, here, there)
        if reads is None or reads:
            break  # the layer's output is read (or may be) before the rebinding
        later = next((c for c, _ in calls if type(c) is cst.Call and facts.pos(par.statement(c)) > there
                      and type(first_arg(c)) is cst.Name and first_arg(c).value == name
                      and not par.exclusive(alias, par.statement(c))
                      and not any(there < b < facts.pos(par.statement(c)) for b in facts.binding_positions(name))),
                     None)
        if later is None:
            break
        made = later.func.func if type(later.func) is cst.Call else later.func
        message = (f"`{name} = {a}` replaces the output of `{layer}` (line {ctx.line(stmt)}), which nothing read, "
                   f"with that layer's own input: the next layer, `{dotted_name(made)}` (line {ctx.line(later)}), "
                   f"is fed `{a}`, so `{layer}` is skipped and its weights never train")
        ctx.report(rule, alias, message, related=[(stmt, f"the output of `{layer}` bound to `{name}`")])
        return True
    return False


def unpacked_output_overwritten(rule, ctx):
    """At module level, `a, b = block(x)` with `block` an instance of a Keras layer or model
    class of the file, one output (`a`) bound again before anything reads it by a Keras layer
    fed a value from before the block (`a = layers.subtract([x, stale])`), while another
    output is read: that output of the block is dropped and the layer after it takes the
    older value in its place."""
    found = [c for part in per_chunk(ctx, ("TL414 unpacked block calls",), _unpacked_calls) for c in part]
    if not found:
        return
    classes = _keras_classes(ctx)
    if not classes:
        return
    par = parents(ctx)
    bindings = gathered_names(ctx, ("bindings",), bindings_of)
    facts = StatementFacts([c.module for c in ctx.chunks], par, bindings, ctx)
    for stmt, call, targets in found:
        made = reaching_value(ctx, call, call.func.value)
        if type(made) is not cst.Call or dotted_name(made.func).rpartition(".")[2] not in classes:
            continue
        here = facts.pos(stmt)
        reads = {t: facts.binding_reads(stmt, t, here) for t in targets}
        for t in targets:
            if reads[t] is None or reads[t] or all(reads[o] == [] for o in targets if o != t):
                continue  # read (or in a loop), or no output of the block read at all (a cell run again)
            later = next((b for b in (par.statement(n) for n in bindings.get(t, ()))
                          if facts.pos(b) > here and not par.exclusive(stmt, b)), None)
            value = value_of(later) if later is not None else None
            if type(value) is not cst.Call or assigned_name(later, value) != t:
                continue
            there = facts.pos(later)
            fed = [n for n in _fed_names(value) if n not in targets
                   and any(b < here for b in facts.binding_positions(n))
                   and not any(here < b < there for b in facts.binding_positions(n))]
            if not fed:
                continue
            given = _fed_names(call)
            stale = next((n for n in fed if n not in given), fed[0])  # the older value over the block's input
            message = (f"`{t}`, an output of `{call.func.value}` (line {ctx.line(stmt)}), is bound again at line "
                       f"{ctx.line(later)} before anything reads it: the layer there is fed `{stale}`, a value from "
                       f"before the block, so the block's `{t}` is never used")
            ctx.report(rule, stmt, message, related=[(later, f"`{t}` bound again, fed `{stale}`")])
            break


def weighted_layer(par, func, label) -> bool:
    """Whether the layer called under `label` has weights: a class made and called at once
    (`Dense(64)(x)`), or `self.attr` that the enclosing class binds to such a class."""
    if not label.startswith("self."):
        return label.rpartition(".")[2] in WEIGHTED
    cls = next((a for a in par.ancestors(func) if isinstance(a, cst.ClassDef)), None)
    if cls is None:
        return False
    attr = label[len("self."):]
    made = [n.value for n in descendants(cls, prune=(cst.ClassDef,)) if type(n) is cst.Assign and len(n.targets) == 1
            and type(n.targets[0].target) is cst.Attribute and type(n.targets[0].target.value) is cst.Name
            and n.targets[0].target.value.value == "self" and n.targets[0].target.attr.value == attr]
    return len(made) == 1 and type(made[0]) is cst.Call and dotted_name(made[0].func).rpartition(".")[2] in WEIGHTED
