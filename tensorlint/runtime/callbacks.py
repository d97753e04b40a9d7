"""Functions of the program that a statement hands on without calling them (`observers=[save_frames]`,
`Thread(target=worker)`, `on_epoch_end=lambda e, logs: log(e)`): what they change among the module's
names is changed later, by code the check does not replay (a driver's loop, a library's callbacks),
so after that statement those names are only partly made (the replay marks them; replay.py)."""
from __future__ import annotations

import libcst as cst

from .follow import MUTATORS
from .syntax import Bindings, root_name, small_statements, target_names


def _params(node: cst.FunctionDef) -> set[str]:
    p = node.params
    out = {param.name.value for param in [*p.params, *p.kwonly_params, *p.posonly_params]}
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            out.add(star.name.value)
    return out


def _changed_by(node: cst.FunctionDef) -> tuple[set[str], set[str]]:
    """(the module's names the function itself changes, the names it calls)."""
    declared: set[str] = set()
    b = Bindings()
    for child in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
        child.visit(b)
    changed_in_place: set[str] = set()
    calls: set[str] = set()
    for small in small_statements(node.body):
        if isinstance(small, cst.Global):
            declared |= {n.name.value for n in small.names}
        elif isinstance(small, cst.Assign):
            for t in small.targets:
                changed_in_place.update(target_names(t.target)[1])
        elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
            bound, modified = target_names(small.target)
            changed_in_place.update(modified + (bound if isinstance(small, cst.AugAssign) else []))
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) \
                and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value in MUTATORS:
            root = root_name(small.value.func.value)
            if root:
                changed_in_place.add(root)

    class Calls(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if isinstance(call.func, cst.Name):
                calls.add(call.func.value)

        def visit_FunctionDef(self, n) -> bool:
            return False

    node.body.visit(Calls())
    local = (b.assigned | b.defined | _params(node)) - declared
    return (changed_in_place - local) | (b.assigned & declared), calls


def globals_changed_by_definitions(module: cst.Module) -> dict[str, set[str]]:
    """Each module-level function -> the module's names it changes when it runs (assigned under a
    `global` statement, or changed in place: `frames.append(x)`, `stats["n"] += 1`), with those of
    the module's functions it calls in turn; functions that change none are left out."""
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for s in module.body:
        if isinstance(s, cst.FunctionDef):
            changed, called = _changed_by(s)
            direct.setdefault(s.name.value, set()).update(changed)
            calls.setdefault(s.name.value, set()).update(called)
    out: dict[str, set[str]] = {}
    for name in direct:
        seen, todo, changed = {name}, [name], set()
        while todo:
            n = todo.pop()
            changed |= direct.get(n, set())
            for m in calls.get(n, ()):
                if m in direct and m not in seen:
                    seen.add(m)
                    todo.append(m)
        if changed:
            out[name] = changed
    return out


def handed_on(stmt: cst.CSTNode, effects: dict[str, set[str]]) -> dict[str, str]:
    """{name changed: the function that changes it} for the functions of `effects` that `stmt`
    names without calling them there: passed as a value, or called only in a lambda's body."""
    if not effects or isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return {}
    found: dict[str, str] = {}

    class V(cst.CSTVisitor):
        lambdas = 0

        def visit_Lambda(self, n: cst.Lambda) -> None:
            self.lambdas += 1

        def leave_Lambda(self, n: cst.Lambda) -> None:
            self.lambdas -= 1

        def visit_Call(self, call: cst.Call) -> bool:
            if isinstance(call.func, cst.Name) and not self.lambdas:  # called here: the replay runs it
                for arg in call.args:
                    arg.value.visit(self)
                return False
            return True

        def visit_Arg(self, n: cst.Arg) -> bool:
            n.value.visit(self)  # not its keyword
            return False

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)  # not the attribute's name
            return False

        def visit_AssignTarget(self, n) -> bool:
            return False

        def visit_FunctionDef(self, n) -> bool:
            return False

        def visit_Name(self, n: cst.Name) -> None:
            for changed in sorted(effects.get(n.value, ())):
                found.setdefault(changed, n.value)

    stmt.visit(V())
    return found
