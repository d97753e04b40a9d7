"""Facts about reinforcement-learning loops that the episode rules (TL457, TL458) share: the
loops that unpack `env.step(...)`, their reward and terminal flags, read from the syntax trees."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants

SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
LOOPS = (cst.For, cst.While)
_CASTS = frozenset(("float", "int", "bool", "True", "False"))


def name_of(n) -> str | None:
    return n.value if isinstance(n, cst.Name) else None


def names_in(node) -> set:
    return {n.value for n in [node, *descendants(node)] if isinstance(n, cst.Name)}


def loop_of(p, node):
    """The nearest loop of the same scope holding `node`, or None."""
    for a in p.ancestors(node):
        if isinstance(a, LOOPS):
            return a
        if isinstance(a, SCOPES):
            return None
    return None


def scope_of(p, node):
    """The function, class or lambda holding `node` (None at the module's top level)."""
    for a in p.ancestors(node):
        if isinstance(a, SCOPES):
            return a
    return None


def of_flags(value, flags: set) -> bool:
    """Whether `value` is made from the terminal flags alone (`done`, `not done`, `1 - done`,
    `float(done)`, `0.0 if done else 1.0`, `terminated or truncated`)."""
    names = names_in(value)
    return bool(names & flags) and names <= flags | _CASTS


def _pairs(stmt) -> list:
    """(name, value) of each name an assignment binds alone or element by element
    (`a, b = x, y`)."""
    if len(stmt.targets) != 1:
        return []
    target, value = stmt.targets[0].target, stmt.value
    if isinstance(target, cst.Name):
        return [(target.value, value)]
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
            and len(target.elements) == len(value.elements):
        return [(e.value.value, v.value) for e, v in zip(target.elements, value.elements)
                if isinstance(e.value, cst.Name) and isinstance(v, cst.Element)]
    return []


def _from_flags(value, flags: set, others: set) -> bool:
    """A value made from the flags alone, or a call on them that reads no other value of the
    step (`np.logical_or(terminated, truncated)`, `torch.Tensor(done).to(device)`)."""
    if of_flags(value, flags):
        return True
    names = names_in(value)
    return isinstance(value, cst.Call) and bool(names & flags) and not names & others and "reset" not in names


def step_unpacks(p, trees):
    """(statement, loop, reward name, terminal flag names) of each `env.step(...)` unpacked into
    four or five names inside a loop (gym's `done`; gymnasium's `terminated, truncated`); the
    flags take in the names the loop binds from them alone (`done = terminated or truncated`)."""
    for tree in trees:
        for stmt in statements_of(tree, (cst.Assign,)):
            call = stmt.value
            if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "step"
                    and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, (cst.Tuple, cst.List))):
                continue
            elements = [name_of(e.value) for e in stmt.targets[0].target.elements]
            loop = loop_of(p, stmt)
            if len(elements) not in (4, 5) or elements[1] is None or loop is None:
                continue
            flags = {e for e in elements[2:len(elements) - 1] if e is not None and e != "_"}
            others = {e for e in elements[:2] + elements[-1:] if e is not None}
            for other in statements_of(loop, (cst.Assign,)):
                for t, value in _pairs(other):
                    if t not in flags and t not in others and _from_flags(value, flags, others):
                        flags.add(t)
            if flags:
                yield stmt, loop, elements[1], flags


def bindings(node, name: str) -> int:
    count = 0
    for n in [node, *descendants(node, prune=SCOPES)]:
        targets = ()
        if isinstance(n, cst.Assign):
            targets = [t.target for t in n.targets]
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)):
            targets = [n.target]
        elif isinstance(n, cst.AsName):
            targets = [n.name]
        elif isinstance(n, cst.Del):
            targets = [n.target]
        count += sum(1 for t in targets if name in names_in(t))
    return count
