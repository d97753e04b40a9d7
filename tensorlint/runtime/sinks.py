"""Which values a program differentiates: what reaches `x.backward()`, `tape.gradient(x, ...)`,
`optimizer.minimize(x)`, `torch.autograd.grad(x, ...)` or a Lightning `training_step`'s return.

A loss-like call (two arguments, one of them a model's output) may be a metric: `acc =
accuracy(out, y)` has no gradient and need not change with its targets, and saying so is no
finding. The gradient and target facts of such a call are judged only when its value is
differentiated. Names are followed through assignments, in-place appends and the returns of
functions and methods called on the way, everywhere in the file (an over-approximation: a name
differentiated anywhere counts everywhere, so that nothing differentiated is taken for a metric).
"""
from __future__ import annotations

import libcst as cst

from .syntax import callee_name, called_names, names_read, root_name, target_names

APPENDS = frozenset({"append", "extend", "insert", "add", "update", "appendleft"})
# calls whose first argument (or receiver, for backward) is differentiated
FIRST_ARGUMENT = {"gradient": "target", "minimize": "loss", "grad": "outputs", "manual_backward": "loss"}


class _Scan(cst.CSTVisitor):
    def __init__(self) -> None:
        self.sinks: set[str] = set()
        self.flows: list[tuple[set[str], set[str]]] = []  # (targets, what they are computed from)
        self.returns: dict[str, set[str]] = {}  # function or method name -> names its returns read
        self.functions: list[str] = []
        self.any_sink = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node.name.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node)
        if name == "backward":
            self.any_sink = True
            if isinstance(node.func, cst.Attribute):
                self.sinks.update(names_read(node.func.value))
            for arg in node.args:
                self.sinks.update(names_read(arg.value))
        elif name in FIRST_ARGUMENT:
            keyword = FIRST_ARGUMENT[name]
            chosen = [a for a in node.args if a.keyword is not None and a.keyword.value == keyword] or \
                [a for a in node.args[:1] if a.keyword is None]
            for arg in chosen:
                self.any_sink = True
                self.sinks.update(names_read(arg.value))
        elif name in APPENDS and isinstance(node.func, cst.Attribute):
            receiver = root_name(node.func.value)
            if receiver:
                self.flows.append(({receiver}, {n for a in node.args for n in names_read(a.value)}))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is None or not self.functions:
            return
        read = set(names_read(node.value))
        self.returns.setdefault(self.functions[-1], set()).update(read)
        if self.functions[-1] == "training_step":  # Lightning differentiates what it returns
            self.any_sink = True
            self.sinks.update(read)

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = {n for t in node.targets for part in target_names(t.target) for n in part}
        self.flows.append((targets, _sources(node.value)))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.flows.append((set(sum(target_names(node.target), [])), _sources(node.value)))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.flows.append((set(sum(target_names(node.target), [])), _sources(node.value)))


def _sources(value: cst.BaseExpression) -> set[str]:
    """Names a value is computed from, with the functions and methods it calls (their returns flow in)."""
    return set(names_read(value)) | called_names(value)


def differentiated_names(module: cst.Module) -> set[str] | None:
    """The names whose values the program differentiates, or None when it differentiates nothing
    the scan recognizes (then no call is taken for a metric)."""
    scan = _Scan()
    module.visit(scan)
    if not scan.any_sink:
        return None
    found = set(scan.sinks)
    changed = True
    while changed:
        changed = False
        for targets, sources in scan.flows:
            if targets & found and not sources <= found:
                found |= sources
                changed = True
        for fn, read in scan.returns.items():
            if fn in found and not read <= found:
                found |= read
                changed = True
    return found


SUMS = (cst.Add, cst.Subtract)


def sum_operands(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The operands of the additions and subtractions that make `value` (`a + b - c`: a, b, c),
    or [value] when it is no sum."""
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, SUMS):
        return [*sum_operands(value.left), *sum_operands(value.right)]
    return [value]


def is_constant(value: cst.BaseExpression) -> bool:
    return isinstance(value, (cst.Integer, cst.Float, cst.Imaginary)) or (
        isinstance(value, cst.UnaryOperation) and is_constant(value.expression))


class _Sums(cst.CSTVisitor):
    def __init__(self, differentiated: set[str] | None) -> None:
        self.differentiated = differentiated
        self.summed: set[str] = set()

    def reaches_sink(self, targets: set[str]) -> bool:
        return self.differentiated is None or bool(targets & self.differentiated)

    def add(self, operands: list[cst.BaseExpression]) -> None:
        varying = [o for o in operands if not is_constant(o)]
        if len(varying) > 1:
            for o in varying:
                self.summed.update(names_read(o))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.reaches_sink({n for t in node.targets for part in target_names(t.target) for n in part}):
            self.add(sum_operands(node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        targets = set(sum(target_names(node.target), []))
        if isinstance(node.operator, (cst.AddAssign, cst.SubtractAssign)) and self.reaches_sink(targets):
            self.summed |= targets | set(names_read(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node)
        if name in APPENDS and isinstance(node.func, cst.Attribute):
            receiver = root_name(node.func.value)
            if receiver and self.reaches_sink({receiver}):  # `losses.append(loss)`, then `sum(losses)`
                self.summed.update(n for a in node.args for n in names_read(a.value))


def summed_names(module: cst.Module, differentiated: set[str] | None) -> set[str]:
    """Names whose values the program adds to other values (`loss = loss_a + loss_b`, `loss +=
    term`, `losses.append(loss)`) on their way to what it differentiates: the gradients of one
    such value alone are not those of the program's loss (a layer only the other term reaches gets
    none from this one), so they say nothing about what trains."""
    scan = _Sums(differentiated)
    module.visit(scan)
    return scan.summed


def summed_calls(stmt: cst.CSTNode) -> set[int]:
    """The ids of the calls a statement adds to other values: every call in `x += ...`, and in
    `x = a + b` those in each operand that is no constant."""
    if isinstance(stmt, cst.AugAssign):
        operands = [stmt.value] if isinstance(stmt.operator, (cst.AddAssign, cst.SubtractAssign)) else []
    elif isinstance(stmt, (cst.Assign, cst.AnnAssign)) and stmt.value is not None:
        operands = [o for o in sum_operands(stmt.value) if not is_constant(o)]
        operands = operands if len(operands) > 1 else []
    else:
        operands = []
    found: set[int] = set()

    class V(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            found.add(id(call))

    for operand in operands:
        operand.visit(V())
    return found
