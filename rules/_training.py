"""Helpers for the training-loop rules (TL4xx): what a loop trace did, which modules make up a
model, where a statement sits, and fixes that insert a statement."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import kinds_of, statements
from tensorlint.findings import Applicability, Edit, Fix, Position, Span
from tensorlint.frameworks import ParamsV
from tensorlint.frameworks.common import UNKNOWN_INPUT_MODELS, UNSEEN_MODELS
from tensorlint.frameworks.torch import Scheduler
from tensorlint.values import Container, Instance, Layer, MutableList, Optimizer, Seq, Tensor, Unknown

from ._trees import chunk_parents

# calls that clear gradients: optimizer.zero_grad(), model.zero_grad(), p.grad.zero_(), p.grad = None
CLEARS = frozenset({"zero_grad", "zero_", "grad=", "clear_grad", "clear_gradients", "zero_gradients"})


def is_model(v) -> bool:
    if isinstance(v, (Layer, Container)):
        return v.fw == "torch"
    return isinstance(v, Instance) and v.cls.kind == "torch.module"


def module_ids(model, limit: int = 512) -> frozenset:
    """Ids of a model and every module inside it (attributes, Sequential/ModuleList items)."""
    seen: set = set()
    stack = [model]
    while stack and len(seen) < limit:
        v = stack.pop()
        if id(v) in seen:
            continue
        if isinstance(v, (Layer, Container, Instance)):
            seen.add(id(v))
            if isinstance(v, Container):
                stack.extend(v.layers)
            elif isinstance(v, Instance):
                stack.extend(v.attrs.values())
        elif isinstance(v, (Seq, MutableList)):
            stack.extend(v.items)
    return frozenset(seen)


def optimizer_model(opt):
    """The model an optimizer was built on (`SGD(model.parameters())`), or None."""
    if isinstance(opt, Optimizer) and isinstance(opt.params, ParamsV) and is_model(opt.params.model):
        return opt.params.model
    return None


def backward_calls(calls) -> list:
    """Index and entry of each `t.backward()` on a torch tensor (or on something unknown)."""
    return [(i, c) for i, c in enumerate(calls) if c[1] == "backward" and (isinstance(c[0], Unknown) or (isinstance(c[0], Tensor) and c[0].fw == "torch"))]


def step_calls(calls) -> list:
    """Index and entry of each `optimizer.step()` on a known torch optimizer."""
    return [(i, c) for i, c in enumerate(calls) if c[1] == "step" and isinstance(c[0], Optimizer) and c[0].kind.startswith("torch.")]


def is_scheduler_step(entry) -> bool:
    """`scheduler.step()` of a learning-rate scheduler (torch.optim.lr_scheduler.*): it changes
    the learning rate, never the weights."""
    return entry[1] == "step" and isinstance(entry[0], Scheduler)


def clears_grads(calls) -> bool:
    return any(c[1] in CLEARS for c in calls)


def has_closure(entry) -> bool:
    """`optimizer.step(closure)` (LBFGS): the closure runs forward and backward itself."""
    return bool(entry[3]) or bool(entry[4])


class Parents:
    """Parent links of the chunks' nodes, built once per analysis on first need (and kept with
    each chunk's tree, which the language server reuses across edits)."""

    def __init__(self, chunks, kept=None):
        if kept is not None:  # a document's links kept across edits (tensorlint.incremental)
            self.parent = kept.update(chunks)
            return
        self.parent: dict = {}
        for chunk in chunks:  # (layout, whitespace and brackets, is never asked about)
            self.parent.update(chunk_parents(chunk))

    def ancestors(self, node):
        node = self.parent.get(node)
        while node is not None:
            yield node
            node = self.parent.get(node)

    def inside(self, node, container) -> bool:
        return any(a is container for a in self.ancestors(node))

    def statement(self, node):
        """The statement line (or compound statement) holding `node`."""
        for a in self.ancestors(node):
            if type(a) in _STATEMENT_KINDS:  # (exact types: libcst's classes are ABCs, slow under isinstance)
                return a
        return None

    def conditional_between(self, node, top) -> bool:
        """An `if` (or a `while`, `try`) between `node` and `top` (a loop), or between `node` and
        the function holding it when `top` does not hold it."""
        for a in self.ancestors(node):
            if a is top or isinstance(a, (cst.FunctionDef, cst.Lambda, cst.Module)):
                return False
            if isinstance(a, (cst.If, cst.While, cst.Try, cst.IfExp)):
                return True
        return False

    def exclusive(self, a, b) -> bool:
        """`a` and `b` lie in branches of one statement that never both run: the body and the
        `else`/`elif` of an `if`, the body of a `try` and its handlers (one runs when the other stopped
        early), two cases of a `match`."""
        path = {}
        child = a
        for anc in self.ancestors(a):
            path[id(anc)] = child
            child = anc
        child = b
        for anc in self.ancestors(b):
            if id(anc) in path:
                mine = path[id(anc)]
                if mine is child:
                    return False
                if isinstance(anc, cst.If):
                    return anc.orelse is not None and {id(mine), id(child)} == {id(anc.body), id(anc.orelse)}
                if isinstance(anc, cst.Try):  # a handler runs only when the body stopped early
                    sides = {id(h): 1 for h in anc.handlers}
                    sides[id(anc.body)] = 0
                    return id(mine) in sides and id(child) in sides
                if isinstance(anc, cst.Match):
                    cases = {id(c) for c in anc.cases}
                    return id(mine) in cases and id(child) in cases
                return False
            child = anc
        return False

    def body_statement(self, node, loop):
        """The statement directly in `loop`'s body that holds `node`."""
        body = loop.body
        for a in self.ancestors(node):
            if self.parent.get(a) is body and isinstance(body, cst.IndentedBlock):
                return a
            if a is loop:
                return None
        return None

    def scope(self, node):
        """The function or module that holds `node`."""
        for a in self.ancestors(node):
            if type(a) in _SCOPE_KINDS:
                return a
        return None


_STATEMENT_KINDS = kinds_of(cst.SimpleStatementLine, cst.BaseCompoundStatement)
_SCOPE_KINDS = kinds_of(cst.FunctionDef, cst.Lambda, cst.Module)


def parents(ctx) -> Parents:
    p = getattr(ctx, "_tl_parents", None)
    if p is None:
        p = Parents(ctx.chunks, getattr(ctx, "__dict__", {}).get("parent_links"))
        ctx._tl_parents = p
    return p


def unpack_target(p: Parents, call):
    """The tuple or list target that `call`'s value is unpacked into (`a, b = call`), without a
    starred name; None for any other use."""
    stmt = p.parent.get(call)
    if not (isinstance(stmt, cst.Assign) and stmt.value is call and len(stmt.targets) == 1):
        return None
    target = stmt.targets[0].target
    if not isinstance(target, (cst.Tuple, cst.List)) or any(isinstance(e, cst.StarredElement) for e in target.elements):
        return None
    return target


def insert_before(ctx, stmt, text, title: str, applicability: Applicability) -> Fix | None:
    """A fix inserting `text` (a statement, or a list of them) just before `stmt`, at its
    indentation. None when the statement does not start its own line (`for x in y: step()`)."""
    span = ctx.span(stmt)
    if span is None:
        return None
    lines = ctx.text.splitlines()
    line = span.start.line
    if not 1 <= line <= len(lines):
        return None
    indent = lines[line - 1][: span.start.column]
    if indent.strip() or len(indent) != span.start.column:
        return None
    newline = "\r\n" if "\r\n" in ctx.text else "\n"
    at = Position(line, span.start.column)
    texts = [text] if isinstance(text, str) else list(text)
    return Fix(title, (Edit(Span(at, at), "".join(t + newline + indent for t in texts)),), applicability)


def append_call(ctx, node, suffix: str, title: str, applicability: Applicability) -> Fix | None:
    """A fix appending `suffix` (`.item()`) to the expression `node`, wrapped in parentheses when needed."""
    return ctx.append_fix(node, suffix, title, applicability.value)


def insert_method(ctx, call_node, method: str, title: str, applicability: Applicability) -> Fix | None:
    """`loss.backward()` -> `loss.mean().backward()`: `mean().` goes in front of the called method's name."""
    func = getattr(call_node, "func", None)
    span = ctx.span(func.attr) if isinstance(func, cst.Attribute) else None
    if span is None:
        return None
    return Fix(title, (Edit(Span(span.start, span.start), method + "."),), applicability)


def source(ctx, node) -> str | None:
    try:
        return ctx.source(node)
    except Exception:
        return None


def receiver_node(call_node):
    """`model` in `model.eval()`."""
    func = getattr(call_node, "func", None)
    return func.value if isinstance(func, cst.Attribute) else None


def same_scope(ctx, a, b) -> bool:
    p = parents(ctx)
    return p.scope(a) is p.scope(b) and p.scope(a) is not None


# -- fix safety: what the code around a value does with it ----------------------------------------

# attributes a Python float has too: reading them from the total works either way
_FLOAT_ATTRS = frozenset({"real", "imag", "conjugate", "is_integer", "hex", "as_integer_ratio"})
# builtins whose result is a plain number or string whatever they get
_TO_PLAIN = frozenset({"print", "float", "int", "str", "repr", "format", "bool", "len", "isinstance", "type", "id", "hash"})
# builtins whose result is made of what they get (the value flows on)
_PASS_ON = frozenset({"round", "abs", "min", "max", "sum", "sorted"})
_DERIVE = (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget, cst.BooleanOperation, cst.IfExp)


def in_starred(ctx, node) -> bool:
    """Is `node` unpacked where it is written (`f(*xs)`, `f(**kw)`, `[*xs]`)? Appending a method
    call to it would apply to the sequence, not to the tensors inside."""
    parent = parents(ctx).parent.get(node)
    if isinstance(parent, cst.Arg):
        return parent.star != "" and parent.value is node
    return isinstance(parent, (cst.StarredElement, cst.StarredDictElement))


def _occurrences(ctx, scopes) -> dict:
    """Dotted name -> the Name / Attribute nodes that read it in `scopes`."""
    from tensorlint.dataflow import descendants
    from tensorlint.syntax import dotted

    p = parents(ctx)
    found: dict = {}
    for scope in scopes:
        for node in descendants(scope):
            if not isinstance(node, (cst.Name, cst.Attribute)):
                continue
            parent = p.parent.get(node)
            if isinstance(parent, cst.Attribute) and parent.attr is node:
                continue  # `obj.total`: the attribute's own name
            if isinstance(parent, (cst.Arg, cst.Param, cst.ImportAlias, cst.AsName, cst.FunctionDef, cst.ClassDef)) and getattr(parent, "value", None) is not node:
                continue  # keyword names, parameters, import aliases, def/class names
            name = dotted(node)
            if name:
                found.setdefault(name, []).append(node)
    return found


def used_only_as_number(ctx, scopes, name: str, limit: int = 32) -> bool:
    """Is every read of `name` in `scopes` (and of the names it flows into by assignment) one a
    Python number allows: arithmetic, comparisons, f-strings, `print`, `float()`, logging calls?
    False at the first use a number does not allow (`total.item()`, `total[0]`, `torch.stack`),
    and where the value leaves what can be followed (returned, stored in an attribute or a
    container, handed to a function of this file)."""
    p = parents(ctx)
    index = _occurrences(ctx, scopes)
    local_funcs = {n.name.value for s in scopes for n in _defs(s)}
    torch_names = _framework_names(ctx)
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if len(seen) > limit:
            return False
        for node in index.get(current, ()):
            verdict = _use_verdict(p, node, current, local_funcs, torch_names)
            if verdict is False:
                return False
            if isinstance(verdict, str):
                todo.append(verdict)
    return True


def _defs(scope):
    from tensorlint.dataflow import descendants

    return [n for n in descendants(scope) if isinstance(n, cst.FunctionDef)]


def _framework_names(ctx) -> frozenset:
    """Local names bound by imports from torch (`torch`, `F`, `nn`, `stack`): functions that want
    tensors."""
    return import_names(ctx, ("torch",))


def import_names(ctx, packages, module_level: bool = False) -> frozenset:
    """Local names the file binds by importing from these top-level packages (`import torch`,
    `import tensorflow as tf`, `from torch.nn import functional as F`); star imports bind none.
    `module_level`: only the imports outside functions and classes (a walk of a fraction of the
    tree). What each chunk's tree binds is kept with the tree."""
    from ._trees import per_chunk

    packages = tuple(packages)
    return frozenset().union(*per_chunk(ctx, ("import names", packages, module_level),
                                        lambda m: _imports_from(m, packages, module_level)))


def _imports_from(module, packages, module_level: bool) -> frozenset:
    from tensorlint.dataflow import descendants
    from tensorlint.syntax import dotted

    names = set()
    nodes = statements(module, nested=False) if module_level else descendants(module, prune=(cst.Call, cst.BinaryOperation))
    for node in nodes:
        kind = type(node)  # (exact types: libcst's classes are ABCs, slow under isinstance)
        if kind is cst.Import:
            for alias in node.names:
                full = dotted(alias.name)
                if full.split(".")[0] in packages:
                    names.add(alias.asname.name.value if alias.asname else full.split(".")[0])
        elif kind is cst.ImportFrom and node.module is not None and not node.relative:
            if dotted(node.module).split(".")[0] in packages and type(node.names) is not cst.ImportStar:
                for alias in node.names:
                    names.add((alias.asname.name if alias.asname else alias.name).value)
    return frozenset(names)


def _use_verdict(p, node, name, local_funcs, torch_names):
    """True: a number does here what the tensor did; False: it does not (or cannot be told);
    a name: the value flows into that name, whose uses decide."""
    from tensorlint.syntax import dotted

    parent = p.parent.get(node)
    if isinstance(parent, cst.AssignTarget) or (isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.target is node):
        return True  # written here (`total += x` reads it too, as a number would be)
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
        return True
    if isinstance(parent, cst.Del):
        return True
    while True:  # through arithmetic, comparisons and round()/min()/max(): the value flows on
        if isinstance(parent, _DERIVE):
            node, parent = parent, p.parent.get(parent)
        elif isinstance(parent, cst.Arg) and parent.value is node and _builtin(p.parent.get(parent)) in _PASS_ON:
            node = p.parent.get(parent)
            parent = p.parent.get(node)
        else:
            break
    if isinstance(parent, (cst.FormattedStringExpression, cst.Expr, cst.If, cst.While, cst.Assert)):
        return True
    if isinstance(parent, cst.Attribute) and parent.value is node:
        return parent.attr.value in _FLOAT_ATTRS
    if isinstance(parent, cst.Assign) and parent.value is node:
        names = [dotted(t.target) for t in parent.targets]
        if names == [name]:
            return True  # `self.total = self.total + x`: flows back into itself
        if len(names) == 1 and isinstance(parent.targets[0].target, cst.Name):
            return names[0]
        return False
    if isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.value is node:
        return dotted(parent.target) if isinstance(parent.target, cst.Name) else False
    if isinstance(parent, cst.Arg) and parent.value is node and parent.star == "":
        call = p.parent.get(parent)
        if not isinstance(call, cst.Call):
            return False
        func = call.func
        if isinstance(func, cst.Name):
            if func.value in _TO_PLAIN:
                return True
            return func.value not in local_funcs and func.value not in torch_names
        if isinstance(func, cst.Attribute):
            if isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString)):
                return True  # "{:.3f}".format(total)
            root = dotted(func)
            if not root:
                return False  # the result of a call: unknown
            head = root.split(".")[0]
            if head in torch_names or head in ("self", "cls"):
                return False  # a tensor function, or a method of this program that may call tensor methods
            if func.attr.value in ("append", "extend", "insert", "add", "put", "update", "setdefault", "__setitem__"):
                return False  # kept in a container whose later uses are not followed
            return True  # a logger, a progress bar, a summary writer: they take numbers
        return False
    return False


def under_no_grad(ctx, node, loop) -> bool:
    """A `with torch.no_grad():` (or `inference_mode()`, `set_grad_enabled(False)`) between a
    statement and its loop: what the statement computes there records no graph."""
    for a in parents(ctx).ancestors(node):
        if a is loop:
            return False
        if isinstance(a, cst.With) and any(_turns_grad_off(item.item) for item in a.items):
            return True
    return False


def _turns_grad_off(expr) -> bool:
    from tensorlint.syntax import dotted

    if not isinstance(expr, cst.Call):
        return False
    name = dotted(expr.func).rsplit(".", 1)[-1]
    if name == "set_grad_enabled":
        return bool(expr.args) and isinstance(expr.args[0].value, cst.Name) and expr.args[0].value.value == "False"
    return name in ("no_grad", "inference_mode")


def _builtin(call) -> str | None:
    return call.func.value if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) else None


def from_other_models(loss, ids, strict: bool = True) -> bool:
    """The backpropagated value is a torch loss known to come from models none of which is in
    `ids` (what TL411 reports; TL413 leaves those to it). `strict`: a layer's input of unknown
    value (which may be another network's output) leaves the models unknown; TL413, which
    leaves to TL411 what TL411 may say, passes False."""
    if not isinstance(loss, Tensor):
        return False
    models = loss.models if strict else loss.models - {UNKNOWN_INPUT_MODELS}
    return (loss.fw == "torch" and loss.requires_grad is True and bool(models) and UNSEEN_MODELS not in models
            and UNKNOWN_INPUT_MODELS not in models and not models & ids)
