"""Statements the slicer keeps although nothing it keeps reads the names they bind: they change
what the program's other statements see in another way than through a name."""
from __future__ import annotations

import collections

import libcst as cst

from .callnames import INTERPRETER_STATE
from .syntax import dotted_name


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
