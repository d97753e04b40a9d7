"""Statements the slicer keeps although nothing it keeps reads the names they bind: they change
what the program's other statements see in another way than through a name; and the statements
it replays that the program implies without writing them (`Replayed`)."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field

import libcst as cst

from .callnames import INTERPRETER_STATE
from .syntax import Bindings, dotted_name


@dataclass
class Replayed:
    """A statement the program implies but does not write: a parameter bound to its argument when
    an entry point is followed, or the caller's target bound to what the function returns; or
    (kind "save" and "restore", around a followed function's body) the caller's values of the
    names that body binds, put back after it as the function's own scope would have kept them."""

    code: str
    line: int
    binds: list[str]
    uses: list[str]
    always: bool = False  # kept even when nothing reads what it binds
    display: str | None = None  # the program's own text for it, for the report
    kind: str = "exec"  # exec | save | restore
    keeps: list[str] = field(default_factory=list)  # save, restore: the names


def caller_names(fn: cst.FunctionDef, line: int, target: list[str]) -> tuple[Replayed, Replayed]:
    """The save before a followed function's body (replayed in the caller's namespace) and the
    restore after it: `def generator(z)` followed at `G = generator(encoder(X))` binds `z`, which
    then hides the caller's placeholder `z` that its session feeds. Its parameters and the names its
    body assigns, less those it declares global and the caller's own `target` of the call. The
    save reads nothing (what the caller had is put back when the replay had it); the restore binds
    the names, so that what reads them later depends on it."""
    p = fn.params
    names = {q.name.value for q in [*p.posonly_params, *p.params, *p.kwonly_params]}
    names.update(s.name.value for s in (p.star_arg, p.star_kwarg) if isinstance(s, cst.Param))
    b, declared = Bindings(), set()
    for stmt in fn.body.body if isinstance(fn.body, cst.IndentedBlock) else []:
        stmt.visit(b)
        declared.update(n.name.value for node in small_nodes(stmt) if isinstance(node, (cst.Global, cst.Nonlocal))
                        for n in node.names)
    keeps = sorted((names | b.assigned | b.defined) - declared - set(target))
    token = f"{fn.name.value}:{line}"
    return (Replayed(token, line, [], [], always=True, kind="save", keeps=keeps),
            Replayed(token, line, keeps, [], always=True, kind="restore", keeps=keeps))


def small_nodes(stmt: cst.CSTNode) -> list[cst.CSTNode]:
    """The small statements of `stmt` at any depth, outside nested functions and classes."""
    out: list[cst.CSTNode] = []

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node) -> bool:
            return False

        def visit_ClassDef(self, node) -> bool:
            return False

        def on_visit(self, node) -> bool:
            if isinstance(node, cst.BaseSmallStatement):
                out.append(node)
            return super().on_visit(node)

    stmt.visit(V())
    return out


def sets_interpreter_state(stmt: cst.BaseSmallStatement, modules: dict[str, str]) -> bool:
    """`sys.path.insert(0, ...)`, `os.environ["X"] = ...`, `os.environ.setdefault(...)`."""
    if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
        where = [stmt.value.func]
    elif isinstance(stmt, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
        where = [t.target for t in stmt.targets] if isinstance(stmt, cst.Assign) else [stmt.target]
    else:
        return False
    for node in where:
        while isinstance(node, cst.Subscript):
            node = node.value
        dotted = dotted_name(node)
        root, _, rest = dotted.partition(".")
        full = ".".join(x for x in (modules.get(root, root), rest) if x)
        if any(full == s or full.startswith(s + ".") for s in INTERPRETER_STATE):
            return True
    return False


def string_literals(module: cst.Module) -> collections.Counter:
    """How often each string literal of the program is written."""
    out: collections.Counter = collections.Counter()

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            try:
                value = node.evaluated_value
            except Exception:  # noqa: BLE001 - an escape libcst cannot evaluate
                return
            if isinstance(value, str):
                out[value] += 1

    module.visit(V())
    return out


def named_and_looked_up(stmt: cst.BaseSmallStatement, strings: collections.Counter) -> bool:
    """`tf_y = tf.placeholder(tf.float32, [None], name='targets')`, `train = opt.minimize(cost,
    name='train')` in a TF1 graph: a node given a name that the program writes again, as such or as
    a tensor's (`sess.run(['train', 'cost:0'], feed_dict={'targets:0': y})`). A session step finds
    it by that name, although no statement reads the name it is bound to."""
    value = stmt.value if isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.Expr)) else None
    if not isinstance(value, cst.Call):
        return False
    for arg in value.args:
        if arg.keyword is not None and arg.keyword.value == "name" and isinstance(arg.value, cst.SimpleString):
            name = arg.value.evaluated_value
            if isinstance(name, str) and (strings[name] > 1 or any(s.startswith(name + ":") and s[len(name) + 1:].isdigit()
                                                                    for s in strings)):
                return True
    return False
