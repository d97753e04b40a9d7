"""Helpers for the training-loop rules (TL4xx): what a loop trace did, which modules make up a
model, where a statement sits, and fixes that insert a statement."""
from __future__ import annotations

import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Position, Span
from tensorlint.frameworks import ParamsV
from tensorlint.values import Container, Instance, Layer, MutableList, Optimizer, Seq, Tensor, Unknown

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


def clears_grads(calls) -> bool:
    return any(c[1] in CLEARS for c in calls)


def has_closure(entry) -> bool:
    """`optimizer.step(closure)` (LBFGS): the closure runs forward and backward itself."""
    return bool(entry[3]) or bool(entry[4])


class Parents:
    """Parent links of the chunks' nodes, built once per analysis on first need (and kept with
    each chunk's tree, which the language server reuses across edits)."""

    def __init__(self, chunks):
        self.parent: dict = {}
        for chunk in chunks:
            links = chunk.memo.get("parents")
            if links is None:
                links = chunk.memo["parents"] = self._walk(chunk.module)
            self.parent.update(links)

    @staticmethod
    def _walk(root) -> dict:
        parent = {}
        stack = [root]
        while stack:
            node = stack.pop()
            for child in node.children:
                parent[child] = node
                stack.append(child)
        return parent

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
            if isinstance(a, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
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
            if isinstance(a, (cst.FunctionDef, cst.Lambda, cst.Module)):
                return a
        return None


def parents(ctx) -> Parents:
    p = getattr(ctx, "_tl_parents", None)
    if p is None:
        p = Parents(ctx.chunks)
        ctx._tl_parents = p
    return p


def insert_before(ctx, stmt, text: str, title: str, applicability: Applicability) -> Fix | None:
    """A fix inserting `text` as a statement just before `stmt`, at its indentation. None when
    the statement does not start its own line (`for x in y: step()`)."""
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
    return Fix(title, (Edit(Span(at, at), text + newline + indent),), applicability)


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
