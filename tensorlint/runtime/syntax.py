"""What a statement reads, binds and calls, read from its libcst tree (for the slicer)."""
from __future__ import annotations

import libcst as cst

FRAMEWORK_ROOTS = {"torch": "torch", "tensorflow": "tensorflow", "keras": "tensorflow", "tf_keras": "tensorflow"}


class _Names(cst.CSTVisitor):
    """Names a node reads (an over-approximation: attribute names and keywords excluded)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.names:
            self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        if node.default is not None:
            node.default.visit(self)
        if node.annotation is not None:
            node.annotation.visit(self)
        return False


def names_read(node: cst.CSTNode) -> list[str]:
    v = _Names()
    node.visit(v)
    return v.names


def target_names(target: cst.BaseExpression) -> tuple[list[str], list[str]]:
    """(names bound, names modified) by an assignment target."""
    if isinstance(target, cst.Name):
        return [target.value], []
    if isinstance(target, (cst.Tuple, cst.List)):
        bound, modified = [], []
        for el in target.elements:
            b, m = target_names(el.value)
            bound += b
            modified += m
        return bound, modified
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    root = root_name(target)
    return [], [root] if root else []


def root_name(expr: cst.BaseExpression) -> str | None:
    while True:
        if isinstance(expr, cst.Name):
            return expr.value
        if isinstance(expr, cst.Attribute):
            expr = expr.value
        elif isinstance(expr, cst.Subscript):
            expr = expr.value
        elif isinstance(expr, cst.Call):
            expr = expr.func
        else:
            return None


def callee_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node)
        if name:
            self.names.add(name)

    def visit_FunctionDef(self, node) -> bool:
        return False

    def visit_ClassDef(self, node) -> bool:
        return False


def called_names(node: cst.CSTNode) -> set[str]:
    v = _Calls()
    node.visit(v)
    return v.names


def is_main_guard(node: cst.If) -> bool:
    test = node.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    sides = [test.left, test.comparisons[0].comparator]
    has_name = any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides)
    has_main = any(isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides)
    return has_name and has_main


def ends_pass(node: cst.CSTNode) -> bool:
    """`if not batch: continue` (or `break`) in a loop body, with no `else`: when its test holds,
    the rest of the pass does not run. Its body may print or log before it leaves."""
    if not isinstance(node, cst.If) or node.orelse is not None:
        return False
    if isinstance(node.body, cst.SimpleStatementSuite):  # `if not batch: continue`
        smalls = list(node.body.body)
    elif all(isinstance(line, cst.SimpleStatementLine) for line in node.body.body):
        smalls = [s for line in node.body.body for s in line.body]
    else:
        return False
    return bool(smalls) and isinstance(smalls[-1], (cst.Continue, cst.Break)) \
        and all(isinstance(s, (cst.Expr, cst.Pass)) for s in smalls[:-1])


class Bindings(cst.CSTVisitor):
    """Names bound anywhere at module level, split by how they are bound."""

    def __init__(self) -> None:
        self.assigned: set[str] = set()
        self.defined: set[str] = set()  # def, class, import
        self.functions: set[str] = set()
        self.modules: dict[str, str] = {}  # `import numpy as np` -> {"np": "numpy"}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.defined.add(node.name.value)
        self.functions.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.defined.add(node.name.value)
        return False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.defined.add(alias_name(alias))
            dotted = dotted_name(alias.name)
            self.modules[alias_name(alias)] = dotted if alias.asname is not None else dotted.split(".")[0]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self.defined.add(alias_name(alias))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.assigned.update(target_names(node.target)[0])

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned.update(target_names(node.target)[0])

    def visit_For(self, node: cst.For) -> None:
        self.assigned.update(target_names(node.target)[0])

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.assigned.update(target_names(node.asname.name)[0])


def alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    node = alias.name
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


def dotted_name(node: cst.BaseExpression) -> str:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


def frameworks_of(module: cst.Module) -> list[str]:
    found: list[str] = []

    class V(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                add(dotted_name(alias.name))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None and not node.relative:
                add(dotted_name(node.module))

    def add(dotted: str) -> None:
        fw = FRAMEWORK_ROOTS.get(dotted.split(".")[0])
        if fw and fw not in found:
            found.append(fw)

    module.visit(V())
    return found




def loops_in(node: cst.CSTNode) -> list[cst.For]:
    found: list[cst.For] = []

    class V(cst.CSTVisitor):
        def visit_For(self, n: cst.For) -> None:
            found.append(n)

        def visit_FunctionDef(self, n) -> bool:
            return False

        def visit_ClassDef(self, n) -> bool:
            return False

    node.body.visit(V())
    return found


def small_statements(node: cst.CSTNode) -> list[cst.BaseSmallStatement]:
    out: list[cst.BaseSmallStatement] = []

    class V(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, n: cst.SimpleStatementLine) -> None:
            out.extend(n.body)

        def visit_FunctionDef(self, n) -> bool:
            return False

        def visit_ClassDef(self, n) -> bool:
            return False

    node.visit(V())
    return out


def free_names(node: cst.FunctionDef | cst.ClassDef) -> list[str]:
    """Names a definition reads that it does not bind itself (roughly: globals it uses)."""
    b = Bindings()
    for child in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
        child.visit(b)
    params: set[str] = set()
    if isinstance(node, cst.FunctionDef):
        p = node.params
        for param in [*p.params, *p.kwonly_params, *p.posonly_params]:
            params.add(param.name.value)
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                params.add(star.name.value)
    local = b.assigned | params
    return [n for n in names_read(node) if n not in local]


def globals_read_by_definitions(module: cst.Module) -> dict[str, set[str]]:
    """Each module-level function or class -> the names it reads that it does not bind, with
    those of the module's functions and classes it names in turn (what running it may read)."""
    direct: dict[str, set[str]] = {}
    for s in module.body:
        if isinstance(s, (cst.FunctionDef, cst.ClassDef)):
            direct.setdefault(s.name.value, set()).update(free_names(s))
    closed: dict[str, set[str]] = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            n = todo.pop()
            for m in direct.get(n, ()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        seen.discard(name)
        closed[name] = seen
    return closed


_CONSTANTS = (cst.SimpleString, cst.Integer, cst.Float)


def _setup_statement(small) -> bool:
    """An import, a name bound to a constant (`has_apex = True`), or an edit of the import path
    (`sys.path.append(...)`, `sys.path.insert(...)`)."""
    if isinstance(small, (cst.Import, cst.ImportFrom)):
        return True
    if isinstance(small, cst.Assign):
        value = small.value
        return (all(isinstance(t.target, cst.Name) for t in small.targets)
                and (isinstance(value, _CONSTANTS)
                     or isinstance(value, cst.Name) and value.value in ("True", "False", "None")))
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        return (isinstance(func, cst.Attribute) and func.attr.value in ("append", "insert")
                and isinstance(func.value, cst.Attribute) and func.value.attr.value == "path"
                and isinstance(func.value.value, cst.Name) and func.value.value.value == "sys")
    return False


def import_setup_only(body) -> bool:
    """A block that imports something and otherwise only edits the import path or sets constant
    flags: the body of a `try` that makes an optional import."""
    if not body or not all(isinstance(stmt, cst.SimpleStatementLine) and all(_setup_statement(s) for s in stmt.body)
                           for stmt in body):
        return False
    return any(isinstance(s, (cst.Import, cst.ImportFrom)) for stmt in body for s in stmt.body)
